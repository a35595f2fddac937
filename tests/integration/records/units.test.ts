import { and, eq } from 'drizzle-orm';
import { outcomeRecords } from '../../../src/lib/server/db/schema/index.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/lib/server/db/client.ts';
import { auditLog } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	downloadUnitExport,
	getPublicRecord,
	ownerReceipt,
	publishPreliminaryRecord,
	recordApi,
	verifyRecordChain
} from '../../../src/lib/server/records/index.ts';
import {
	checkRecordAgainstExport,
	hashDocument,
	verifyInclusionProof,
	type InclusionProof,
	type RecordDocument
} from '../../../src/lib/domain/records/index.ts';
import { parseExport, recountExport, type VoteExport } from '../../../src/lib/domain/voting/index.ts';
import { newCompound, newOwner } from '../voting/factories.ts';
import { createTestDatabase, tamper, type TestDatabase } from '../../helpers/db.ts';
import { fakeTime, newClosedBallot, newRecordsWorld, newStaff, type World } from './factories.ts';
import { RECORD_VERSION } from '../../../src/lib/domain/records/index.ts';
import { signCount } from '../../../src/lib/server/records/index.ts';
import {
	closeBallot,
	confirmSettlement,
	enterPaperBallot,
	mixedChoiceCasesOf,
	proposeSettlement
} from '../../../src/lib/server/voting/index.ts';
import { newOpenBallot } from '../voting/factories.ts';

let database: TestDatabase;
let world: World;

beforeEach(async () => {
	database = await createTestDatabase();
	world = await newRecordsWorld(database, fakeTime(Date.UTC(2026, 2, 1, 2, 0)));
});
afterEach(() => database.destroy());

async function publishGate() {
	const { ballotId } = await newClosedBallot(database, world);
	return publishPreliminaryRecord(database, world.juwei.actor, { ballotId });
}

describe('the per-unit export of a published record (record.export_units)', () => {
	it(
		'an owner of the compound downloads it, it is the export the record commits to, and it ' + 'recounts to the published figures',
		async () => {
			const { recordId } = await publishGate();
			const { text } = await downloadUnitExport(database, world.owners[0].actor, recordId);
			const doc = (await getPublicRecord(database, recordId)).document;
			const parsed = parseExport(text);
			expect(parsed.ok).toBe(true);
			const units = (parsed as { ok: true; doc: VoteExport }).doc;
			expect(checkRecordAgainstExport(doc.content, units)).toEqual({ ok: true, problems: [] });
			expect(recountExport(units)).toEqual(doc.content.result);
			// Pseudonymised per ballot; no room or building beside a choice.
			expect(units.rosters.flatMap((r) => r.units).every((u) => u.room === '—' && u.building === '—')).toBe(true);
			for (const owner of world.owners) expect(text).not.toContain(owner.units[0].unitId);
		}
	);

	it('every download is in the audit log, with who downloaded which record', async () => {
		const { recordId } = await publishGate();
		await downloadUnitExport(database, world.owners[6].actor, recordId);
		const rows = await database.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'record.export_units'), eq(auditLog.subjectId, recordId)));
		expect(rows.map((r) => r.actorId)).toEqual([world.owners[6].userId]);
	});

	it('the scrutineer and the 居委 may download it', async () => {
		const { recordId } = await publishGate();
		const scrutineer = await newStaff(database, 'scrutineer', world.aijian.compoundId);
		await expect(downloadUnitExport(database, scrutineer.actor, recordId)).resolves.toHaveProperty('text');
		await expect(downloadUnitExport(database, world.juwei.actor, recordId)).resolves.toHaveProperty('text');
	});

	it('an owner of another compound, a tenant, a 业委会-less stranger and nobody signed in are refused', async () => {
		const { recordId } = await publishGate();
		const elsewhere = await newCompound(database, { units: 2, name: '仙霞小区', parentId: world.aijianJw });
		const outsider = await newOwner(database, elsewhere);
		await expect(downloadUnitExport(database, outsider.actor, recordId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(downloadUnitExport(database, world.tenant.actor, recordId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(downloadUnitExport(database, null, recordId)).rejects.toBeInstanceOf(AccessDenied);
		const rows = await database.db.select().from(auditLog).where(eq(auditLog.action, 'record.export_units'));
		expect(rows).toEqual([]);
	});
});

describe('receipts: an owner checks their own counted row', () => {
	it('gives the owner proofs with their own choice that verify against the export and the record’s root', async () => {
		const { recordId } = await publishGate();
		const doc = (await getPublicRecord(database, recordId)).document;
		const { text } = await downloadUnitExport(database, world.owners[4].actor, recordId);
		const units = JSON.parse(text) as VoteExport;
		const receipt = await ownerReceipt(database, world.owners[4].actor, recordId);
		expect(receipt.merkleRoot).toBe(doc.content.voteExport.merkleRoot);
		expect(receipt.proofs).toHaveLength(1);
		// owners[4] voted no (newClosedBallot: every fifth owner).
		expect(receipt.proofs[0].row).toMatchObject({ motionId: 'B', choice: 'no', channel: 'electronic' });
		expect(verifyInclusionProof(receipt.proofs[0], units, doc.content.voteExport.merkleRoot)).toEqual({ ok: true, problems: [] });
	});

	it('a proof whose choice was changed no longer verifies', async () => {
		const { recordId } = await publishGate();
		const { text } = await downloadUnitExport(database, world.owners[0].actor, recordId);
		const [proof] = (await ownerReceipt(database, world.owners[0].actor, recordId)).proofs;
		const forged: InclusionProof = { ...proof, row: { ...proof.row, choice: proof.row.choice === 'yes' ? 'no' : 'yes' } };
		const check = verifyInclusionProof(forged, JSON.parse(text) as VoteExport);
		expect(check.ok).toBe(false);
	});

	it('only owners of the compounds get a receipt, and only for their own units', async () => {
		const { recordId } = await publishGate();
		await expect(ownerReceipt(database, world.tenant.actor, recordId)).rejects.toBeInstanceOf(AccessDenied);
		await expect(ownerReceipt(database, world.juwei.actor, recordId)).rejects.toBeInstanceOf(AccessDenied);
		const a = await ownerReceipt(database, world.owners[0].actor, recordId);
		const b = await ownerReceipt(database, world.owners[1].actor, recordId);
		expect(a.proofs[0].row.unitId).not.toBe(b.proofs[0].row.unitId);
	});
});

describe('records published before v2', () => {
	/** A record as release 0.x published it: version 1, its export public, no Merkle root. */
	async function asVersionOne(recordId: string) {
		const [row] = await database.db.select().from(outcomeRecords).where(eq(outcomeRecords.id, recordId));
		const doc = JSON.parse(row.document) as RecordDocument;
		const { merkleRoot, leafCount, ...voteExport } = doc.content.voteExport;
		void merkleRoot;
		void leafCount;
		const v1 = { ...doc, version: 1 as const, content: { ...doc.content, voteExport } };
		const { canonical, hash } = hashDocument(v1);
		const edit = (tx: Tx) => tx.update(outcomeRecords).set({ document: canonical, hash }).where(eq(outcomeRecords.id, recordId));
		await tamper(database, ['outcome_records'], () => database.write(edit));
	}

	it('keep verifying, and keep their public vote export in the API', async () => {
		const { recordId } = await publishGate();
		await asVersionOne(recordId);
		const report = await verifyRecordChain(database);
		expect(report.problems).toEqual([]);
		const api = await recordApi(database, 'http://x', recordId);
		expect(api.document.version).toBe(1);
		expect(checkRecordAgainstExport(api.document.content, api.voteExport)).toEqual({ ok: true, problems: [] });
		await expect(ownerReceipt(database, world.owners[0].actor, recordId)).rejects.toThrow(/旧格式/);
	});
});

/**
 * Record v3: per-building turnout only for groups of at least 5 units, and the settlements of persons whose
 * units voted differently — counted on the record, detailed only in the per-unit export, which still recounts.
 */
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
		for (const [unit, choice] of [
			[compound.units[0], 'yes'],
			[compound.units[1], 'no'],
			[compound.units[2], 'yes']
		] as const) {
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
