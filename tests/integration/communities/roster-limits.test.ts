/**
 * Bounded parsing of uploads (issue #11, part 4): an XLSX is read in a worker thread within size
 * and time limits, so a hostile file is refused with a Chinese message naming the limit and never
 * holds the event loop that answers other people.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterFileError } from '../../../src/lib/domain/roster/index.ts';
import { previewRosterImport } from '../../../src/lib/server/roster/import.ts';
import { currentUnits } from '../../../src/lib/server/roster/units.ts';
import { readXlsxOffThread } from '../../../src/lib/server/roster/xlsx-off-thread.ts';
import { InvalidInput } from '../../../src/lib/server/errors.ts';
import { bigRosterXlsx } from '../../fixtures/roster/big-roster.ts';
import { streamedBomb } from '../../fixtures/roster/hostile-xlsx.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { pace } from '../../helpers/wait.ts';
import { newGateCommunity, newUser } from './factories.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => database.destroy());

async function newManager() {
	const ids = await newGateCommunity(database, 4);
	const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
	return { ids, actor: await ywh.actor() };
}

describe('roster upload limits', () => {
	it('refuses a decompression bomb with the limit named, on the same form', async () => {
		const { ids, actor } = await newManager();
		const preview = previewRosterImport(database, actor, ids.aijian, streamedBomb(60, 'rows'), '清册.xlsx');
		await expect(preview).rejects.toBeInstanceOf(InvalidInput);
		await expect(preview).rejects.toThrow('表格解压后超过 50 MB，请只保留房屋清册一张工作表后重新导出');
	});

	it('answers another user within 2 s while a hostile XLSX is being read', async () => {
		const { ids, actor } = await newManager();
		// Within the size limit but about a million rows of XML: seconds of work for the reader.
		const hostile = streamedBomb(45, 'rows');
		let done = false;
		const started = performance.now();
		const preview = previewRosterImport(database, actor, ids.aijian, hostile, '清册.xlsx').finally(() => (done = true));
		const latencies: number[] = [];
		while (!done) {
			const t = performance.now();
			await currentUnits(database, ids.hongqiao);
			latencies.push(performance.now() - t);
			await pace(20);
		}
		await preview.catch(() => undefined);
		// The reader was busy for a while (it really was parsing), and every other request got through.
		expect(performance.now() - started).toBeGreaterThan(500);
		expect(latencies.length).toBeGreaterThan(5);
		expect(Math.max(...latencies)).toBeLessThan(2000);
	});

	it('ends a reader that takes longer than its time limit', async () => {
		const error = await readXlsxOffThread(bigRosterXlsx(20_000), 50).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RosterFileError);
		expect((error as RosterFileError).reason).toBe('too_slow');
		expect((error as RosterFileError).message).toMatch(/秒内没有读完/);
	});

	it('previews a 20,000-unit XLSX roster through the worker', async () => {
		const { ids } = await newManager();
		const admin = await newUser(database, { grants: [{ role: 'admin', scopeId: null }] });
		const compoundId = await database.write(async (tx) => {
			const { insertNode } = await import('../../../src/lib/server/communities/tree.ts');
			return insertNode(tx, { kind: 'compound', name: '大型小区', parentId: ids.aijianJw });
		});
		const preview = await previewRosterImport(database, await admin.actor(), compoundId, bigRosterXlsx(20_000), 'big.xlsx');
		expect(preview.format).toBe('xlsx');
		expect(preview.problems).toEqual([]);
		expect(preview.units).toBe(20_000);
	});
});
