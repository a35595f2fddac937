/**
 * Record v3: per-building turnout only for groups of at least 5 units, and the settlements of
 * persons whose units voted differently — counted on the record, detailed only in the per-unit export,
 * which still recounts to the published figures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRecordAgainstExport, RECORD_VERSION } from '../../../src/lib/domain/records/index.ts';
import { parseExport } from '../../../src/lib/domain/voting/index.ts';
import {
	downloadUnitExport,
	getPublicRecord,
	publishPreliminaryRecord,
	recordApi,
	signCount,
	verifyRecordChain
} from '../../../src/lib/server/records/index.ts';
import {
	closeBallot,
	confirmSettlement,
	enterPaperBallot,
	mixedChoiceCasesOf,
	proposeSettlement
} from '../../../src/lib/server/voting/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { newCompound, newOpenBallot } from '../voting/factories.ts';
import { fakeTime, newClosedBallot, newRecordsWorld, newStaff, type World } from './factories.ts';

let database: TestDatabase;
let world: World;

beforeEach(async () => {
	database = await createTestDatabase();
	world = await newRecordsWorld(database, fakeTime(Date.UTC(2026, 2, 1, 2, 0)));
});
afterEach(() => database.destroy());

describe('record v3', () => {
	it('states per-building turnout with no group under 5 units, and no settlement where none was needed', async () => {
		const { ballotId } = await newClosedBallot(database, world);
		const { recordId } = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId });
		const doc = (await getPublicRecord(database, recordId)).document;
		expect(doc.version).toBe(RECORD_VERSION);
		expect(RECORD_VERSION).toBe(3);
		// Each compound: two buildings of 3 units, merged into one group of 6 (5 voted).
		for (const t of doc.content.turnoutByBuilding!.compounds) {
			const area = expect.any(Number);
			expect(t.groups).toEqual([{ label: '其他楼栋', units: 6, votedUnits: 5, areaHundredths: area, votedAreaHundredths: area }]);
		}
		expect(doc.content.ballot.personSettlements).toEqual({ count: 0, settled: [] });
		const api = JSON.stringify(await recordApi(database, null, recordId));
		expect(api).toContain('turnoutByBuilding');
		expect(api).not.toMatch(/"(1|2)号楼"/);
		expect((await verifyRecordChain(database)).problems).toEqual([]);
	});

	it('a settled person: the record says how, the per-unit export says for which units, and it recounts', async () => {
		const compound = await newCompound(database, {
			units: [{ owner: '王阿姨', areaHundredths: 9000 }, { owner: '王阿姨', areaHundredths: 6000 }, {}, {}, {}, {}],
			buildings: 1,
			name: '仙霞小区',
			parentId: world.aijianJw
		});
		const first = await newStaff(database, 'owners_committee', compound.compoundId);
		const second = await newStaff(database, 'owners_committee', compound.compoundId);
		const options = { ruleKind: 'ordinary' as const, motions: [{ id: 'A', title: '续聘物业' }] };
		const { ballotId, closesAt } = await newOpenBallot(database, world.time, world.admin.actor, [compound], options);
		for (const [unit, choice] of [[compound.units[0], 'yes'], [compound.units[1], 'no'], [compound.units[2], 'yes']] as const) {
			for (const member of [first, second]) {
				await enterPaperBallot(database, member.actor, { ballotId, unitId: unit.unitId, choices: { A: choice } });
			}
		}
		world.time.set(closesAt + 3600_000);
		const [c] = (await mixedChoiceCasesOf(database, first.actor, { ballotId })).cases;
		const proposal = { ballotId, caseKey: c.key, choice: 'abstain', basis: 'owner_unreachable', note: '三次上门未遇' };
		const { settlementId } = await proposeSettlement(database, first.actor, proposal);
		await confirmSettlement(database, second.actor, { ballotId, settlementId });
		await closeBallot(database, first.actor, { ballotId });
		await signCount(database, first.actor, { ballotId, compoundId: compound.compoundId, unitVotes: 'none' });
		const { recordId } = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId });

		const doc = (await getPublicRecord(database, recordId)).document;
		const settled = [{ compoundId: compound.compoundId, motionId: 'A', choice: 'abstain', basis: 'owner_unreachable' }];
		expect(doc.content.ballot.personSettlements).toEqual({ count: 1, settled });
		expect(JSON.stringify(doc)).not.toContain(compound.units[0].unitId);
		expect(JSON.stringify(doc)).not.toContain('三次上门未遇');
		// One building of 6 units: shown as itself.
		expect(doc.content.turnoutByBuilding!.compounds[0].groups.map((g) => [g.label, g.units, g.votedUnits])).toEqual([['1号楼', 6, 3]]);

		const { text } = await downloadUnitExport(database, world.juwei.actor, recordId);
		const parsed = parseExport(text);
		expect(parsed.ok).toBe(true);
		const units = parsed.ok ? parsed.doc : null;
		expect(units!.personSettlements![0].units.map((u) => u.unitId)).not.toContain(compound.units[0].unitId);
		expect(checkRecordAgainstExport(doc.content, units)).toEqual({ ok: true, problems: [] });
	});
});
