import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeRosterFile, parseCsv, RosterFileError, validateRoster } from '../../../src/lib/domain/roster/index.ts';
import { buildXlsx, zipXlsxParts } from '../../fixtures/roster/build-xlsx.ts';
import { SAMPLE_ROWS, SAMPLE_UNITS } from '../../fixtures/roster/sample.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/roster/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseCsv', () => {
	it('reads quoted fields with commas, doubled quotes and line breaks inside', () => {
		const text = 'a,b,c\r\n"3号楼, 东","他说""好""","第一行\r\n第二行"\r\nx,,z\r\n';
		expect(parseCsv(text)).toEqual([
			['a', 'b', 'c'],
			['3号楼, 东', '他说"好"', '第一行\r\n第二行'],
			['x', '', 'z']
		]);
	});

	it('accepts LF, CRLF and bare CR line ends, and a last line without one', () => {
		expect(parseCsv('a,b\nc,d\re,f\r\ng,h')).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e', 'f'],
			['g', 'h']
		]);
	});

	it('keeps blank rows in the middle (row numbers stay as in Excel) and drops trailing ones', () => {
		expect(parseCsv('a\n\nb\n,\n\n')).toEqual([['a'], [''], ['b']]);
	});

	it('detects tab-separated text', () => {
		expect(parseCsv('楼栋\t室号\t业主\n1号楼\t101\t顾建国, 沈秀英\n')).toEqual([
			['楼栋', '室号', '业主'],
			['1号楼', '101', '顾建国, 沈秀英']
		]);
	});
});

describe('decodeRosterFile: encodings', () => {
	it.each([
		['roster-utf8.csv', 'utf-8'],
		['roster-utf8-bom.csv', 'utf-8'],
		['roster-gb18030.csv', 'gb18030'],
		['roster-utf16.txt', 'utf-16le']
	])('reads %s as %s into the same rows', (name, encoding) => {
		const decoded = decodeRosterFile(fixture(name), name);
		expect(decoded.format).toBe('csv');
		expect(decoded.encoding).toBe(encoding);
		expect(decoded.rows).toEqual(SAMPLE_ROWS);
	});

	it('strips the UTF-8 BOM so the first header is "楼栋", not "\\ufeff楼栋"', () => {
		const decoded = decodeRosterFile(fixture('roster-utf8-bom.csv'), 'x.csv');
		expect(decoded.rows[0][0]).toBe('楼栋');
	});

	it('falls back to GB18030 only when the bytes are not valid UTF-8', () => {
		// "楼栋,室号" in GBK.
		const gbk = new Uint8Array([0xc2, 0xa5, 0xb6, 0xb0, 0x2c, 0xca, 0xd2, 0xba, 0xc5]);
		expect(decodeRosterFile(gbk, 'x.csv')).toMatchObject({ encoding: 'gb18030', rows: [['楼栋', '室号']] });
		expect(decodeRosterFile(utf8('楼栋,室号'), 'x.csv')).toMatchObject({ encoding: 'utf-8', rows: [['楼栋', '室号']] });
	});

	it('a GB18030 file validates to the same units as the UTF-8 one', () => {
		const result = validateRoster(decodeRosterFile(fixture('roster-gb18030.csv'), 'x.csv').rows);
		expect(result.problems).toEqual([]);
		expect(result.units).toEqual(SAMPLE_UNITS);
	});
});

describe('decodeRosterFile: XLSX', () => {
	it('reads the fixture workbook: shared strings and numeric cells', () => {
		const decoded = decodeRosterFile(fixture('roster.xlsx'), '清册.xlsx');
		expect(decoded.format).toBe('xlsx');
		expect(decoded.rows[0]).toEqual(SAMPLE_ROWS[0]);
		expect(decoded.rows[1].slice(0, 3)).toEqual(['1号楼', '101', '89.5']); // 89.50 stored as the number 89.5
		const result = validateRoster(decoded.rows);
		expect(result.problems).toEqual([]);
		expect(result.units).toEqual(SAMPLE_UNITS);
	});

	it('is recognised by its content, not its name', () => {
		expect(decodeRosterFile(buildXlsx([['楼栋']]), 'renamed.csv').format).toBe('xlsx');
	});

	it('reads inline strings', () => {
		const bytes = buildXlsx(
			[
				['楼栋', '室号'],
				['3号楼', 502]
			],
			{ strings: 'inline' }
		);
		expect(decodeRosterFile(bytes, 'a.xlsx').rows).toEqual([
			['楼栋', '室号'],
			['3号楼', '502']
		]);
	});

	it('takes the first sheet by workbook order, following the relationships', () => {
		const bytes = buildXlsx([['第一张']], {
			firstSheetPath: 'worksheets/roster.xml',
			moreSheets: [{ name: '说明', rows: [['第二张']] }]
		});
		expect(decodeRosterFile(bytes, 'a.xlsx').rows).toEqual([['第一张']]);
	});

	it('handles rich text runs, phonetic guides, entities, prefixed elements, gaps and float noise', () => {
		const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
		const bytes = zipXlsxParts({
			'xl/workbook.xml':
				`<x:workbook ${ns} xmlns:r="r"><x:sheets>` + '<x:sheet name="a" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
			'xl/_rels/workbook.xml.rels':
				'<Relationships><Relationship Id="rId1" Type="worksheet" ' + 'Target="/xl/worksheets/sheet1.xml"/></Relationships>',
			'xl/sharedStrings.xml':
				`<x:sst ${ns}><x:si><x:r><x:t>顾</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t ` +
				`xml:space="preserve">建国 </x:t></x:r><x:rPh sb="0" ` +
				`eb="1"><x:t>GU</x:t></x:rPh></x:si><x:si><x:t>&lt;b&gt;A&amp;B&lt;/b&gt;_x000D_</x:t></x:si></x:sst>`,
			'xl/worksheets/sheet1.xml':
				`<x:worksheet ${ns}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c ` +
				`r="C1" t="s"><x:v>1</x:v></x:c></x:row><x:row r="3"><x:c ` +
				`r="B3"><x:v>89.549999999999997</x:v></x:c><x:c ` +
				`r="C3"><x:f>A1*1.1</x:f><x:v>98.450000000000017</x:v></x:c><x:c r="D3" ` +
				`t="b"><x:v>1</x:v></x:c><x:c r="E3" s="2"/></x:row></x:sheetData></x:worksheet>`
		});
		expect(decodeRosterFile(bytes, 'a.xlsx').rows).toEqual([['顾建国 ', '', '<b>A&B</b>\r'], [], ['', '89.55', '98.45', 'TRUE', '']]);
	});

	it('decodes each entity once: a cell that reads &amp;#10; keeps it as typed', () => {
		const bytes = buildXlsx([['A&#10;B &amp; _x000D_']], { strings: 'inline' });
		expect(decodeRosterFile(bytes, 'a.xlsx').rows).toEqual([['A&#10;B &amp; \r']]);
	});

	it('refuses a part with a DOCTYPE (entity expansion) before parsing it', () => {
		const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
		const sheet =
			`${laughs}<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr">` +
			'<is><t>&lol2;</t></is></c></row></sheetData></worksheet>';
		expect(() => decodeRosterFile(zipXlsxParts({ 'xl/worksheets/sheet1.xml': sheet }), 'a.xlsx')).toThrowError(/已损坏/);
	});

	it('reads pretty-printed XML with whitespace between elements, keeping spaces inside text', () => {
		const sheet = [
			'<worksheet>',
			'  <sheetData>',
			'    <row r="1">',
			'      <c r="A1" t="inlineStr"><is><t xml:space="preserve">  3号楼 </t></is></c>',
			'      <c r="B1"><v>502</v></c>',
			'    </row>',
			'  </sheetData>',
			'</worksheet>'
		].join('\n');
		expect(decodeRosterFile(zipXlsxParts({ 'xl/worksheets/sheet1.xml': sheet }), 'a.xlsx').rows).toEqual([['  3号楼 ', '502']]);
	});

	it('refuses an old .xls file with a Chinese explanation', () => {
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		expect(() => decodeRosterFile(xls, '清册.xls')).toThrowError(RosterFileError);
		expect(() => decodeRosterFile(xls, '清册.xls')).toThrowError(/旧版 Excel（\.xls）.*另存为/);
	});

	it('refuses a broken zip and an empty file', () => {
		const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
		expect(() => decodeRosterFile(broken, 'a.xlsx')).toThrowError(/已损坏/);
		expect(() => decodeRosterFile(new Uint8Array(), 'a.csv')).toThrowError(/是空的/);
	});
});

describe('cells that look like code stay text', () => {
	const script = '<script>alert(1)</script>';
	const formula = '=HYPERLINK("http://evil.example","点我")';
	const img = '<img src=x onerror=alert(1)>';

	it('CSV and XLSX return them verbatim', () => {
		const csv = `楼栋,室号,面积,业主\n3号楼,"${formula.replace(/"/g, '""')}",89.5,${script}\n`;
		expect(decodeRosterFile(utf8(csv), 'x.csv').rows[1]).toEqual(['3号楼', formula, '89.5', script]);
		const xlsx = buildXlsx([['业主'], [script], [formula]]);
		expect(decodeRosterFile(xlsx, 'x.xlsx').rows).toEqual([['业主'], [script], [formula]]);
	});

	it('validation keeps them as plain strings in the unit', () => {
		const rows = [
			['楼栋', '室号', '面积', '业主'],
			['3号楼', script, '89.5', img],
			['3号楼', formula, '70', '顾建国']
		];
		const { units, problems } = validateRoster(rows);
		expect(problems).toEqual([]);
		expect(units.map((unit) => unit.room)).toEqual([script, formula]);
		expect(units[0].owners).toEqual([{ name: img }]);
	});
});
