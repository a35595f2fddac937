import { describe, expect, it } from 'vitest';
import {
	chinaDateString,
	chinaDateTimeString,
	chinaDayStart,
	chinaYear,
	formatDate,
	formatDateTime,
	notADate,
	parseChinaDate,
	parseChinaDateTime
} from '../../../src/lib/domain/time/china-date.ts';
import { requireChinaDateTime, requireChinaDay } from '../../../src/lib/server/util/dates.ts';

/** One instant, written in UTC: what Beijing time reads is in the tables below. */
const utc = (iso: string) => Date.parse(`${iso}Z`);

describe('the one date module: days', () => {
	it.each([
		['2026-03-01', '2026-02-28T16:00:00.000Z'],
		['2024-02-29', '2024-02-28T16:00:00.000Z'],
		['2026-12-31', '2026-12-30T16:00:00.000Z'],
		['2000-02-29', '2000-02-28T16:00:00.000Z'],
		[' 2026-03-01 ', '2026-02-28T16:00:00.000Z']
	])('%s starts at 00:00 Beijing time (%s)', (text, instant) => {
		expect(new Date(chinaDayStart(text)!).toISOString()).toBe(instant);
	});

	it.each([
		['2026-02-31', 'February has no 31st'],
		['2026-02-30', 'nor a 30th'],
		['2026-02-29', '2026 is not a leap year'],
		['1900-02-29', 'nor was 1900'],
		['2026-04-31', 'April has 30 days'],
		['2026-13-01', 'no 13th month'],
		['2026-00-10', 'no month 0'],
		['2026-03-00', 'no day 0'],
		['2026-3-1', 'two digits each'],
		['2026/03/01', 'dashes only'],
		['0202-03-01', 'a mistyped year'],
		['2026-03-01T10:00', 'a time is not a day'],
		['', 'empty']
	])('%s is refused (%s)', (text) => {
		expect(parseChinaDate(text)).toBeNull();
		expect(chinaDayStart(text)).toBeNull();
		expect(() => requireChinaDay(text, 'due', '完成期限')).toThrow(notADate('完成期限'));
	});
});

describe('the one date module: times of day', () => {
	it.each([
		['2026-03-09T14:30', '2026-03-09T06:30:00.000Z'],
		['2026-03-09 14:30', '2026-03-09T06:30:00.000Z'],
		['2026-03-09T00:00', '2026-03-08T16:00:00.000Z'],
		['2026-03-09T23:59:59', '2026-03-09T15:59:59.000Z'],
		['2024-02-29T08:00', '2024-02-29T00:00:00.000Z']
	])('%s Beijing time is %s', (text, instant) => {
		expect(new Date(parseChinaDateTime(text)!).toISOString()).toBe(instant);
		expect(requireChinaDateTime(text, 'startsAt', '会议时间')).toBe(Date.parse(instant));
	});

	it.each([
		['2026-02-31T10:00', 'no such day (Date.parse would roll it into March)'],
		['2026-13-01T10:00', 'no such month'],
		['2026-03-09T24:00', '24:00 is the next day, not a time to write'],
		['2026-03-09T23:60', 'no 60th minute'],
		['2026-03-09T10:00:60', 'no 60th second'],
		['2026-03-09T9:00', 'two digits'],
		['2026-03-09T10:00+08:00', 'no offsets: the field is China time'],
		['2026-03-09', 'a time is needed'],
		['', 'empty']
	])('%s is refused (%s)', (text) => {
		expect(parseChinaDateTime(text)).toBeNull();
		expect(() => requireChinaDateTime(text, 'startsAt', '会议时间')).toThrow('会议时间不对');
	});
});

describe('the one date module: writing dates', () => {
	it.each([
		['2026-11-22T06:05:00', '2026年11月22日', '2026年11月22日 14:05', '2026-11-22', '2026-11-22 14:05', 2026],
		['2025-12-31T15:59:59', '2025年12月31日', '2025年12月31日 23:59', '2025-12-31', '2025-12-31 23:59', 2025],
		['2025-12-31T16:00:00', '2026年1月1日', '2026年1月1日 00:00', '2026-01-01', '2026-01-01 00:00', 2026],
		['2024-02-28T16:00:00', '2024年2月29日', '2024年2月29日 00:00', '2024-02-29', '2024-02-29 00:00', 2024]
	])('%s UTC reads %s', (instant, date, dateTime, iso, isoTime, year) => {
		const ms = utc(instant);
		expect(formatDate(ms)).toBe(date);
		expect(formatDateTime(ms)).toBe(dateTime);
		expect(chinaDateString(ms)).toBe(iso);
		expect(chinaDateTimeString(ms)).toBe(isoTime);
		expect(chinaYear(ms)).toBe(year);
	});

	it('reads back what it writes, for every day of four years', () => {
		for (let ms = utc('2024-01-01T00:00:00'); ms < utc('2028-01-01T00:00:00'); ms += 86_400_000) {
			expect(chinaDayStart(chinaDateString(ms))).toBe(parseChinaDateTime(`${chinaDateString(ms)}T00:00`));
			expect(parseChinaDateTime(chinaDateTimeString(ms))).toBe(ms - (ms % 60_000));
		}
	});
});
