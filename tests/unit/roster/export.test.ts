import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rosterToCsv, decodeRosterFile, validateRoster } from '../../../src/lib/domain/roster/index.ts';
import { defuseFormula } from '../../../src/lib/domain/roster/text.ts';
import { newUnit, withoutSourceRow } from './factories.ts';

/** The cells of the first data row, unquoted (the export quotes cells with commas, quotes or breaks). */
function firstRow(csv: string): string[] {
	return decodeRosterFile(new TextEncoder().encode(csv), 'x.csv').rows[1];
}

describe('CSV export defuses spreadsheet formulas (OWASP CSV injection)', () => {
	it('prefixes an apostrophe to text cells starting with = + - @ tab or CR', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) {
			expect(defuseFormula(`${start}1+1`)).toBe(`'${start}1+1`);
		}
		expect(defuseFormula('顾建国')).toBe('顾建国');
		expect(defuseFormula('')).toBe('');
		expect(defuseFormula("'=already")).toBe("'=already");
	});

	it('guards every text column: building, room, owner, id hint and phone', () => {
		const unit = newUnit({
			building: '=1号楼',
			room: '@SUM(A1)',
			owners: [{ name: '=HYPERLINK("http://evil.example","点我")', idHint: '-123', phone: '+86 13800000000' }]
		});
		const row = firstRow(rosterToCsv([unit], { bom: false }));
		expect(row[0]).toBe("'=1号楼");
		expect(row[1]).toBe("'@SUM(A1)");
		expect(row[5]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
		expect(row[6]).toBe("'-123");
		expect(row[7]).toBe("'+86 13800000000");
	});

	it('writes the area as the number it is: never prefixed, even if negative', () => {
		const row = firstRow(rosterToCsv([newUnit({ areaHundredths: 8950 })], { bom: false }));
		expect(row[2]).toBe('89.50');
		// Not a value a roster can hold (areas are > 0), but the column is a number the app writes.
		const negative = firstRow(rosterToCsv([newUnit({ areaHundredths: -150 })], { bom: false }));
		expect(negative[2]).toBe('-1.50');
	});

	it('reads back to the same units, guards removed', () => {
		const unit = newUnit({ room: '=1+1', owners: [{ name: '-顾', idHint: '@12', phone: '+86 139' }] });
		const { units, problems } = validateRoster(decodeRosterFile(new TextEncoder().encode(rosterToCsv([unit])), 'x.csv').rows);
		expect(problems).toEqual([]);
		expect(withoutSourceRow(units)).toEqual([unit]);
	});

	it('no exported text cell ever starts with a formula trigger (property)', () => {
		const text = fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/[、]/g, 'x'));
		const starts = fc.constantFrom('', '=', '+', '-', '@', '\t', '\r', ' ');
		fc.assert(
			fc.property(starts, text, text, text, (start, building, room, name) => {
				building = start + building;
				room = start + room;
				name = start + name;
				const row = firstRow(rosterToCsv([newUnit({ building, room, owners: [{ name }] })], { bom: false }));
				for (const i of [0, 1, 5]) expect(row[i]).not.toMatch(/^[=+\-@\t\r]/);
			}),
			{ numRuns: 200 }
		);
	});
});
