import { unzipSync } from 'fflate';
import { RosterFileError } from './errors.ts';

/**
 * A deliberately small XLSX reader: the first worksheet's cell values as strings, with shared
 * strings, inline strings and numbers; styles, formulas and dates are ignored (a roster has none
 * that matter). Regular expressions over the XML are enough because Excel's own output is regular;
 * element prefixes (x:row) that some libraries write are tolerated.
 */

const NEEDED = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedstrings\.xml|worksheets\/[^/]+\.xml)$/i;

export function readXlsxFirstSheet(bytes: Uint8Array): string[][] {
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes, { filter: (file) => NEEDED.test(file.name) });
	} catch {
		throw new RosterFileError('bad_xlsx', '这个 Excel 文件已损坏或无法打开，请在 Excel 中重新另存为 .xlsx 或 CSV 后再上传');
	}
	const byName = new Map<string, string>();
	const utf8 = new TextDecoder('utf-8');
	for (const [name, data] of Object.entries(files)) byName.set(name.toLowerCase(), utf8.decode(data));

	const sheetXml = byName.get(firstSheetPath(byName));
	if (sheetXml === undefined) {
		throw new RosterFileError('bad_xlsx', '在这个 Excel 文件里找不到工作表，请在 Excel 中重新另存为 .xlsx 或 CSV 后再上传');
	}
	const shared = readSharedStrings(byName.get('xl/sharedstrings.xml') ?? '');
	return readSheet(sheetXml, shared);
}

function firstSheetPath(byName: Map<string, string>): string {
	const fallback = 'xl/worksheets/sheet1.xml';
	const workbook = byName.get('xl/workbook.xml');
	const rels = byName.get('xl/_rels/workbook.xml.rels');
	if (!workbook || !rels) return fallback;
	const sheet = /<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"/.exec(workbook) ?? /<(?:\w+:)?sheet\b[^>]*?\bid="([^"]+)"/.exec(workbook);
	if (!sheet) return fallback;
	for (const rel of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
		if (attribute(rel[1], 'Id') !== sheet[1]) continue;
		const target = attribute(rel[1], 'Target');
		if (!target) break;
		const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
		return path.replace(/\/\.\//g, '/').toLowerCase();
	}
	return fallback;
}

function attribute(attributes: string, name: string): string | undefined {
	const match = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes);
	return match ? decodeXml(match[1]) : undefined;
}

const TEXT_RUN = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
/** Phonetic guides (<rPh>) carry readings, not the cell's text. */
const PHONETIC = /<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g;

function richText(xml: string): string {
	let text = '';
	for (const run of xml.replace(PHONETIC, '').matchAll(TEXT_RUN)) text += decodeXml(run[1]);
	return text;
}

function readSharedStrings(xml: string): string[] {
	const strings: string[] = [];
	for (const item of xml.matchAll(/<(?:\w+:)?si\b(?:[^>]*?\/>|[^>]*>([\s\S]*?)<\/(?:\w+:)?si>)/g)) {
		strings.push(item[1] === undefined ? '' : richText(item[1]));
	}
	return strings;
}

const ROW = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;

function readSheet(xml: string, shared: string[]): string[][] {
	const rows: string[][] = [];
	for (const rowMatch of xml.matchAll(ROW)) {
		const rowNumber = Number(attribute(rowMatch[1], 'r'));
		// Sparse rows: keep the index equal to the spreadsheet row so problems point at the right line.
		const index = Number.isInteger(rowNumber) && rowNumber > 0 ? rowNumber - 1 : rows.length;
		while (rows.length < index) rows.push([]);
		const cells: string[] = [];
		for (const cellMatch of (rowMatch[2] ?? '').matchAll(CELL)) {
			const ref = attribute(cellMatch[1], 'r');
			const fromRef = ref ? columnIndex(ref) : -1;
			const column = fromRef >= 0 ? fromRef : cells.length;
			while (cells.length < column) cells.push('');
			cells[column] = cellText(attribute(cellMatch[1], 't') ?? 'n', cellMatch[2] ?? '', shared);
		}
		rows[index] = cells;
	}
	while (rows.length > 0 && rows[rows.length - 1].every((cell) => cell.trim() === '')) rows.pop();
	return rows;
}

function cellText(type: string, inner: string, shared: string[]): string {
	if (type === 'inlineStr') return richText(inner);
	const value = VALUE.exec(inner)?.[1];
	if (value === undefined) return '';
	switch (type) {
		case 's':
			return shared[Number(value)] ?? '';
		case 'b':
			return value === '1' ? 'TRUE' : 'FALSE';
		case 'n':
			return excelNumber(decodeXml(value));
		default: // str (formula text), e (error such as #N/A), d (ISO date)
			return decodeXml(value);
	}
}

/**
 * Excel stores 89.55 as "89.549999999999997" at times, and formula results carry float noise.
 * Excel itself shows 15 significant digits, so do we: the string becomes "89.55" again before
 * the exact decimal parse in parseAreaHundredths.
 */
export function excelNumber(value: string): string {
	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number)) return value;
	return String(Number(number.toPrecision(15)));
}

function columnIndex(ref: string): number {
	let index = 0;
	for (const ch of ref.toUpperCase()) {
		const code = ch.charCodeAt(0);
		if (code < 65 || code > 90) break;
		index = index * 26 + (code - 64);
	}
	return index - 1;
}

/** XML entities plus OOXML's _xHHHH_ escapes for control characters. */
function decodeXml(text: string): string {
	if (!/[&_]/.test(text)) return text;
	return text
		.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
			switch (entity) {
				case 'lt':
					return '<';
				case 'gt':
					return '>';
				case 'amp':
					return '&';
				case 'quot':
					return '"';
				case 'apos':
					return "'";
				default:
					return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
			}
		})
		.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
