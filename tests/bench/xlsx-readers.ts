/**
 * Roster XLSX readers on a 20,000-unit roster in the shapes 业委会 send (issue #18 part 6): time and
 * memory of domain/roster/xlsx-read.js (fflate + fast-xml-parser) and, when it can be imported, of
 * exceljs (not a dependency: `EXCELJS=/path/to/node_modules/exceljs npx tsx tests/bench/xlsx-readers.ts`).
 * Each reading runs in a fresh process so that peak memory is its own. Figures: README, Roster import.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildXlsx, type XlsxCell } from '../fixtures/roster/build-xlsx.ts';
import { bigRosterRows } from '../fixtures/roster/big-roster.ts';

const FULL_WIDTH = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** A title row above the header (merged across the sheet in Excel), numbers typed as text, full-width digits. */
function realisticRows(): XlsxCell[][] {
	const [header, ...units] = bigRosterRows();
	return [
		['爱建小区房屋清册（2026年3月）', null, null, null, null, null, null, null, null],
		header,
		...units.map((row, i) =>
			i % 3 === 0
				? row.map((c) => (typeof c === 'number' ? FULL_WIDTH(String(c)) : c))
				: row.map((c) => (typeof c === 'number' ? String(c) : c))
		)
	];
}

const files = {
	'shared strings': buildXlsx(realisticRows(), { strings: 'shared' }),
	'inline strings': buildXlsx(realisticRows(), { strings: 'inline' })
};

if (process.argv[2] === 'read') {
	const [, , , reader, path] = process.argv;
	const bytes = new Uint8Array(readFileSync(path));
	const started = performance.now();
	let rows = 0;
	if (reader === 'yishi') {
		const { readXlsxRows } = await import('../../src/lib/domain/roster/xlsx-read.js');
		rows = readXlsxRows(bytes).length;
	} else {
		const ExcelJS = (await import(process.env.EXCELJS!)).default;
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes));
		workbook.worksheets[0].eachRow(() => rows++);
	}
	const ms = performance.now() - started;
	console.log(JSON.stringify({ ms: Math.round(ms), rows, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
	const dir = mkdtempSync(join(tmpdir(), 'xlsx-bench-'));
	const readers = process.env.EXCELJS ? ['yishi', 'exceljs'] : ['yishi'];
	for (const [shape, bytes] of Object.entries(files)) {
		const path = join(dir, `${shape.replace(' ', '-')}.xlsx`);
		writeFileSync(path, bytes);
		for (const reader of readers) {
			const runs = [1, 2].map(() =>
				JSON.parse(
					execFileSync('npx', ['tsx', import.meta.filename, 'read', reader, path], { encoding: 'utf8' })
						.trim()
						.split('\n')
						.at(-1)!
				)
			);
			const best = runs.sort((a, b) => a.ms - b.ms)[0];
			console.log(
				`${shape} (${(bytes.length / 1024).toFixed(0)} KB): ${reader} ${best.ms} ms, ` +
					`peak RSS ${best.peakRssMb} MB, ${best.rows} rows`
			);
		}
	}
}
