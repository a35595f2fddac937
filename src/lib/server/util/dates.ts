/**
 * Dates typed into forms, read the one way (domain/time/china-date.ts) and refused with the same
 * words, in the reader's language, wherever they are typed: 2026-02-31, 2026-13-01 and 24:00 are not dates.
 */
import { chinaDayStart, notADate, notADateField, notADateTime, parseChinaDateTime } from '../../domain/time/china-date.ts';
import { InvalidInput } from '../errors.ts';

/** 00:00 China time of a day typed as YYYY-MM-DD; `what` names the field in the message, in the reader's language. */
export function requireChinaDay(text: string, field: string, what: string): number {
	const start = chinaDayStart(text);
	if (start === null) throw new InvalidInput(notADate(what), { [field]: notADateField() });
	return start;
}

/** The instant of a China wall-clock time as a datetime-local field sends it. */
export function requireChinaDateTime(text: string, field: string, what: string): number {
	const at = parseChinaDateTime(text);
	if (at === null) throw new InvalidInput(notADateTime(what), { [field]: notADateField() });
	return at;
}
