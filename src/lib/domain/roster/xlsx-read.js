// @ts-check
/**
 * The XLSX reader behind 房屋清册 import, in plain JavaScript so that the server can run it in a
 * worker thread (src/lib/server/roster/xlsx-worker.js) without a TypeScript loader; the
 * browser and the tests use it through xlsx.ts.
 *
 * A spreadsheet is a zip, and a small zip can inflate to gigabytes (a decompression bomb). The
 * limits below are enforced on what is really produced — bytes are counted as the inflater emits
 * them, the compressed input is fed in small slices so no single step can produce more than a few
 * MB — never on the sizes the zip declares (which a hostile file chooses). A real 20,000-unit
 * roster inflates to about 10 MB at a ratio near 10:1.
 *
 * What is read: the first worksheet's cell values as strings, with shared strings, inline strings
 * and numbers; styles, formulas and dates are ignored (a roster has none that matter). The XML is
 * read by htmlparser2's streaming parser in XML mode. Pure: it imports nothing but fflate and htmlparser2.
 *
 * Why htmlparser2 (measured with tests/bench/xlsx-readers.ts on a 20,000-unit roster; figures in
 * README, "Bounded upload parsing"): fast-xml-parser builds a tree of the whole sheet first and took
 * 7× the time of the earlier regular expressions; exceljs is a whole workbook model, slower again
 * and too heavy for the browser, which reads the same file for the preview.
 */
import { Unzip, UnzipInflate } from 'fflate';
import { Parser } from 'htmlparser2';

export const XLSX_LIMITS = Object.freeze({
	/** The parts we read (workbook, its rels, shared strings, worksheets), inflated, together. */
	maxInflatedBytes: 50 * 1024 * 1024,
	/** Entries in the zip; Excel writes about a dozen, plus one per sheet, image or style part. */
	maxEntries: 2000,
	/** Inflated ÷ file size, checked once more than `ratioFloorBytes` came out (small parts may compress better). */
	maxRatio: 200,
	ratioFloorBytes: 4 * 1024 * 1024
});

/** Compressed bytes handed to the inflater per step: bounds what one step can emit (deflate's ratio is at most ~1032:1). */
const SLICE = 4 * 1024;

const NEEDED = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedstrings\.xml|worksheets\/[^/]+\.xml)$/i;

/**
 * A file that cannot or must not be read. `code` and `params` say why, and xlsx.ts turns them into a sentence in the
 * reader's language: this file also runs in a worker thread, which has no request and so no language.
 */
export class XlsxReadError extends Error {
	/**
	 * @param {'bad_xlsx' | 'too_large'} reason
	 * @param {XlsxRefusalCode} code
	 * @param {Record<string, number>} [params]
	 */
	constructor(reason, code, params = {}) {
		super(`unreadable XLSX: ${code} ${JSON.stringify(params)}`);
		this.name = 'XlsxReadError';
		this.reason = reason;
		this.code = code;
		this.params = params;
	}
}

/** @typedef {'corrupt' | 'no_sheet' | 'too_many_parts' | 'inflated_too_large'} XlsxRefusalCode */

const MB = 1024 * 1024;
const badXlsx = () => new XlsxReadError('bad_xlsx', 'corrupt');

/**
 * Inflates only the parts a roster needs, within XLSX_LIMITS. Throws XlsxReadError.
 * @param {Uint8Array} bytes
 * @param {typeof XLSX_LIMITS} [limits]
 * @returns {Map<string, Uint8Array>} lower-cased part name → bytes
 */
export function inflateXlsxParts(bytes, limits = XLSX_LIMITS) {
	/** @type {Map<string, Uint8Array[]>} */
	const chunks = new Map();
	let entries = 0;
	let produced = 0;
	/** Parts started and not yet inflated to their end: a truncated zip leaves one behind. */
	let unfinished = 0;
	/** @type {XlsxReadError | null} */
	let refused = null;
	const refuse = (/** @type {XlsxReadError} */ error) => {
		refused ??= error;
		throw refused;
	};
	const tooLarge = () => new XlsxReadError('too_large', 'inflated_too_large', { mb: XLSX_LIMITS.maxInflatedBytes / MB });
	const unzip = new Unzip();
	unzip.register(UnzipInflate);
	unzip.onfile = (file) => {
		if (++entries > limits.maxEntries) refuse(new XlsxReadError('too_large', 'too_many_parts', { limit: limits.maxEntries }));
		if (!NEEDED.test(file.name)) return;
		// What the zip declares is only a hint, but an absurd declaration is refused before inflating.
		if (file.originalSize !== undefined && file.originalSize > limits.maxInflatedBytes) refuse(tooLarge());
		if (
			file.size !== undefined &&
			file.originalSize !== undefined &&
			file.originalSize > limits.ratioFloorBytes &&
			file.originalSize > file.size * limits.maxRatio
		)
			refuse(tooLarge());
		const name = file.name.toLowerCase();
		/** @type {Uint8Array[]} */
		const parts = [];
		chunks.set(name, parts);
		unfinished++;
		file.ondata = (error, data, final) => {
			if (refused) return;
			if (error) refuse(badXlsx());
			produced += data.length;
			if (produced > limits.maxInflatedBytes) refuse(tooLarge());
			if (produced > limits.ratioFloorBytes && produced > bytes.length * limits.maxRatio) refuse(tooLarge());
			if (data.length > 0) parts.push(data);
			if (final) unfinished--;
		};
		file.start();
	};
	try {
		for (let offset = 0; offset < bytes.length; offset += SLICE) {
			unzip.push(bytes.subarray(offset, Math.min(offset + SLICE, bytes.length)), offset + SLICE >= bytes.length);
		}
	} catch (error) {
		if (refused) throw refused;
		if (error instanceof XlsxReadError) throw error;
		throw badXlsx();
	}
	if (refused) throw refused;
	if (entries === 0 || unfinished > 0) throw badXlsx();
	/** @type {Map<string, Uint8Array>} */
	const files = new Map();
	for (const [name, parts] of chunks) {
		const total = parts.reduce((sum, p) => sum + p.length, 0);
		const joined = new Uint8Array(total);
		let at = 0;
		for (const p of parts) {
			joined.set(p, at);
			at += p.length;
		}
		files.set(name, joined);
	}
	return files;
}

/**
 * The first worksheet's rows of cell text. Throws XlsxReadError.
 * @param {Uint8Array} bytes
 * @param {typeof XLSX_LIMITS} [limits]
 * @returns {string[][]}
 */
export function readXlsxRows(bytes, limits = XLSX_LIMITS) {
	const files = inflateXlsxParts(bytes, limits);
	/** @type {Map<string, string>} */
	const byName = new Map();
	const utf8 = new TextDecoder('utf-8');
	for (const [name, data] of files) byName.set(name, utf8.decode(data));
	const sheetXml = byName.get(firstSheetPath(byName));
	if (sheetXml === undefined) {
		throw new XlsxReadError('bad_xlsx', 'no_sheet');
	}
	const shared = readSharedStrings(byName.get('xl/sharedstrings.xml') ?? '');
	return readSheet(sheetXml, shared);
}

/**
 * Streams one part through htmlparser2 in XML mode with element prefixes dropped (x:row, which
 * some libraries write, is row). htmlparser2 decodes each entity once, knows no DTD (so no entity
 * expansion), and keeps no tree: a 20,000-row sheet is read in one pass. Excel never writes a
 * DOCTYPE; a part that has one is refused.
 * @param {string} text
 * @param {{
 *   open?: (name: string, attributes: Record<string, string>) => void,
 *   text?: (text: string) => void,
 *   close?: (name: string) => void
 * }} on
 */
function walk(text, on) {
	const local = (/** @type {string} */ name) => name.slice(name.indexOf(':') + 1);
	const parser = new Parser(
		{
			onopentag: (name, attributes) => on.open?.(local(name), attributes),
			ontext: (chunk) => on.text?.(chunk),
			onclosetag: (name) => on.close?.(local(name)),
			onprocessinginstruction: (name) => {
				if (name.toLowerCase() === '!doctype') throw badXlsx();
			}
		},
		{ xmlMode: true, decodeEntities: true }
	);
	parser.end(text);
}

/** @param {Map<string, string>} byName */
function firstSheetPath(byName) {
	const fallback = 'xl/worksheets/sheet1.xml';
	const workbook = byName.get('xl/workbook.xml');
	const rels = byName.get('xl/_rels/workbook.xml.rels');
	if (!workbook || !rels) return fallback;
	/** @type {string | undefined} */
	let id;
	walk(workbook, {
		open: (name, attributes) => {
			// The first <sheet>: its relationship id is r:id, or a plain id where the r namespace was left out.
			if (name === 'sheet' && id === undefined) id = attributes['r:id'] ?? attributes.id ?? '';
		}
	});
	if (!id) return fallback;
	/** @type {string | undefined} */
	let target;
	walk(rels, {
		open: (name, attributes) => {
			if (name === 'Relationship' && attributes.Id === id && target === undefined) target = attributes.Target;
		}
	});
	if (!target) return fallback;
	const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
	return path.replace(/\/\.\//g, '/').toLowerCase();
}

/**
 * Text of string items (<si>) or inline strings (<is>): their <t>, directly or in rich-text runs;
 * phonetic guides (<rPh>) carry readings, not the cell's text. Calls `done` with each item's text.
 * @param {string} item  the element that holds one string: si or is
 * @param {(text: string) => void} done
 */
function stringItems(item, done) {
	let inItem = false;
	let inText = false;
	let phonetic = 0;
	let text = '';
	return {
		/** @param {string} name */
		open(name) {
			if (name === item) {
				inItem = true;
				text = '';
			} else if (inItem && name === 'rPh') phonetic++;
			else if (inItem && name === 't' && phonetic === 0) inText = true;
		},
		/** @param {string} chunk */
		text(chunk) {
			if (inText) text += chunk;
		},
		/** @param {string} name */
		close(name) {
			if (name === 't') inText = false;
			else if (name === 'rPh') phonetic--;
			else if (name === item && inItem) {
				inItem = false;
				done(ooxmlEscapes(text));
			}
		}
	};
}

/** @param {string} text */
function readSharedStrings(text) {
	/** @type {string[]} */
	const strings = [];
	walk(
		text,
		stringItems('si', (s) => strings.push(s))
	);
	return strings;
}

/** @param {string} text @param {string[]} shared */
function readSheet(text, shared) {
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	let cells = [];
	let rowIndex = 0;
	let column = 0;
	let type = 'n';
	/** @type {string | undefined} */
	let value;
	let inValue = false;
	/** @type {string | undefined} */
	let inline;
	const inlineText = stringItems('is', (s) => (inline = s));
	walk(text, {
		open(name, attributes) {
			if (name === 'row') {
				const rowNumber = Number(attributes.r);
				// Sparse rows: keep the index equal to the spreadsheet row so problems point at the right line.
				rowIndex = Number.isInteger(rowNumber) && rowNumber > 0 ? rowNumber - 1 : rows.length;
				cells = [];
			} else if (name === 'c') {
				const fromRef = attributes.r ? columnIndex(attributes.r) : -1;
				column = fromRef >= 0 ? fromRef : cells.length;
				type = attributes.t ?? 'n';
				value = undefined;
				inline = undefined;
			} else if (name === 'v') {
				inValue = true;
				value = '';
			} else inlineText.open(name);
		},
		text(chunk) {
			if (inValue) value += chunk;
			else inlineText.text(chunk);
		},
		close(name) {
			if (name === 'v') inValue = false;
			else if (name === 'c') {
				while (cells.length < column) cells.push('');
				cells[column] = cellText(type, value, inline, shared);
			} else if (name === 'row') {
				while (rows.length < rowIndex) rows.push([]);
				rows[rowIndex] = cells;
			} else inlineText.close(name);
		}
	});
	while (rows.length > 0 && rows[rows.length - 1].every((cell) => cell.trim() === '')) rows.pop();
	return rows;
}

/**
 * @param {string} type @param {string | undefined} value @param {string | undefined} inline @param {string[]} shared
 * @returns {string}
 */
function cellText(type, value, inline, shared) {
	if (type === 'inlineStr') return inline ?? '';
	if (value === undefined) return '';
	switch (type) {
		case 's':
			return shared[Number(value)] ?? '';
		case 'b':
			return value === '1' ? 'TRUE' : 'FALSE';
		case 'n':
			return excelNumber(value);
		default: // str (formula text), e (error such as #N/A), d (ISO date)
			return ooxmlEscapes(value);
	}
}

/**
 * Excel stores 89.55 as "89.549999999999997" at times, and formula results carry float noise.
 * Excel itself shows 15 significant digits, so do we: the string becomes "89.55" again before
 * the exact decimal parse in parseAreaHundredths.
 */
/** @param {string} value */
export function excelNumber(value) {
	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number)) return value;
	return String(Number(number.toPrecision(15)));
}

/** @param {string} ref */
function columnIndex(ref) {
	let index = 0;
	for (const ch of ref.toUpperCase()) {
		const code = ch.charCodeAt(0);
		if (code < 65 || code > 90) break;
		index = index * 26 + (code - 64);
	}
	return index - 1;
}

/** OOXML's _xHHHH_ escapes for control characters (XML entities are htmlparser2's to decode). */
/** @param {string} text @returns {string} */
function ooxmlEscapes(text) {
	return text.includes('_x') ? text.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : text;
}
