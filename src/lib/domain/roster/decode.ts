import { detectDelimiter, parseCsv, type Delimiter } from './csv.ts';
import { RosterFileError } from './errors.ts';
import { readXlsxFirstSheet } from './xlsx.ts';
import { m } from '../../paraglide/messages.js';

export type RosterTextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedRosterFile {
	format: 'csv' | 'xlsx';
	/** For CSV: how the bytes were read. GBK files are read as GB18030, its superset. */
	encoding?: RosterTextEncoding;
	delimiter?: Delimiter;
	/** Cell text exactly as in the file (no trimming, no interpretation); index 0 is spreadsheet row 1. */
	rows: string[][];
}

/**
 * Reads an uploaded 房屋清册 file into rows of strings. XLSX is recognised by its zip signature
 * (not the file name, which users rename); everything else is read as delimited text: UTF-8 with
 * or without BOM, UTF-16 with BOM (Excel's "Unicode text"), otherwise GB18030 — what Chinese Excel
 * writes for "CSV (逗号分隔)". Throws RosterFileError with a Chinese message when unreadable.
 */
export function decodeRosterFile(bytes: Uint8Array, fileName: string): DecodedRosterFile {
	checkRosterFile(bytes, fileName);
	if (isXlsx(bytes)) return { format: 'xlsx', rows: readXlsxFirstSheet(bytes) };
	return decodeDelimited(bytes, fileName);
}

/** 20,000 units take about 2 MB as CSV and 1 MB as XLSX; a file far larger is a mistake or an attack. */
export const MAX_ROSTER_FILE_BYTES = 8 * 1024 * 1024;

/** What is refused before any decoding: an empty file, one over MAX_ROSTER_FILE_BYTES. */
export function checkRosterFile(bytes: Uint8Array, fileName: string): void {
	if (bytes.length === 0) throw new RosterFileError('empty', m.admin_rf_empty({ name: fileName }));
	if (bytes.length > MAX_ROSTER_FILE_BYTES) {
		throw new RosterFileError('too_large', m.admin_rf_too_large({ mb: MAX_ROSTER_FILE_BYTES / 1024 / 1024 }));
	}
}

/** XLSX is recognised by its zip signature, not by the file name (users rename files). */
export function isXlsx(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Everything but XLSX: refuses the old binary .xls, reads the rest as delimited text. */
export function decodeDelimited(bytes: Uint8Array, fileName: string): DecodedRosterFile {
	if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
		throw new RosterFileError('legacy_xls', m.admin_rf_legacy_xls({ name: fileName }));
	}
	const { text, encoding } = decodeText(bytes);
	if (text.includes('\u0000')) {
		throw new RosterFileError('unreadable', m.admin_rf_unreadable({ name: fileName }));
	}
	const delimiter = detectDelimiter(text);
	return { format: 'csv', encoding, delimiter, rows: parseCsv(text, delimiter) };
}

/** Picks the text encoding: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: RosterTextEncoding } {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
	}
	if (bytes[0] === 0xff && bytes[1] === 0xfe) {
		return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	}
	if (bytes[0] === 0xfe && bytes[1] === 0xff) {
		return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
	}
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
	}
}
