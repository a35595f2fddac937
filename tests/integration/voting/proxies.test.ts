import { describe, expect, it } from 'vitest';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	castByProxy,
	castElectronicBallot,
	closeBallot,
	exportBallot,
	listPublishedBallotReceipts,
	recordProxy,
	revokeProxy
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, countedRows, freshCompoundForEachTest, newOpenBallotWithProxy, newOwner, newUser } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

// The principal owns two units (same name on the roster: one person, SPC art. 9).
freshCompoundForEachTest(
	{ units: [{ owner: '王阿姨' }, { owner: '王阿姨' }, {}, {}] },
	(bed) => ({ database, time, compound, committee } = bed)
);

const INSTRUCTED = { A: 'no', B: 'yes' };

async function withProxy() {
	const proxy = await newOwner(database, compound, { unitIds: [compound.units[2].unitId], name: '受托人' });
	const { ballotId, closesAt, proxyId } = await newOpenBallotWithProxy(
		{ database, time, compound, committee },
		{ unitIds: [compound.units[0].unitId, compound.units[1].unitId], proxyUserId: proxy.userId, instructions: INSTRUCTED }
	);
	return { proxy, ballotId, closesAt, proxyId };
}

describe('proxies (委托书)', () => {
	it('the proxy casts as instructed for the principal’s units, and the record shows it came by proxy', async () => {
		const { proxy, ballotId, closesAt, proxyId } = await withProxy();
		const cast = await castByProxy(database, proxy.actor, { proxyId, choices: INSTRUCTED });
		expect(cast.units.map((u) => u.unitId)).toEqual([compound.units[0].unitId, compound.units[1].unitId]);
		const counted = await countedRows(database, ballotId);
		expect(counted).toHaveLength(4);
		expect(counted.every((c) => c.viaProxy)).toBe(true);

		// The proxy's own unit is still theirs to vote for, separately.
		await castElectronicBallot(database, proxy.actor, { ballotId, choices: ALL_YES });

		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });
		const { doc } = await exportBallot(database, committee.actor, { ballotId });
		const byProxy = doc.ballots.filter((b) => b.viaProxy);
		expect(byProxy.map((b) => [b.unitId, b.motionId, b.choice]).sort()).toEqual(
			[
				[compound.units[0].unitId, 'A', 'no'],
				[compound.units[0].unitId, 'B', 'yes'],
				[compound.units[1].unitId, 'A', 'no'],
				[compound.units[1].unitId, 'B', 'yes']
			].sort()
		);
		const a = doc.result.motions[0].compounds[0];
		expect(a.kind === 'owners' && [a.ballots.viaProxy, a.no.persons, a.yes.persons]).toEqual([2, 1, 1]);
		expect((await listPublishedBallotReceipts(database, { ballotId })).find((r) => r.receipt === cast.receipt)?.viaProxy).toBe(true);
	});

	it('refuses a choice against the instructions, a motion the 委托书 does not cover, and counts nothing', async () => {
		const { proxy, ballotId, proxyId } = await withProxy();
		await expect(castByProxy(database, proxy.actor, { proxyId, choices: { A: 'yes', B: 'yes' } })).rejects.toThrow(
			'委托书要求对「方案A 全天开放」投「反对」，不能投「同意」'
		);
		await expect(castByProxy(database, proxy.actor, { proxyId, choices: { ...INSTRUCTED, C: 'no' } })).rejects.toThrow(
			'委托书没有授权对「方案C 保持关闭」投票'
		);
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});

	it('refuses anyone but the named proxy, and a revoked 委托书', async () => {
		const { proxy, ballotId, proxyId } = await withProxy();
		const stranger = await newOwner(database, compound, { unitIds: [compound.units[3].unitId] });
		await expect(castByProxy(database, stranger.actor, { proxyId, choices: INSTRUCTED })).rejects.toThrow(
			new AccessDenied('只有委托书上写明的受托人可以代为投票')
		);
		await revokeProxy(database, committee.actor, { proxyId });
		await expect(castByProxy(database, proxy.actor, { proxyId, choices: INSTRUCTED })).rejects.toThrow(
			'这份委托书已经撤销，不能再代为投票'
		);
		expect(await countedRows(database, ballotId)).toHaveLength(0);
	});

	it('refuses to record a 委托书 for several owners, a second one for the same unit, or by a non-member', async () => {
		const { ballotId, proxy } = await withProxy();
		const base = { ballotId, principalName: '某业主', proxyUserId: proxy.userId, instructions: INSTRUCTED };
		await expect(
			recordProxy(database, committee.actor, { ...base, unitIds: [compound.units[2].unitId, compound.units[3].unitId] })
		).rejects.toThrow('一份委托书只能代表同一位业主的房屋');
		await expect(recordProxy(database, committee.actor, { ...base, unitIds: [compound.units[0].unitId] })).rejects.toThrow(
			'这户已有一份有效的委托书，请先撤销原委托书'
		);
		await expect(recordProxy(database, proxy.actor, { ...base, unitIds: [compound.units[3].unitId] })).rejects.toThrow(AccessDenied);
		await expect(
			recordProxy(database, committee.actor, { ...base, unitIds: [compound.units[3].unitId], proxyUserId: 'nobody' })
		).rejects.toThrow('没有找到受托人的账号');
		const unregistered = await newUser(database);
		await expect(recordProxy(database, committee.actor, { ...base, unitIds: ['forged'], proxyUserId: unregistered })).rejects.toThrow(
			'没有找到所选的房屋'
		);
	});
});
