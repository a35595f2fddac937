import { describe, expect, it } from 'vitest';
import { decodeRosterFile, RosterFileError, XLSX_LIMITS } from '../../../src/lib/domain/roster/index.ts';
import { bigRosterXlsx } from '../../fixtures/roster/big-roster.ts';
import { declaredBomb, manyEntries, streamedBomb } from '../../fixtures/roster/hostile-xlsx.ts';

const refusal = (bytes: Uint8Array): RosterFileError => {
	try {
		decodeRosterFile(bytes, 'x.xlsx');
	} catch (error) {
		if (error instanceof RosterFileError) return error;
		throw error;
	}
	throw new Error('not refused');
};

describe('bounded XLSX reading', () => {
	it('admits a real 20,000-unit roster, with shared or inline strings', { timeout: 60_000 }, () => {
		for (const strings of ['shared', 'inline'] as const) {
			const decoded = decodeRosterFile(bigRosterXlsx(20_000, strings), 'big.xlsx');
			expect(decoded.rows).toHaveLength(20_001);
			expect(decoded.rows[20_000].slice(0, 2)).toEqual(['50号楼', '119999']);
		}
	});

	it('stops a worksheet that declares nothing once 50 MB have really come out, and names the limit', { timeout: 60_000 }, () => {
		const bomb = streamedBomb(60, 'rows');
		expect(bomb.length).toBeLessThan(8 * 1024 * 1024);
		// A spreadsheet-like ratio (about 12:1): the size limit, not the ratio check, stops it.
		expect(bomb.length * XLSX_LIMITS.maxRatio).toBeGreaterThan(60 * 1024 * 1024);
		const error = refusal(bomb);
		expect(error.reason).toBe('too_large');
		expect(error.message).toBe('表格解压后超过 50 MB，请只保留房屋清册一张工作表后重新导出');
	});

	it('refuses an absurd compression ratio before the size limit is reached', { timeout: 60_000 }, () => {
		// 40 MB of blank space is under the 50 MB limit but compresses about 1000:1.
		const error = refusal(streamedBomb(40));
		expect(error.reason).toBe('too_large');
		expect(XLSX_LIMITS.maxInflatedBytes).toBeGreaterThan(40 * 1024 * 1024);
	});

	it('refuses a declared bomb early, from its local header', { timeout: 60_000 }, () => {
		expect(refusal(declaredBomb()).reason).toBe('too_large');
	});

	it('refuses an archive with more parts than any workbook has', () => {
		expect(decodeRosterFile(manyEntries(10), 'ok.xlsx').rows).toEqual([['楼栋']]);
		expect(refusal(manyEntries(XLSX_LIMITS.maxEntries + 1)).message).toMatch(/部件超过 2000 个/);
	});

	it('refuses a file over the upload limit before decoding it, CSV included', () => {
		const huge = new Uint8Array(8 * 1024 * 1024 + 1).fill(0x41);
		expect(refusal(huge).message).toMatch(/超过 8 MB/);
	});
});
