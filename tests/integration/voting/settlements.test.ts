/**
 * 多套房屋投票不一致: one owner, two units, two paper ballots with different choices. The case is
 * listed after the deadline, the close (by hand and by the scheduler) waits until two 业委会 members
 * settle it, the export carries the settlement and recounts, and the settlement rows are append-only.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseExport, verifyExport, type OwnersCompoundTally, type VoteExport } from '../../../src/lib/domain/voting/index.ts';
import { choiceSettlements, notifications } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, RuleBroken } from '../../../src/lib/server/errors.ts';
import type { Actor } from '../../../src/lib/domain/access/policy.ts';
import { runDueWork } from '../../../src/lib/server/scheduler/scheduler.ts';
import {
	closeBallot,
	confirmSettlement,
	enterPaperBallot,
	exportBallot,
	loadBallot,
	mixedChoiceCasesOf,
	proposeSettlement,
	withdrawSettlement
} from '../../../src/lib/server/voting/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { fakeTime, newCompound, newOpenBallot, newOwner, newStaff } from './factories.ts';

let database: TestDatabase;
let time: ReturnType<typeof fakeTime>;
let scene: Awaited<ReturnType<typeof newScene>>;

/**
 * 王阿姨 owns two units (one person, SPC art. 9), four other owners one each; two 业委会 members; an
 * open ordinary ballot on one motion. 王阿姨's units voted yes and no on paper, another owner yes.
 */
async function newScene() {
	const compound = await newCompound(database, {
		units: [{ owner: '王阿姨', areaHundredths: 9000 }, { owner: '王阿姨', areaHundredths: 6000 }, {}, {}, {}, {}],
		buildings: 1
	});
	const first = await newStaff(database, 'owners_committee', compound.compoundId, '业委会甲');
	const second = await newStaff(database, 'owners_committee', compound.compoundId, '业委会乙');
	const options = { ruleKind: 'ordinary' as const, allowChange: true, motions: [{ id: 'A', title: '续聘物业' }] };
	const { ballotId, closesAt } = await newOpenBallot(database, time, first.actor, [compound], options);
	const made = { compound, first, second, ballotId, closesAt };
	await paper(made, compound.units[0].unitId, 'yes');
	await paper(made, compound.units[1].unitId, 'no');
	await paper(made, compound.units[2].unitId, 'yes');
	return made;
}

type Scene = { first: { actor: Actor }; second: { actor: Actor }; ballotId: string };

/** Both members enter the same paper ballot for a unit: it counts. */
async function paper({ first, second, ballotId }: Scene, unitId: string, choice: 'yes' | 'no' | 'abstain') {
	await enterPaperBallot(database, first.actor, { ballotId, unitId, choices: { A: choice } });
	const r = await enterPaperBallot(database, second.actor, { ballotId, unitId, choices: { A: choice } });
	expect(r.status).toBe('confirmed');
}

/** One member's proposal for the case with this key. */
function propose(member: { actor: Actor }, caseKey: string, choice: string, basis = 'owner_stated') {
	return proposeSettlement(database, member.actor, { ballotId: scene.ballotId, caseKey, choice, basis, note: '' });
}

beforeEach(async () => {
	time = fakeTime();
	database = await createTestDatabase();
	scene = await newScene();
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

describe('a person whose units voted differently', () => {
	it('is listed only after the deadline, and the close waits until two members settle it; the export recounts', async () => {
		const { compound, first, second, ballotId, closesAt } = scene;
		expect((await mixedChoiceCasesOf(database, first.actor, { ballotId })).stage).toBe('before');
		time.set(closesAt + 3600_000);

		await expect(closeBallot(database, first.actor, { ballotId })).rejects.toThrow('还有 1 位业主的几套房屋投票意见不一致');
		const pass = await runDueWork(database);
		expect(pass.waiting).toEqual([ballotId]);
		const told = await database.db.select().from(notifications).where(eq(notifications.userId, first.userId));
		expect(told.map((n) => n.href)).toContain(`/manage/ballots/${ballotId}/settle`);

		const page = await mixedChoiceCasesOf(database, first.actor, { ballotId });
		expect(page).toMatchObject({ stage: 'ended', open: 1 });
		const [c] = page.cases;
		expect(c.units.map((u) => `${u.label} ${u.area} ${u.choiceLabel} ${u.channelLabel}`).sort()).toEqual(
			[`1号楼 101 90.00㎡ 同意 纸质票`, `1号楼 102 60.00㎡ 反对 纸质票`].sort()
		);
		expect(c.allowedChoices.map((x) => x.value)).toEqual(['yes', 'no', 'abstain']);

		await proposeSettlement(database, first.actor, {
			ballotId,
			caseKey: c.key,
			choice: 'no',
			basis: 'owner_stated',
			note: '电话问过本人'
		});
		const pending = (await mixedChoiceCasesOf(database, first.actor, { ballotId })).cases[0].settlement!;
		expect(pending).toMatchObject({ choiceLabel: '反对', canConfirm: false, canWithdraw: true });
		await expect(confirmSettlement(database, first.actor, { ballotId, settlementId: pending.id })).rejects.toThrow(
			'须由另一位业委会成员确认'
		);
		await expect(runDueWork(database)).resolves.toMatchObject({ waiting: [ballotId] });

		await confirmSettlement(database, second.actor, { ballotId, settlementId: pending.id });
		const closed = await runDueWork(database);
		expect(closed.closed.map((c) => c.ballotId)).toEqual([ballotId]);
		const ballot = await loadBallot(database.db, ballotId);
		expect(ballot.closedAt).toBe(time.now);
		expect(ballot.closeDelayReason).toContain('1 位业主的几套房屋投票意见不一致');

		const { json } = await exportBallot(database, first.actor, { ballotId });
		const parsed = parseExport(json);
		expect(parsed.ok).toBe(true);
		const doc = JSON.parse(json) as VoteExport;
		expect(verifyExport(doc)).toEqual([]);
		expect(doc.personSettlements).toEqual([
			{ compoundId: compound.compoundId, motionId: 'A', units: expect.any(Array), choice: 'no', basis: 'owner_stated' }
		]);
		const tally = doc.result.motions[0].compounds[0] as OwnersCompoundTally;
		// 王阿姨 counts as no in persons; her 90 ㎡ stays yes and her 60 ㎡ no
		expect(tally.yes).toEqual({ areaHundredths: 9000 + compound.units[2].areaHundredths, persons: 1 });
		expect(tally.no).toEqual({ areaHundredths: 6000, persons: 1 });
		expect(JSON.stringify(doc)).not.toContain('电话问过本人');
	});

	it('a settlement of choices that changed since no longer holds; a pending one may be withdrawn and stays on record', async () => {
		const { compound, first, second, ballotId, closesAt } = scene;
		time.set(closesAt + 3600_000);
		const [c] = (await mixedChoiceCasesOf(database, first.actor, { ballotId })).cases;
		const { settlementId } = await propose(first, c.key, 'yes');
		await expect(propose(second, c.key, 'no')).rejects.toThrow('已有一项处理意见');
		await withdrawSettlement(database, second.actor, { ballotId, settlementId });
		expect(await database.db.select().from(choiceSettlements)).toHaveLength(1);

		// A unit's paper ballot is entered again (both members), now abstaining: the case is another one.
		await paper(scene, compound.units[1].unitId, 'abstain');
		const [changed] = (await mixedChoiceCasesOf(database, first.actor, { ballotId })).cases;
		expect(changed.key).not.toBe(c.key);
		expect(changed.allowedChoices.map((x) => x.value)).toEqual(['yes', 'abstain']);
		await expect(propose(first, c.key, 'yes')).rejects.toThrow('投票已有变化');
		await expect(propose(first, changed.key, 'no')).rejects.toThrow('只能是他某套房屋投的意见');
		// Not reached: counts as abstaining whatever was chosen on the form.
		const { settlementId: id2 } = await propose(first, changed.key, 'yes', 'owner_unreachable');
		await confirmSettlement(database, second.actor, { ballotId, settlementId: id2 });
		await closeBallot(database, first.actor, { ballotId });
		const { doc } = await exportBallot(database, first.actor, { ballotId });
		expect(doc.personSettlements?.map((s) => [s.choice, s.basis])).toEqual([['abstain', 'owner_unreachable']]);
	});

	it('refuses anyone but the compound’s 业委会, and the rows can be neither deleted nor rewritten', async () => {
		const { compound, first, second, ballotId, closesAt } = scene;
		time.set(closesAt + 3600_000);
		const owner = await newOwner(database, compound);
		await expect(mixedChoiceCasesOf(database, owner.actor, { ballotId })).rejects.toThrow(AccessDenied);
		const scrutineer = await newStaff(database, 'scrutineer', compound.compoundId);
		const watched = await mixedChoiceCasesOf(database, scrutineer.actor, { ballotId });
		expect(watched.cases[0].canPropose).toBe(false);
		await expect(propose(scrutineer, watched.cases[0].key, 'yes')).rejects.toThrow(AccessDenied);
		const { settlementId } = await propose(first, watched.cases[0].key, 'yes');
		await confirmSettlement(database, second.actor, { ballotId, settlementId });
		await expect(withdrawSettlement(database, first.actor, { ballotId, settlementId })).rejects.toThrow(RuleBroken);
		await expect(database.db.delete(choiceSettlements)).rejects.toThrow();
		await expect(database.db.update(choiceSettlements).set({ choice: 'no' })).rejects.toThrow();
		await expect(database.db.update(choiceSettlements).set({ withdrawnAt: 1 })).rejects.toThrow();
	});
});
