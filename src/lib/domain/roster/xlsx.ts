import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';
import { RosterFileError } from './errors.ts';
import { XlsxReadError, readXlsxRows, type XlsxRefusalCode } from './xlsx-read.js';

export { XLSX_LIMITS, excelNumber } from './xlsx-read.js';

/**
 * The first worksheet's cell values as strings, read within XLSX_LIMITS (xlsx-read.js). The
 * server runs the same reader in a worker thread (roster/xlsx-off-thread.ts); the browser
 * and the tests call this.
 */
export function readXlsxFirstSheet(bytes: Uint8Array): string[][] {
	try {
		return readXlsxRows(bytes);
	} catch (error) {
		throw toRosterFileError(error);
	}
}

/** What the reader's refusal says, from its code and numbers; `locale` for a worker's refusal read after the request. */
export function xlsxRefusal(code: XlsxRefusalCode, params: Record<string, number>, options: { locale?: Locale } = {}): string {
	switch (code) {
		case 'too_many_parts':
			return m.admin_xlsx_too_many_parts({ limit: params.limit }, options);
		case 'inflated_too_large':
			return m.admin_xlsx_inflated_too_large({ mb: params.mb }, options);
		case 'no_sheet':
			return m.admin_xlsx_no_sheet({}, options);
		default:
			return m.admin_xlsx_corrupt({}, options);
	}
}

export function toRosterFileError(error: unknown): unknown {
	if (error instanceof XlsxReadError) return new RosterFileError(error.reason, xlsxRefusal(error.code, error.params));
	return error;
}
