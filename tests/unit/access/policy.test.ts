import { describe, expect, it } from 'vitest';
import { ACTIONS, decide, type Action, type Actor, type Role, type Target } from '../../../src/lib/domain/access/policy.ts';

const aijian = { id: 'aijian', chain: ['aijian', 'aijian-jw', 'cluster', 'street'] };
const hongqiao = { id: 'hongqiao', chain: ['hongqiao', 'hongqiao-jw', 'cluster', 'street'] };
const both: Target = { compounds: [aijian, hongqiao], sessionId: 'gate' };

const actor = (over: Partial<Actor> = {}): Actor => ({ userId: 'u', grants: [], memberships: [], ...over });
const owner = (compoundId: string, unitId = `${compoundId}-1`) => actor({ memberships: [{ unitId, compoundId, relation: 'owner' }] });
const tenant = (compoundId: string) => actor({ memberships: [{ unitId: `${compoundId}-t`, compoundId, relation: 'resident' }] });
const staff = (role: Role, scopeId: string | null) => actor({ grants: [{ role, scopeId }] });
const signoff = (nodeId: string, role: Role): Target => ({ compounds: [], convenor: { nodeId, role } });
/** A 虹桥 ballot whose 委托书 in force name these 受托人. */
const proxied = (ballotProxyUserIds: string[]): Target => ({ compounds: [hongqiao], ballotProxyUserIds });

describe('the §5 access table', () => {
	it('refuses every action to someone not signed in', () => {
		for (const action of ACTIONS) expect(decide(null, action, both)).toEqual({ allowed: false, reason: '请先登录' });
	});

	it('refuses every action but reading to a stranger with no role and no home', () => {
		for (const action of ACTIONS) expect(decide(actor(), action, both).allowed, action).toBe(false);
	});

	const cases: [string, Actor, Action, Target, boolean][] = [
		['an 爱建 owner raises a concern in 爱建', owner('aijian'), 'concern.raise', { compounds: [aijian] }, true],
		['an 爱建 owner cannot raise a concern in 虹桥 alone', owner('aijian'), 'concern.raise', { compounds: [hongqiao] }, false],
		['an 爱建 tenant co-signs in 爱建', tenant('aijian'), 'concern.cosign', { compounds: [aijian] }, true],
		['an 爱建 owner casts for their own unit', owner('aijian', 'u1'), 'ballot.cast', { compounds: [aijian], unitIds: ['u1'] }, true],
		[
			'an 爱建 owner cannot cast for a unit that is not theirs',
			owner('aijian', 'u1'),
			'ballot.cast',
			{ compounds: [aijian], unitIds: ['u1', 'u2'] },
			false
		],
		['an 爱建 owner cannot cast in 虹桥', owner('aijian', 'u1'), 'ballot.cast', { compounds: [hongqiao], unitIds: ['u1'] }, false],
		['a tenant cannot cast an owners ballot', tenant('aijian'), 'ballot.cast', { compounds: [aijian] }, false],
		['an 爱建 owner cannot read the 虹桥 roster', owner('aijian'), 'roster.read', { compounds: [hongqiao] }, false],
		['an 爱建 owner cannot read even the 爱建 roster', owner('aijian'), 'roster.read', { compounds: [aijian] }, false],
		['the 爱建 业委会 manages the 爱建 roster', staff('owners_committee', 'aijian'), 'roster.manage', { compounds: [aijian] }, true],
		[
			'the 爱建 业委会 cannot manage the 虹桥 roster',
			staff('owners_committee', 'aijian'),
			'roster.manage',
			{ compounds: [hongqiao] },
			false
		],
		[
			'the 爱建 业委会 cannot enter 虹桥 paper ballots',
			staff('owners_committee', 'aijian'),
			'paper.enter',
			{ compounds: [hongqiao] },
			false
		],
		[
			'a 居委 worker issues letters under their 居委',
			staff('committee_staff', 'aijian-jw'),
			'verification.issue',
			{ compounds: [aijian] },
			true
		],
		[
			'a 居委 worker cannot issue letters in another 居委',
			staff('committee_staff', 'aijian-jw'),
			'verification.issue',
			{ compounds: [hongqiao] },
			false
		],
		[
			'the 爱建 业委会 reissues a letter in 爱建',
			staff('owners_committee', 'aijian'),
			'verification.reissue',
			{ compounds: [aijian] },
			true
		],
		[
			'the 爱建 业委会 cannot reissue a letter in 虹桥',
			staff('owners_committee', 'aijian'),
			'verification.reissue',
			{ compounds: [hongqiao] },
			false
		],
		['an owner cannot reissue their own unit’s letter', owner('aijian'), 'verification.reissue', { compounds: [aijian] }, false],
		['a scrutineer cannot reissue a letter', staff('scrutineer', 'cluster'), 'verification.reissue', { compounds: [aijian] }, false],
		[
			'the 虹桥 业委会 records an owner change in 虹桥',
			staff('owners_committee', 'hongqiao'),
			'ballot.owner_change',
			{ compounds: [hongqiao] },
			true
		],
		[
			'the 爱建 业委会 cannot record an owner change in 虹桥',
			staff('owners_committee', 'aijian'),
			'ballot.owner_change',
			{ compounds: [hongqiao] },
			false
		],
		[
			'a 居委 worker cannot record an owner change (业委会 double control)',
			staff('committee_staff', 'hongqiao-jw'),
			'ballot.owner_change',
			{ compounds: [hongqiao] },
			false
		],
		['an owner cannot record an owner change', owner('hongqiao'), 'ballot.owner_change', { compounds: [hongqiao] }, false],
		[
			'a 居委 worker of one side cannot manage a joint agenda alone',
			staff('committee_staff', 'aijian-jw'),
			'agenda.manage',
			both,
			false
		],
		[
			'a 居委 worker of both sides manages the joint agenda',
			actor({
				grants: [
					{ role: 'committee_staff', scopeId: 'aijian-jw' },
					{ role: 'committee_staff', scopeId: 'hongqiao-jw' }
				]
			}),
			'agenda.manage',
			both,
			true
		],
		['one side’s 业委会 cannot set up a joint ballot alone', staff('owners_committee', 'aijian'), 'ballot.manage', both, false],
		['the 片区 coordinator manages the joint agenda', staff('cluster_coordinator', 'cluster'), 'agenda.manage', both, true],
		['the 居委 publishes a record', staff('committee_staff', 'hongqiao-jw'), 'record.publish', { compounds: [hongqiao] }, true],
		[
			'a 业委会 member cannot publish the record',
			staff('owners_committee', 'hongqiao'),
			'record.publish',
			{ compounds: [hongqiao] },
			false
		],
		['the assigned facilitator moderates their session', staff('facilitator', 'gate'), 'deliberation.moderate', both, true],
		['a facilitator of another session cannot', staff('facilitator', 'other'), 'deliberation.moderate', both, false],
		['a facilitator cannot cast a ballot', staff('facilitator', 'gate'), 'ballot.cast', both, false],
		['a scrutineer watches the count', staff('scrutineer', 'cluster'), 'count.watch', { compounds: [aijian] }, true],
		['a scrutineer cannot enter paper ballots', staff('scrutineer', 'cluster'), 'paper.enter', { compounds: [aijian] }, false],
		['a scrutineer reads drafts but cannot edit', staff('scrutineer', 'cluster'), 'draft.edit', both, false],
		['an owner of either side edits the joint draft', owner('hongqiao'), 'draft.edit', both, true],
		['an admin manages rosters anywhere', staff('admin', null), 'roster.manage', { compounds: [hongqiao] }, true],
		['an admin still cannot cast a ballot', staff('admin', null), 'ballot.cast', { compounds: [hongqiao] }, false],
		[
			'a revoked-looking grant with no scope covers nothing',
			staff('owners_committee', null),
			'roster.manage',
			{ compounds: [aijian] },
			false
		],
		// Administration: the tree target is the parent node with its chain (a new 楼栋 under 爱建 → 爱建).
		['an admin creates a 街道 (no parent)', staff('admin', null), 'admin.tree', { compounds: [] }, true],
		['a 居委 worker cannot create a 街道', staff('committee_staff', 'aijian-jw'), 'admin.tree', { compounds: [] }, false],
		[
			'a 居委 worker adds a 小区 under their 居委',
			staff('committee_staff', 'aijian-jw'),
			'admin.tree',
			{ compounds: [{ id: 'aijian-jw', chain: ['aijian-jw', 'cluster', 'street'] }] },
			true
		],
		[
			'a 居委 worker adds a 楼栋 in a 小区 of their 居委',
			staff('committee_staff', 'aijian-jw'),
			'admin.tree',
			{ compounds: [aijian] },
			true
		],
		[
			'a 居委 worker cannot touch another 居委’s 小区',
			staff('committee_staff', 'aijian-jw'),
			'admin.tree',
			{ compounds: [hongqiao] },
			false
		],
		[
			'a 居委 worker cannot rename their own 居委 (its parent is the 片区)',
			staff('committee_staff', 'aijian-jw'),
			'admin.tree',
			{ compounds: [{ id: 'cluster', chain: ['cluster', 'street'] }] },
			false
		],
		[
			'a 片区 coordinator does not edit the tree',
			staff('cluster_coordinator', 'cluster'),
			'admin.tree',
			{ compounds: [aijian] },
			false
		],
		['a 业委会 member does not edit the tree', staff('owners_committee', 'aijian'), 'admin.tree', { compounds: [aijian] }, false],
		['an admin grants any role', staff('admin', null), 'admin.grant', { compounds: [] }, true],
		['a 居委 worker cannot grant other roles', staff('committee_staff', 'aijian-jw'), 'admin.grant', { compounds: [aijian] }, false],
		[
			'a 居委 worker appoints 业委会 members of their 小区',
			staff('committee_staff', 'aijian-jw'),
			'admin.grant_committee',
			{ compounds: [aijian] },
			true
		],
		[
			'a 居委 worker cannot appoint in another 居委’s 小区',
			staff('committee_staff', 'aijian-jw'),
			'admin.grant_committee',
			{ compounds: [hongqiao] },
			false
		],
		[
			'a 业委会 member cannot appoint colleagues',
			staff('owners_committee', 'aijian'),
			'admin.grant_committee',
			{ compounds: [aijian] },
			false
		],
		['an admin appoints 业委会 members anywhere', staff('admin', null), 'admin.grant_committee', { compounds: [hongqiao] }, true],
		['an admin enters the rest-day calendar', staff('admin', null), 'admin.calendar', { compounds: [] }, true],
		['a 居委 worker does not enter the calendar', staff('committee_staff', 'aijian-jw'), 'admin.calendar', { compounds: [] }, false],
		// 异议 and 评议 on a record: verified owners and residents of one of its compounds, nobody else.
		['a 虹桥 tenant objects to a joint record', tenant('hongqiao'), 'record.object', both, true],
		['an 爱建 owner objects to a joint record', owner('aijian'), 'record.object', both, true],
		['an 爱建 owner cannot object to a 虹桥 record', owner('aijian'), 'record.object', { compounds: [hongqiao] }, false],
		['the publishing 居委 does not object', staff('committee_staff', 'hongqiao-jw'), 'record.object', { compounds: [hongqiao] }, false],
		['a scrutineer does not object', staff('scrutineer', 'cluster'), 'record.object', { compounds: [hongqiao] }, false],
		['a 虹桥 owner rates the follow-through', owner('hongqiao'), 'record.rate', { compounds: [hongqiao] }, true],
		['an 爱建 tenant cannot rate a 虹桥 item', tenant('aijian'), 'record.rate', { compounds: [hongqiao] }, false],
		['an admin does not rate', staff('admin', null), 'record.rate', { compounds: [hongqiao] }, false],
		// 召集方签字: the convenor's signing role, granted for exactly that organisation.
		[
			'the 爱建 业委会 signs for 爱建',
			staff('owners_committee', 'aijian'),
			'agenda.signoff',
			signoff('aijian', 'owners_committee'),
			true
		],
		[
			'the 虹桥 业委会 cannot sign for 爱建',
			staff('owners_committee', 'hongqiao'),
			'agenda.signoff',
			signoff('aijian', 'owners_committee'),
			false
		],
		[
			'its 居委 does not sign for 爱建',
			staff('committee_staff', 'aijian-jw'),
			'agenda.signoff',
			signoff('aijian', 'owners_committee'),
			false
		],
		[
			'a 居委 worker signs for it',
			staff('committee_staff', 'aijian-jw'),
			'agenda.signoff',
			signoff('aijian-jw', 'committee_staff'),
			true
		],
		[
			'业委会 role on a 居委: no',
			staff('owners_committee', 'aijian-jw'),
			'agenda.signoff',
			signoff('aijian-jw', 'committee_staff'),
			false
		],
		['the administrator signs for a 街道', staff('admin', null), 'agenda.signoff', signoff('street', 'admin'), true],
		[
			'the administrator does not sign for a 业委会',
			staff('admin', null),
			'agenda.signoff',
			signoff('aijian', 'owners_committee'),
			false
		],
		['no convenor, no signature', staff('owners_committee', 'aijian'), 'agenda.signoff', { compounds: [aijian] }, false],
		// 代为投票: only the 受托人 the 委托书 names.
		['the named 受托人 casts by proxy', actor({ userId: 'p' }), 'proxy.cast', { compounds: [], proxyUserId: 'p' }, true],
		['someone else cannot use the 委托书', owner('hongqiao'), 'proxy.cast', { compounds: [hongqiao], proxyUserId: 'p' }, false],
		['an unknown 委托书 names nobody', actor({ userId: 'p' }), 'proxy.cast', { compounds: [] }, false],
		[
			'the recording 业委会 cannot use it',
			staff('owners_committee', 'hongqiao'),
			'proxy.cast',
			{ compounds: [], proxyUserId: 'p' },
			false
		],
		// 查看表决: residents and staff of its compound, and a 受托人 of a 委托书 in force on it, wherever they live.
		['an 爱建 owner reads an 爱建 ballot', owner('aijian'), 'ballot.view', { compounds: [aijian] }, true],
		['an 爱建 owner cannot read a 虹桥 ballot', owner('aijian'), 'ballot.view', { compounds: [hongqiao] }, false],
		['an 爱建 受托人 reads the 虹桥 ballot of the 委托书', owner('aijian'), 'ballot.view', proxied(['u']), true],
		['a 受托人 with no home at all reads it too', actor(), 'ballot.view', proxied(['u']), true],
		['another 受托人 of the ballot does not make you one', actor(), 'ballot.view', proxied(['p']), false],
		['no 委托书 in force, no reading', actor(), 'ballot.view', proxied([]), false],
		['a 委托书 does not open the compound', actor(), 'compound.view', proxied(['u']), false],
		['a 委托书 does not let its 受托人 cast as an owner', actor(), 'ballot.cast', proxied(['u']), false]
	];
	it.each(cases)('%s', (_name, who, action, target, allowed) => {
		const decision = decide(who, action, target);
		expect(decision.allowed).toBe(allowed);
		if (!decision.allowed) expect(decision.reason).toMatch(/[\u4e00-\u9fff]/);
	});
});
