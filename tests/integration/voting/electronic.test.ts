import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { castVotes, electronicSubmissions } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import {
	castElectronicBallot,
	closeBallot,
	getResult,
	listPublishedBallotReceipts,
	previewElectronicBallot
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, countedRows, DAY, freshCompoundForEachTest, newCompound, newNoticedBallot } from './factories.ts';
import { newOpenBallot, newOwner, newTenant, reimportRoster } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 12, committee: '业委会甲' }, (bed) => ({ database, time, compound, committee } = bed));

describe('castElectronicBallot', () => {
	it('shows the review lines, then counts one ballot per unit and motion for all the owner’s units', async () => {
		const owner = await newOwner(database, compound, { units: 2 });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);

		const review = await previewElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		expect(review.lines).toEqual([
			'方案A 全天开放：您选择：反对',
			'方案B 6:00–22:00 开放并改造共享空间：您选择：同意',
			'方案C 保持关闭：您选择：弃权'
		]);
		expect(review.units).toHaveLength(2);
		expect(review.notice).toBe('提交后不能更改，请仔细核对');
		expect(await countedRows(database, ballotId)).toHaveLength(0);

		const receipt = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		expect(receipt.receipt).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
		const counted = await countedRows(database, ballotId);
		expect(counted).toHaveLength(6);
		expect(new Set(counted.map((c) => c.unitId))).toEqual(new Set(owner.units.map((u) => u.unitId)));
		expect(counted.filter((c) => c.motionId === 'B').every((c) => c.choice === 'yes')).toBe(true);
	});

	it('refuses a second submission when changes are not allowed, and keeps the first', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 })).rejects.toThrow(
			/已经投过票了.*不允许改票/
		);
		const counted = await countedRows(database, ballotId);
		expect(counted.map((c) => c.choice)).toEqual(['yes', 'yes', 'yes']);
		// The refused submission left nothing behind: no history row, no receipt.
		expect(await database.db.select().from(castVotes).where(eq(castVotes.ballotId, ballotId))).toHaveLength(3);
		expect(await database.db.select().from(electronicSubmissions)).toHaveLength(1);
	});

	it('lets an owner change their vote until the close when allowed: the last counts, history is kept', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange: true });
		const first = await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		time.advance(DAY);
		const second = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		expect(second.replaced).toBe(true);
		const counted = await countedRows(database, ballotId);
		expect(counted).toHaveLength(3);
		expect(Object.fromEntries(counted.map((c) => [c.motionId, c.choice]))).toEqual(CHOICES_1);
		expect(await database.db.select().from(castVotes).where(eq(castVotes.ballotId, ballotId))).toHaveLength(6);

		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });
		const receipts = await listPublishedBallotReceipts(database, { ballotId });
		expect(receipts.find((r) => r.receipt === first.receipt)?.status).toBe('changed');
		expect(receipts.find((r) => r.receipt === second.receipt)?.status).toBe('counted');
		const result = await getResult(database, { ballotId });
		const a = result.result.motions[0].compounds[0];
		expect(a.kind === 'owners' && a.no.persons).toBe(1);
		expect(result.disagreements).toEqual([]);
	});

	it('counts co-owners’ unit once: the first co-owner’s vote holds when changes are not allowed', async () => {
		const first = await newOwner(database, compound);
		const coOwner = await newOwner(database, compound, { unitIds: [first.units[0].unitId] });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await castElectronicBallot(database, first.actor, { ballotId, choices: ALL_YES });
		await expect(castElectronicBallot(database, coOwner.actor, { ballotId, choices: CHOICES_1 })).rejects.toThrow(
			/已经投过票了（共有人或受托人也算）/
		);
		expect((await countedRows(database, ballotId)).map((c) => c.choice)).toEqual(['yes', 'yes', 'yes']);
	});

	it('publishes receipts with the choices and no names only after the close', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		const { receipt } = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		await expect(listPublishedBallotReceipts(database, { ballotId })).rejects.toThrow('计票尚未结束');
		time.set(closesAt + 1);
		await closeBallot(database, committee.actor, { ballotId });
		const receipts = await listPublishedBallotReceipts(database, { ballotId });
		expect(receipts).toEqual([
			{
				receipt,
				viaProxy: false,
				status: 'counted',
				statusLabel: '已计入',
				choices: [
					{ motionId: 'A', title: '方案A 全天开放', choice: 'no', label: '反对' },
					{ motionId: 'B', title: '方案B 6:00–22:00 开放并改造共享空间', choice: 'yes', label: '同意' },
					{ motionId: 'C', title: '方案C 保持关闭', choice: 'abstain', label: '弃权' }
				]
			}
		]);
		expect(JSON.stringify(receipts)).not.toContain(owner.userId);
	});
});

describe('castElectronicBallot refuses, counting nothing', () => {
	async function expectNothingCounted(ballotId: string) {
		expect(await countedRows(database, ballotId)).toHaveLength(0);
		expect(await database.db.select().from(castVotes)).toHaveLength(0);
	}

	it('before the window opens', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newNoticedBallot(database, time, committee.actor, [compound]);
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			/表决尚未开始（开始时间：.*），现在不能投票/
		);
		await expectNothingCounted(ballotId);
	});

	it('after the deadline, even before the 业委会 closes the count', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		time.set(closesAt);
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			/表决已于.*截止，不能再投票/
		);
		await expectNothingCounted(ballotId);
	});

	it('a tenant', async () => {
		const tenant = await newTenant(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(castElectronicBallot(database, tenant.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			new AccessDenied('只有本小区已核验的业主可以投票')
		);
		await expect(
			castElectronicBallot(database, tenant.actor, { ballotId, choices: ALL_YES, unitIds: [tenant.units[0].unitId] })
		).rejects.toThrow(AccessDenied);
		await expectNothingCounted(ballotId);
	});

	it('a non-owner, and nobody signed in', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(castElectronicBallot(database, committee.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			'只有本小区已核验的业主可以投票'
		);
		await expect(castElectronicBallot(database, null, { ballotId, choices: ALL_YES })).rejects.toThrow('请先登录');
		await expectNothingCounted(ballotId);
	});

	it('a unit outside the ballot’s compounds', async () => {
		const other = await newCompound(database, { units: 3 });
		const owner = await newOwner(database, compound);
		const elsewhere = await newOwner(database, other);
		const both = await newOwner(database, compound, { unitIds: [owner.units[0].unitId] });
		await database.write(async (tx) => {
			const { memberships } = await import('../../../src/lib/server/db/schema/index.ts');
			await tx
				.insert(memberships)
				.values({ id: 'm-other', userId: both.userId, unitId: other.units[1].unitId, relation: 'owner', verifiedAt: 1 });
		});
		const bothActor = await loadActor(database, both.userId);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(castElectronicBallot(database, elsewhere.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			'只有本小区已核验的业主可以投票'
		);
		await expect(
			castElectronicBallot(database, bothActor, { ballotId, choices: ALL_YES, unitIds: [other.units[1].unitId] })
		).rejects.toThrow(AccessDenied);
		await expectNothingCounted(ballotId);
	});

	it('a forged unit id, or a unit of another owner', async () => {
		const owner = await newOwner(database, compound);
		const neighbour = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(
			castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES, unitIds: ['forged-unit-id'] })
		).rejects.toThrow('只有本小区已核验的业主可以投票');
		await expect(
			castElectronicBallot(database, owner.actor, {
				ballotId,
				choices: ALL_YES,
				unitIds: [owner.units[0].unitId, neighbour.units[0].unitId]
			})
		).rejects.toThrow(AccessDenied);
		await expectNothingCounted(ballotId);
	});

	it('a unit added to the roster after the electorate was frozen', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const grown = await reimportRoster(database, compound, (units) => [
			...units,
			{
				building: '1号楼',
				room: '999',
				areaHundredths: 9000,
				areaSource: 'registered',
				status: 'owned',
				owners: [{ name: '新业主' }]
			}
		]);
		const newcomer = await newOwner(database, grown, { unitIds: [grown.units.find((u) => u.room === '999')!.unitId] });
		await expect(castElectronicBallot(database, newcomer.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(
			/不在本次表决开始时冻结的业主名册中/
		);
		await expectNothingCounted(ballotId);
	});

	it('an incomplete or invalid set of choices', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: { A: 'yes' } })).rejects.toThrow(
			/请对每一项表决事项作出选择，还缺：方案B/
		);
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: { A: 'yes', B: 'maybe', C: 'no' } })).rejects.toThrow(
			InvalidInput
		);
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: { ...ALL_YES, D: 'yes' } })).rejects.toThrow(
			'本次表决没有「D」这一事项'
		);
		await expectNothingCounted(ballotId);
	});

	it('after the count was closed', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
		time.set(closesAt);
		await closeBallot(database, committee.actor, { ballotId });
		await expect(castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES })).rejects.toThrow(RuleBroken);
		await expectNothingCounted(ballotId);
	});
});
