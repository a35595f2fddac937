/**
 * A 受托人 need not live in the compound (民法典 art. 161, DOMAIN.md): the person named on a 委托书 in
 * force reads that one ballot and finds it in their list, and nothing else of the compound.
 */
import { describe, expect, it } from 'vitest';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	ballotsDoneBy,
	ballotsForOwner,
	ballotView,
	castByProxy,
	castElectronicBallot,
	getTurnout,
	revokeProxy
} from '../../../src/lib/server/voting/index.ts';
import { personalHome } from '../../../src/lib/server/notifications/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { freshCompoundForEachTest, newCompound, newNoticedBallot, newOpenBallotWithProxy, newOwner } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: [{ owner: '王阿姨' }, {}, {}] }, (bed) => ({ database, time, compound, committee } = bed));

/** An open ballot with a 委托书 for 王阿姨's flat (units[0]) naming `proxyUserId`. */
const proxiedBallot = (proxyUserId: string) =>
	newOpenBallotWithProxy(
		{ database, time, compound, committee },
		{ unitIds: [compound.units[0].unitId], proxyUserId, instructions: { A: 'yes' } }
	);

/** An owner of another compound, named on a 委托书 for 王阿姨's flat. */
async function crossProxy() {
	const other = await newCompound(database, { units: 2 });
	const proxy = await newOwner(database, other, { name: '外小区受托人' });
	const { ballotId, closesAt, proxyId } = await proxiedBallot(proxy.userId);
	return { proxy, ballotId, closesAt, proxyId };
}

describe('a 受托人 from another compound', () => {
	it('reads the ballot, its motions and the turnout, and finds it in their vote list', async () => {
		const { proxy, ballotId } = await crossProxy();
		const view = await ballotView(database, proxy.actor, ballotId);
		expect(view.motions.map((m) => m.motionId)).toEqual(['A', 'B', 'C']);
		expect(view.can).toEqual({ manage: false, enterPaper: false, close: false, watch: false });
		expect((await getTurnout(database, proxy.actor, { ballotId })).ballotId).toBe(ballotId);
		expect((await ballotsForOwner(database, proxy.actor)).map((b) => b.id)).toEqual([ballotId]);
	});

	it('is refused without a 委托书, on another ballot of the compound, after revocation and after the close', async () => {
		const { proxy, ballotId, closesAt, proxyId } = await crossProxy();
		const stranger = await newOwner(database, await newCompound(database, { units: 1 }));
		await expect(ballotView(database, stranger.actor, ballotId)).rejects.toThrow(AccessDenied);
		await expect(getTurnout(database, stranger.actor, { ballotId })).rejects.toThrow(AccessDenied);
		expect(await ballotsForOwner(database, stranger.actor)).toEqual([]);

		const { ballotId: otherBallot } = await newNoticedBallot(database, time, committee.actor, [compound], { title: '另一项表决' });
		await expect(ballotView(database, proxy.actor, otherBallot)).rejects.toThrow('您不是这个小区的居民');
		await expect(getTurnout(database, proxy.actor, { ballotId: otherBallot })).rejects.toThrow(AccessDenied);
		expect((await ballotsForOwner(database, proxy.actor)).map((b) => b.id)).toEqual([ballotId]);

		time.set(closesAt);
		await expect(ballotView(database, proxy.actor, ballotId)).rejects.toThrow(AccessDenied);
		expect(await ballotsForOwner(database, proxy.actor)).toEqual([]);

		time.set(closesAt - 3600_000);
		await ballotView(database, proxy.actor, ballotId);
		await revokeProxy(database, committee.actor, { proxyId });
		await expect(ballotView(database, proxy.actor, ballotId)).rejects.toThrow(AccessDenied);
		await expect(getTurnout(database, proxy.actor, { ballotId })).rejects.toThrow(AccessDenied);
		expect(await ballotsForOwner(database, proxy.actor)).toEqual([]);
	});

	it('is told the vote is done once they have cast for every owner they stand for, not before', async () => {
		const { proxy, ballotId, proxyId } = await crossProxy();
		const voted = async () => ({
			list: (await ballotsDoneBy(database, proxy.actor, [ballotId])).has(ballotId),
			home: (await personalHome(database, proxy.actor)).votes.find((v) => v.id === ballotId)?.voted
		});
		expect(await voted()).toEqual({ list: false, home: false });
		await castByProxy(database, proxy.actor, { proxyId, choices: { A: 'yes' } });
		expect(await voted()).toEqual({ list: true, home: true });
	});

	it('an owner who also holds a 委托书 is done only when both their own vote and the proxy vote are in', async () => {
		// 王阿姨's flat is units[0]; the 受托人 owns units[1] of the same compound.
		const proxy = await newOwner(database, compound, { unitIds: [compound.units[1].unitId] });
		const { ballotId, proxyId } = await proxiedBallot(proxy.userId);
		const done = async () => (await ballotsDoneBy(database, proxy.actor, [ballotId])).has(ballotId);
		await castElectronicBallot(database, proxy.actor, { ballotId, choices: { A: 'no', B: 'no', C: 'no' } });
		expect(await done()).toBe(false);
		await castByProxy(database, proxy.actor, { proxyId, choices: { A: 'yes' } });
		expect(await done()).toBe(true);
	});
});
