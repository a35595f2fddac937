import { describe, expect, it } from 'vitest';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	castElectronicBallot,
	closeBallot,
	createBallot,
	getResult,
	getTurnout,
	loadBallot,
	openBallot,
	publishNotice
} from '../../../src/lib/server/voting/index.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { publishedAgendaItem } from '../../helpers/agenda.ts';
import { DAY, freshCompoundForEachTest, newCompound, newNoticedBallot, newOpenBallot, newOwner, newStaff } from './factories.ts';
import { reimportRoster } from './factories.ts';
import type { FakeTime, TestCompound, TestStaff } from './factories.ts';

let database: TestDatabase;
let item: { ordinary: string; major: string };
let time: FakeTime;
let compound: TestCompound;
let committee: TestStaff;

freshCompoundForEachTest({ units: 6 }, async (bed) => {
	({ database, time, compound, committee } = bed);
	item = {
		ordinary: await publishedAgendaItem(database, [compound.compoundId], 'ordinary'),
		major: await publishedAgendaItem(database, [compound.compoundId], 'major')
	};
});

const motions = [{ id: 'A', title: '方案A' }];

describe('createBallot', () => {
	it('stores motions with their frozen text hash and the agenda item', async () => {
		const text = '侧门 6:00–22:00 开放';
		const hash = encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
		const opensAt = time.now + 16 * DAY;
		const { ballotId } = await createBallot(database, committee.actor, {
			title: '侧门表决',
			agendaItemId: item.major,
			ruleKind: 'major',
			motions: [{ title: '方案A', text, textHash: hash }, { title: '方案B' }],
			compounds: [{ compoundId: compound.compoundId }],
			opensAt,
			closesAt: opensAt + 10 * DAY
		});
		const ballot = await loadBallot(database.db, ballotId);
		expect(ballot.motions.map((m) => [m.motionId, m.textHash])).toEqual([
			['A', hash],
			['B', null]
		]);
		expect([ballot.agendaItemId, ballot.bothChannelsRule, ballot.countsVisibility, ballot.allowChange, ballot.noticeDays]).toEqual([
			item.major,
			'electronic_prevails',
			'secret',
			false,
			15
		]);
	});

	it('refuses a binding vote on an item that is not on a published agenda', async () => {
		const opensAt = time.now + 16 * DAY;
		const base = {
			title: '表决',
			ruleKind: 'ordinary' as const,
			motions,
			compounds: [{ compoundId: compound.compoundId }],
			opensAt,
			closesAt: opensAt + 7 * DAY
		};
		await expect(createBallot(database, committee.actor, base)).rejects.toThrow('只能对已公布议程中的议题表决');
		await expect(createBallot(database, committee.actor, { ...base, agendaItemId: 'no-such-item' })).rejects.toThrow(
			'只能对已公布议程中的议题表决'
		);
		await expect(createBallot(database, committee.actor, { ...base, agendaItemId: item.major })).rejects.toThrow(
			/表决规则须与议程一致/
		);
		const other = await newCompound(database, { units: 2 });
		const elsewhere = await publishedAgendaItem(database, [other.compoundId], 'ordinary');
		await expect(createBallot(database, committee.actor, { ...base, agendaItemId: elsewhere })).rejects.toThrow(/议程中的参与小区/);
		// An advisory poll may stand alone.
		await expect(createBallot(database, committee.actor, { ...base, ruleKind: 'advisory' })).resolves.toHaveProperty('ballotId');
	});

	it('refuses a voting window shorter than 5 or longer than 60 days', async () => {
		const opensAt = time.now + 16 * DAY;
		const base = {
			title: '表决',
			ruleKind: 'ordinary' as const,
			agendaItemId: item.ordinary,
			motions,
			compounds: [{ compoundId: compound.compoundId }],
			opensAt
		};
		await expect(createBallot(database, committee.actor, { ...base, closesAt: opensAt + 4 * DAY })).rejects.toThrow(
			'投票期须为 5 到 60 天'
		);
		// Opening Tue 2026-03-17: day 60 is Sat 05-16, so the longest window runs on to Mon 05-18 (art. 203); Tue 05-19 is too long.
		await expect(createBallot(database, committee.actor, { ...base, closesAt: opensAt + 63 * DAY })).rejects.toThrow(
			'投票期须为 5 到 60 天'
		);
	});

	it('refuses an opening sooner than the notice period allows', async () => {
		const opensAt = time.now + 10 * DAY;
		await expect(
			createBallot(database, committee.actor, {
				title: '表决',
				ruleKind: 'ordinary',
				agendaItemId: item.ordinary,
				motions,
				compounds: [{ compoundId: compound.compoundId }],
				opensAt,
				closesAt: opensAt + 7 * DAY
			})
		).rejects.toThrow(/须提前 15 天公告/);
	});

	it('refuses a text that does not match its frozen hash, and a residents’ meeting', async () => {
		const opensAt = time.now + 16 * DAY;
		const base = { title: '表决', compounds: [{ compoundId: compound.compoundId }], opensAt, closesAt: opensAt + 7 * DAY };
		await expect(
			createBallot(database, committee.actor, {
				...base,
				ruleKind: 'ordinary',
				agendaItemId: item.ordinary,
				motions: [{ title: '方案A', text: '改过的文本', textHash: 'ab'.repeat(32) }]
			})
		).rejects.toThrow(/校验码不一致/);
		await expect(createBallot(database, committee.actor, { ...base, ruleKind: 'residents_meeting' as never, motions })).rejects.toThrow(
			/居民会议/
		);
	});

	it('refuses someone who does not manage the compound’s ballots', async () => {
		const owner = await newOwner(database, compound);
		const otherCommittee = await newStaff(database, 'owners_committee', (await newCompound(database, { units: 1 })).compoundId);
		const opensAt = time.now + 16 * DAY;
		const input = {
			title: '表决',
			ruleKind: 'ordinary' as const,
			agendaItemId: item.ordinary,
			motions,
			compounds: [{ compoundId: compound.compoundId }],
			opensAt,
			closesAt: opensAt + 7 * DAY
		};
		await expect(createBallot(database, owner.actor, input)).rejects.toThrow(
			new AccessDenied('只有参与小区的业委会、居委或片区可以组织表决')
		);
		await expect(createBallot(database, otherCommittee.actor, input)).rejects.toThrow(AccessDenied);
	});
});

describe('publishNotice and openBallot', () => {
	it('refuses a notice published later than noticeDays before the opening', async () => {
		const opensAt = time.now + 16 * DAY;
		const { ballotId } = await createBallot(database, committee.actor, {
			title: '表决',
			ruleKind: 'ordinary',
			agendaItemId: item.ordinary,
			motions,
			compounds: [{ compoundId: compound.compoundId }],
			opensAt,
			closesAt: opensAt + 7 * DAY
		});
		time.advance(2 * DAY);
		await expect(publishNotice(database, committee.actor, { ballotId })).rejects.toThrow(/须在投票开始前至少 15 天发布公告/);
	});

	it('refuses to open without a notice, or before the announced time', async () => {
		const opensAt = time.now + 16 * DAY;
		const { ballotId } = await createBallot(database, committee.actor, {
			title: '表决',
			ruleKind: 'ordinary',
			agendaItemId: item.ordinary,
			motions,
			compounds: [{ compoundId: compound.compoundId }],
			opensAt,
			closesAt: opensAt + 7 * DAY
		});
		await expect(openBallot(database, committee.actor, { ballotId })).rejects.toThrow('须先发布表决公告，才能开始投票');
		await publishNotice(database, committee.actor, { ballotId });
		await expect(openBallot(database, committee.actor, { ballotId })).rejects.toThrow(/未到公告的投票开始时间/);
		const owner = await newOwner(database, compound);
		await expect(openBallot(database, owner.actor, { ballotId })).rejects.toThrow(AccessDenied);
	});

	it('freezes the electorate: a later roster version does not move the denominator', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { motions });
		const before = await getTurnout(database, committee.actor, { ballotId });
		await reimportRoster(database, compound, (units) => [
			...units.map((u, i) => (i === 0 ? { ...u, areaHundredths: u.areaHundredths + 10_000 } : u)),
			{
				building: '1号楼',
				room: '999',
				areaHundredths: 12_000,
				areaSource: 'contract',
				status: 'owned',
				owners: [{ name: '新业主' }]
			}
		]);
		const after = await getTurnout(database, committee.actor, { ballotId });
		expect(after.motions[0].compounds[0].total).toEqual(before.motions[0].compounds[0].total);
		expect(before.motions[0].compounds[0].total).toEqual({
			areaHundredths: compound.units.reduce((s, u) => s + u.areaHundredths, 0),
			persons: 6
		});
	});

	it('refuses to open a compound that has no roster', async () => {
		const bare = await database.write(async (tx) => {
			const { insertNode } = await import('../../../src/lib/server/communities/tree.ts');
			return insertNode(tx, { kind: 'compound', name: '无清册小区', parentId: null });
		});
		const admin = await newStaff(database, 'admin', null);
		const { ballotId } = await newNoticedBallot(
			database,
			time,
			admin.actor,
			[compound, { compoundId: bare, name: '无清册小区', units: [], unclaimed: [] }],
			{ motions }
		);
		time.advance(17 * DAY);
		await expect(openBallot(database, admin.actor, { ballotId })).rejects.toThrow('无清册小区尚未导入房屋清册，不能开始投票');
	});
});

describe('closeBallot', () => {
	it('refuses to close before the deadline, then the 业委会 closes after it and the result is published', async () => {
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { motions, ruleKind: 'ordinary' });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: { A: 'yes' } });
		await expect(closeBallot(database, committee.actor, { ballotId })).rejects.toThrow(/投票截止时间（.*）未到，不能提前结束计票/);
		await expect(getResult(database, { ballotId })).rejects.toThrow('计票尚未结束，结果将在结束计票后公布');
		time.set(closesAt + DAY);
		await expect(closeBallot(database, owner.actor, { ballotId })).rejects.toThrow(
			new AccessDenied('只有参与小区的业委会可以结束计票')
		);
		await closeBallot(database, committee.actor, { ballotId });
		await expect(closeBallot(database, committee.actor, { ballotId })).rejects.toThrow('计票已经结束了');
		const { result } = await getResult(database, { ballotId });
		expect(result.motions[0].compounds[0].outcome).toBe('quorum_not_met');
		expect(result.motions[0].joint.passed).toBe(false);
	});
});
