import { RosterFileError } from './errors.ts';
import { XlsxReadError, readXlsxRows } from './xlsx-read.js';

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

export function toRosterFileError(error: unknown): unknown {
	if (error instanceof XlsxReadError) return new RosterFileError(error.reason as 'bad_xlsx' | 'too_large', error.message);
	return error;
}
