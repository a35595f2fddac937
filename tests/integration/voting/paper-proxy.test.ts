/**
 * 受托人代签的纸质票 (issue #15): a paper ballot a proxy signed names its 委托书 under double entry —
 * both typings must name the same one (else 不一致) — is held to the 委托书's instructions like a
 * proxy's electronic ballot, and counts as a proxy vote in the tally and the per-unit export.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { castVotes } from '../../../src/lib/server/db/schema/index.ts';
import {
	closeBallot,
	enterPaperBallot,
	exportBallot,
	getResult,
	listPaperMismatches,
	myRecentPaperEntries,
	recordProxy,
	revokeProxy
} from '../../../src/lib/server/voting/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { countedRows, fakeTime, newCompound, newOpenBallot, newStaff, newUser } from './factories.ts';

const INSTRUCTED = { A: 'no', B: 'yes', C: 'abstain' };

let database: TestDatabase;
let world: Awaited<ReturnType<typeof newWorld>>;

/** One compound of three units, two 业委会 members, an open ballot and 王阿姨's 委托书 for unit 1. */
async function newWorld() {
	const time = fakeTime();
	const compound = await newCompound(database, { units: 3 });
	const memberA = await newStaff(database, 'owners_committee', compound.compoundId, '业委会甲');
	const memberB = await newStaff(database, 'owners_committee', compound.compoundId, '业委会乙');
	const { ballotId, closesAt } = await newOpenBallot(database, time, memberA.actor, [compound], { ruleKind: 'advisory' });
	const proxyUserId = await newUser(database, '受托人小李');
	const letter = { ballotId, unitIds: [compound.units[0].unitId], principalName: '王阿姨', proxyUserId, instructions: INSTRUCTED };
	const { proxyId } = await recordProxy(database, memberA.actor, letter);
	return { time, compound, memberA, memberB, ballotId, closesAt, proxyId, unitId: compound.units[0].unitId };
}

beforeEach(async () => {
	database = await createTestDatabase();
	world = await newWorld();
});
afterEach(() => database.destroy());

describe('a paper ballot signed by a 受托人', () => {
	it('counts when both typings name the same 委托书, as a proxy vote in the count and the export', async () => {
		const { time, memberA, memberB, ballotId, closesAt, proxyId, unitId } = world;
		const first = await enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: INSTRUCTED, proxyId });
		expect(first.status).toBe('awaiting_second');
		expect((await myRecentPaperEntries(database, memberA.actor, { ballotId }))[0].lines).toContain('受托人代签（委托人：王阿姨）');
		const second = await enterPaperBallot(database, memberB.actor, { ballotId, unitId, choices: INSTRUCTED, proxyId });
		expect(second.status).toBe('confirmed');

		const counted = await countedRows(database, ballotId);
		expect(counted.map((c) => [c.motionId, c.channel, c.choice, c.viaProxy])).toEqual([
			['A', 'paper', 'no', true],
			['B', 'paper', 'yes', true],
			['C', 'paper', 'abstain', true]
		]);
		const cast = await database.db.select({ proxyId: castVotes.proxyId }).from(castVotes).where(eq(castVotes.ballotId, ballotId));
		expect(cast.map((c) => c.proxyId)).toEqual([proxyId, proxyId, proxyId]);

		time.set(closesAt);
		await closeBallot(database, memberA.actor, { ballotId });
		const { result } = await getResult(database, { ballotId });
		const a = result.motions[0].compounds[0];
		expect(a.kind === 'owners' && [a.ballots.paper, a.ballots.viaProxy]).toEqual([1, 1]);
		const { doc } = await exportBallot(database, memberA.actor, { ballotId });
		expect(doc.ballots.map((b) => [b.channel, b.viaProxy])).toEqual([
			['paper', true],
			['paper', true],
			['paper', true]
		]);
	});

	it('is 不一致 when one typing names the 委托书 and the other the owner', async () => {
		const { memberA, memberB, ballotId, proxyId, unitId } = world;
		await enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: INSTRUCTED, proxyId });
		const second = await enterPaperBallot(database, memberB.actor, { ballotId, unitId, choices: INSTRUCTED });
		expect(second.status).toBe('mismatch');
		expect(await countedRows(database, ballotId)).toHaveLength(0);
		const [mismatch] = await listPaperMismatches(database, memberA.actor, { ballotId });
		expect(mismatch.entries.map((e) => [e.enteredByName, e.proxyPrincipal])).toEqual([
			['业委会甲', '王阿姨'],
			['业委会乙', null]
		]);
	});

	it('is refused, and nothing kept, when it departs from the 委托书', async () => {
		const { memberA, ballotId, proxyId, unitId } = world;
		const contrary = enterPaperBallot(database, memberA.actor, { ballotId, unitId, choices: { ...INSTRUCTED, A: 'yes' }, proxyId });
		await expect(contrary).rejects.toThrow('委托书要求对「方案A 全天开放」投「反对」，不能投「同意」');
		expect(await myRecentPaperEntries(database, memberA.actor, { ballotId })).toEqual([]);
	});

	it('covers only the motions the 委托书 names; an owner’s own paper ballot still answers all', async () => {
		const { compound, memberA, memberB, ballotId } = world;
		const { proxyId: partial } = await recordProxy(database, memberA.actor, {
			ballotId,
			unitIds: [compound.units[1].unitId],
			principalName: '赵伯伯',
			proxyUserId: await newUser(database),
			instructions: { B: 'yes' }
		});
		const enter = (member: typeof memberA, choices: Record<string, string>, proxy?: string) =>
			enterPaperBallot(database, member.actor, { ballotId, unitId: compound.units[1].unitId, choices, proxyId: proxy });
		await expect(enter(memberA, { A: 'no', B: 'yes' }, partial)).rejects.toThrow('委托书没有授权对「方案A 全天开放」投票');
		expect((await enter(memberA, { B: 'yes' }, partial)).status).toBe('awaiting_second');
		await expect(enter(memberB, { B: 'yes' })).rejects.toThrow(/请对每一项表决事项作出选择/);
	});

	it('names a 委托书 of this unit that is still in force', async () => {
		const { compound, memberA, memberB, ballotId, proxyId, unitId } = world;
		const enter = (member: typeof memberA, unit: string, proxy: string) =>
			enterPaperBallot(database, member.actor, { ballotId, unitId: unit, choices: INSTRUCTED, proxyId: proxy });
		await expect(enter(memberA, compound.units[2].unitId, proxyId)).rejects.toThrow('这份委托书不是这户房屋的');
		await expect(enter(memberA, unitId, 'no-such')).rejects.toThrow('没有找到这份委托书');
		await enter(memberA, unitId, proxyId);
		await revokeProxy(database, memberA.actor, { proxyId });
		await expect(enter(memberB, unitId, proxyId)).rejects.toThrow('这份委托书已经撤销');
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});
});
