import { describe, expect, it } from 'vitest';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	ballotsDoneBy,
	castByProxy,
	castElectronicBallot,
	enterPaperBallot,
	listProxies,
	myRecentPaperEntries,
	myVoteInBallot,
	printablePaperBallots,
	recordProxy,
	withdrawPaperEntry
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, DAY, freshCompoundForEachTest, newOpenBallot, newOwner, newStaff } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 6, committee: '李委员' }, (bed) => ({ database, time, compound, committee } = bed));

describe('我的投票: an owner coming back sees their vote', () => {
	it('shows nothing before voting, then the choices per motion, the time and the receipt', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		expect((await myVoteInBallot(database, owner.actor, ballotId)).own).toBeNull();
		expect(await ballotsDoneBy(database, owner.actor, [ballotId])).toEqual(new Set());

		const cast = await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		const mine = await myVoteInBallot(database, owner.actor, ballotId);
		expect(mine.own).toMatchObject({ receipt: cast.receipt, castAt: cast.castAt, submissions: 1, units: [cast.units[0].label] });
		expect(mine.own!.lines.map((l) => `${l.title}：${l.label}`)).toEqual([
			'方案A 全天开放：反对',
			'方案B 6:00–22:00 开放并改造共享空间：同意',
			'方案C 保持关闭：弃权'
		]);
		expect(await ballotsDoneBy(database, owner.actor, [ballotId])).toEqual(new Set([ballotId]));
	});

	it('after a change, the newest vote is the one shown, with how many times it was changed', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange: true });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		time.advance(DAY);
		const second = await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		const mine = await myVoteInBallot(database, owner.actor, ballotId);
		expect(mine.own).toMatchObject({ receipt: second.receipt, submissions: 2 });
		expect(mine.own!.lines.every((l) => l.label === '同意')).toBe(true);
	});

	it('never shows another owner’s vote', async () => {
		const owner = await newOwner(database, compound);
		const neighbour = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await castElectronicBallot(database, neighbour.actor, { ballotId, choices: ALL_YES });
		expect((await myVoteInBallot(database, owner.actor, ballotId)).own).toBeNull();
		expect(await ballotsDoneBy(database, owner.actor, [ballotId])).toEqual(new Set());
	});

	it('an owner whose paper ballot was counted is told so', async () => {
		const owner = await newOwner(database, compound);
		const second = await newStaff(database, 'owners_committee', compound.compoundId, '张委员');
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const unitId = owner.units[0].unitId;
		await enterPaperBallot(database, committee.actor, { ballotId, unitId, choices: ALL_YES });
		expect((await myVoteInBallot(database, owner.actor, ballotId)).paperUnits).toEqual([]);
		await enterPaperBallot(database, second.actor, { ballotId, unitId, choices: ALL_YES });
		expect((await myVoteInBallot(database, owner.actor, ballotId)).paperUnits).toHaveLength(1);
	});
});

describe('proxies name the principal', () => {
	it('the proxy’s receipt, their 我的投票 and the 业委会 list all say whose vote it was', async () => {
		const proxy = await newOwner(database, compound, { name: '受托人小陈' });
		const principalUnit = compound.unclaimed[0];
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const { proxyId } = await recordProxy(database, committee.actor, {
			ballotId,
			unitIds: [principalUnit.unitId],
			principalName: '王阿姨',
			proxyUserId: proxy.userId,
			instructions: { A: 'no' }
		});
		const receipt = await castByProxy(database, proxy.actor, { proxyId, choices: { A: 'no' } });
		expect(receipt.principalName).toBe('王阿姨');
		expect(receipt.lines).toEqual(['方案A 全天开放：代王阿姨投：反对']);

		const mine = await myVoteInBallot(database, proxy.actor, ballotId);
		expect(mine.own).toBeNull();
		expect(mine.asProxy).toEqual([expect.objectContaining({ proxyId, principalName: '王阿姨', receipt: receipt.receipt })]);
		expect(await ballotsDoneBy(database, proxy.actor, [ballotId])).toEqual(new Set());

		const [listed] = await listProxies(database, committee.actor, { ballotId });
		expect(listed).toMatchObject({ principalName: '王阿姨', proxyName: '受托人小陈', unitLabels: [receipt.units[0].label] });
	});
});

describe('扫楼: my recent paper entries', () => {
	it('lists the member’s own last entries with motion titles and state, newest first, undo only while open', async () => {
		const second = await newStaff(database, 'owners_committee', compound.compoundId, '张委员');
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const [u1, u2, u3] = compound.units;
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: u1.unitId, choices: ALL_YES });
		await enterPaperBallot(database, second.actor, { ballotId, unitId: u1.unitId, choices: ALL_YES });
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: u2.unitId, choices: CHOICES_1 });
		await enterPaperBallot(database, second.actor, { ballotId, unitId: u3.unitId, choices: ALL_YES });
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: u3.unitId, choices: CHOICES_1 });

		const mine = await myRecentPaperEntries(database, committee.actor, { ballotId });
		expect(mine.map((e) => [e.unitLabel, e.state, e.canWithdraw])).toEqual([
			[`${u3.building} ${u3.room}`, 'mismatch', true],
			[`${u2.building} ${u2.room}`, 'awaiting_second', true],
			[`${u1.building} ${u1.room}`, 'counted', false]
		]);
		expect(mine[1].lines).toEqual(['方案A 全天开放 反对', '方案B 6:00–22:00 开放并改造共享空间 同意', '方案C 保持关闭 弃权']);

		await withdrawPaperEntry(database, committee.actor, { entryId: mine[1].entryId });
		expect((await myRecentPaperEntries(database, committee.actor, { ballotId }))[1]).toMatchObject({
			state: 'withdrawn',
			canWithdraw: false
		});
	});

	it('is refused to an owner', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await expect(myRecentPaperEntries(database, owner.actor, { ballotId })).rejects.toBeInstanceOf(AccessDenied);
	});
});

describe('打印纸质票: one sheet per unit with a QR code that opens the entry form', () => {
	it('prints every unit of the building, each QR naming ballot, building and room', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const building = compound.units[0].building;
		const inBuilding = compound.units.filter((u) => u.building === building);
		const sheets = await printablePaperBallots(database, committee.actor, {
			ballotId,
			compoundId: compound.compoundId,
			buildingName: building,
			origin: 'https://yishi.example'
		});
		expect(sheets.map((s) => s.unitLabel).sort()).toEqual(inBuilding.map((u) => `${u.building} ${u.room}`).sort());
		const url = new URL(sheets[0].entryUrl);
		expect(url.origin + url.pathname).toBe(`https://yishi.example/manage/ballots/${ballotId}`);
		expect(url.searchParams.get('building')).toBe(`${compound.compoundId}|${building}`);
		expect(sheets.map((s) => `${building} ${new URL(s.entryUrl).searchParams.get('room')}`)).toEqual(sheets.map((s) => s.unitLabel));
		expect(sheets.every((s) => s.qrDataUrl.startsWith('data:image/png;base64,'))).toBe(true);
	});

	it('is refused to an owner, and without a trusted origin nothing is printed', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const input = { ballotId, compoundId: compound.compoundId, buildingName: compound.units[0].building };
		await expect(printablePaperBallots(database, owner.actor, { ...input, origin: 'https://yishi.example' })).rejects.toBeInstanceOf(
			AccessDenied
		);
		await expect(printablePaperBallots(database, committee.actor, { ...input, origin: null })).rejects.toThrow(/ORIGIN/);
	});
});
