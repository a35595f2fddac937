/**
 * RFC 4180 CSV reading as Excel writes it: quoted fields with embedded separators, newlines and
 * doubled quotes; CRLF, LF or bare CR line ends. One record per spreadsheet row, blank rows kept
 * (so row numbers match what the user sees in Excel); trailing blank rows dropped.
 */

export type Delimiter = ',' | '\t' | ';';

/** Guesses the separator from the first record: Excel's "Unicode text" export uses tabs, some locales semicolons. */
export function detectDelimiter(text: string): Delimiter {
	const counts: Record<Delimiter, number> = { ',': 0, '\t': 0, ';': 0 };
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"') inQuotes = !inQuotes;
		else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
		else if (!inQuotes && (ch === ',' || ch === '\t' || ch === ';')) counts[ch]++;
	}
	if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
	if (counts[';'] > counts[',']) return ';';
	return ',';
}

export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let inQuotes = false;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const ch = text[i];
		if (inQuotes) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				inQuotes = false;
				i++;
				continue;
			}
			// Copy the run up to the next quote in one go: keeps 20,000-row files linear and fast.
			const next = text.indexOf('"', i);
			const end = next === -1 ? n : next;
			field += text.slice(i, end);
			i = end;
			continue;
		}
		if (ch === '"' && field === '') {
			inQuotes = true;
			i++;
		} else if (ch === delimiter) {
			row.push(field);
			field = '';
			i++;
		} else if (ch === '\r' || ch === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
		} else {
			field += ch;
			i++;
		}
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	while (rows.length > 0 && rows[rows.length - 1].every((cell) => cell.trim() === '')) rows.pop();
	return rows;
}

/** Quotes a field when it needs it (separator, quote, line break, or outer whitespace). */
export function quoteCsvField(value: string): string {
	return /[",\r\n\t;]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
