import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { newGateCommunity, newUser, rosterOf } from './factories.ts';
import { confirmRosterImport, previewRosterImport } from '../../../src/lib/server/roster/import.ts';
import { currentUnits, rosterVersionsOf } from '../../../src/lib/server/roster/units.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { rosterToCsv } from '../../../src/lib/domain/roster/index.ts';
import { AccessDenied, InvalidInput } from '../../../src/lib/server/errors.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => database.destroy());

const bytes = (text: string) => new TextEncoder().encode(text);

describe('roster import', () => {
	it('previews without writing anything, then appends a version with a diff on confirmation', async () => {
		const ids = await newGateCommunity(database, 8);
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const next = rosterOf(8, ids.aijian);
		next[0] = { ...next[0], areaHundredths: next[0].areaHundredths + 50 };
		next.push({
			building: '2号楼',
			room: '105',
			areaHundredths: 9000,
			areaSource: 'surveyed',
			status: 'owned',
			owners: [{ name: '新业主' }]
		});
		const file = bytes(rosterToCsv(next));

		const preview = await previewRosterImport(database, await ywh.actor(), ids.aijian, file, '清册.csv');
		expect(preview.problems).toEqual([]);
		expect(preview.diff.summary).toContain('新增 1 户');
		expect(preview.diff.changed).toBe(1);
		expect((await rosterVersionsOf(database, ids.aijian)).length).toBe(1);

		const done = await confirmRosterImport(database, await ywh.actor(), ids.aijian, file, '清册.csv');
		expect(done.versionNo).toBe(2);
		const versions = await rosterVersionsOf(database, ids.aijian);
		expect(versions.map((v) => v.versionNo)).toEqual([2, 1]);
		expect(versions[1].unitCount).toBe(8); // the old version is untouched
		expect((await currentUnits(database, ids.aijian)).length).toBe(9);
	});

	it('the first import into a compound whose buildings the administrator already created matches them and adds the rest', async () => {
		const ids = await newGateCommunity(database, 4);
		const fresh = await database.write(async (tx) => {
			const compound = await insertNode(tx, { kind: 'compound', name: '幸福小区', parentId: ids.aijianJw });
			await insertNode(tx, { kind: 'building', name: '1号楼', parentId: compound });
			return compound;
		});
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: fresh }] });
		const file = bytes(rosterToCsv(rosterOf(12, fresh)));
		const preview = await previewRosterImport(database, await ywh.actor(), fresh, file, '清册.csv');
		expect(preview.problems).toEqual([]);
		expect(preview.isFirstImport).toBe(true);
		expect(preview.newBuildings).toEqual(['2号楼', '3号楼']);
		await confirmRosterImport(database, await ywh.actor(), fresh, file, '清册.csv');
		const current = await currentUnits(database, fresh);
		expect(current).toHaveLength(12);
		expect(new Set(current.map((u) => u.buildingName))).toEqual(new Set(['1号楼', '2号楼', '3号楼']));
		// Afterwards an unknown building is a typo again.
		const typo = bytes(rosterToCsv([...rosterOf(12, fresh), { ...rosterOf(1, fresh)[0], building: '33号楼' }]));
		const second = await previewRosterImport(database, await ywh.actor(), fresh, typo, '清册.csv');
		expect(second.problems.map((p) => p.kind)).toContain('unknown_building');
	});

	it('a file with a bad row is refused whole and the previous roster stays current', async () => {
		const ids = await newGateCommunity(database, 8);
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const csv = rosterToCsv(rosterOf(8, ids.aijian)).replace(/,80\.00,/, ',八十,');
		const preview = await previewRosterImport(database, await ywh.actor(), ids.aijian, bytes(csv), 'bad.csv');
		expect(preview.problems).toHaveLength(1);
		expect(preview.problems[0].message).toContain('八十');
		await expect(confirmRosterImport(database, await ywh.actor(), ids.aijian, bytes(csv), 'bad.csv')).rejects.toBeInstanceOf(
			InvalidInput
		);
		expect((await rosterVersionsOf(database, ids.aijian)).length).toBe(1);
	});

	it('an 爱建 业委会 member can neither preview nor import 虹桥’s roster', async () => {
		const ids = await newGateCommunity(database);
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const file = bytes(rosterToCsv(rosterOf(3)));
		await expect(previewRosterImport(database, await ywh.actor(), ids.hongqiao, file, 'x.csv')).rejects.toBeInstanceOf(AccessDenied);
		await expect(confirmRosterImport(database, await ywh.actor(), ids.hongqiao, file, 'x.csv')).rejects.toBeInstanceOf(AccessDenied);
	});

	it('an owner, even of the same compound, cannot import', async () => {
		const ids = await newGateCommunity(database);
		const unit = (await currentUnits(database, ids.aijian))[0];
		const owner = await newUser(database, { owns: [unit.id] });
		await expect(
			previewRosterImport(database, await owner.actor(), ids.aijian, bytes('楼栋,室号,面积,业主\n'), 'x.csv')
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('imports 20,000 units in one version', async () => {
		const ids = await newGateCommunity(database, 1);
		const admin = await newUser(database, { grants: [{ role: 'admin', scopeId: null }] });
		const big = Array.from({ length: 20_000 }, (_, i) => ({
			building: `${1 + Math.floor(i / 400)}号楼`,
			room: String(100000 + i),
			areaHundredths: 6000 + (i % 5000),
			areaSource: 'registered' as const,
			status: 'owned' as const,
			owners: [{ name: `业主${i}` }]
		}));
		// A fresh compound: its first import defines its buildings.
		const compoundId = await database.write(async (tx) => {
			const { insertNode } = await import('../../../src/lib/server/communities/tree.ts');
			return insertNode(tx, { kind: 'compound', name: '大型小区', parentId: ids.aijianJw });
		});
		const file = bytes(rosterToCsv(big));
		const preview = await previewRosterImport(database, await admin.actor(), compoundId, file, 'big.csv');
		expect(preview.problems).toEqual([]);
		expect(preview.units).toBe(20_000);
		await confirmRosterImport(database, await admin.actor(), compoundId, file, 'big.csv');
		const { rows } = await database.client.execute({
			sql: 'select count(*) as n from units where compound_id = ?',
			args: [compoundId]
		});
		const n = rows[0].n;
		expect(Number(n)).toBe(20_000);
	});
});
