/**
 * The access matrix (DOMAIN.md §5): every state-changing route and every collaborative document,
 * requested for real by every role of the demo — played by accounts the matrix makes itself — and by
 * an anonymous visitor.
 *
 * A role outside a row's `allowed` list must be refused — HTTP 403 with the policy's Chinese
 * reason, or for an anonymous visitor the redirect to /login — and the refused requests together
 * must leave every table's row count as it was. A role in the list must not be refused for
 * access (it may still fail validation or a rule: 400 / 409).
 *
 * Rows act on the matrix's own world, made by ./matrix/fixture.ts through the seed.ts factories:
 * its own 爱建 / 虹桥 / 仙霞, accounts, sessions, drafts, ballots and records. No row reads or writes
 * a demo object, so the matrix passes alone or in any order with the other browser files. The
 * last test greps src/routes and fails when a state-changing route exists that this table does
 * not list.
 */
import { buildFixture, rowCounts, MATRIX_PASSWORD, type Ids } from './matrix/fixture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROLES, LOGINS, inBatches, logIn, logInAll, postAction, type Fields, type Jar, type Outcome, type Role } from './matrix/http.ts';
import { baseUrl } from './browser.ts';
import { ACTIONS, type Action } from '../../src/lib/domain/access/policy.ts';
import { answerTo, connect, appendParagraph, bodyText, roundTrip, waitFor, type Client } from '../integration/collab/harness.ts';

// ─── who ────────────────────────────────────────────────────────────────────────────────────────
// The fixture's sessions, draft sets and ballots all take in its 爱建 + 虹桥 (a joint matter under
// two 居委 of one 片区); the facilitator is assigned to each session (the gate case's too).

/** deliberation.participate / draft.edit on 爱建+虹桥: verified households, 业委会, 居委, 片区, facilitator. */
const PARTICIPANTS: Role[] = [
	'aijian_owner',
	'hongqiao_owner',
	'tenant',
	'aijian_ywh',
	'hongqiao_ywh',
	'hongqiao_ywh2',
	'juwei',
	'pianqu',
	'facilitator'
];
/** agenda.manage on a joint session: a single compound's 业委会 does not reach both compounds. */
const ORGANISERS: Role[] = ['juwei', 'pianqu', 'facilitator', 'admin'];
/** agenda.manage / ballot.manage on 爱建+虹桥 without a session. */
const JOINT_MANAGERS: Role[] = ['juwei', 'pianqu', 'admin'];
const MODERATORS: Role[] = ['facilitator', 'admin'];
/** concern.raise / concern.cosign in 爱建. */
const AIJIAN_RESIDENTS: Role[] = ['aijian_owner', 'tenant', 'aijian_ywh', 'juwei'];
/** agenda.manage on 爱建 alone (a concern's triage). */
const AIJIAN_ORGANISERS: Role[] = ['aijian_ywh', 'juwei', 'pianqu', 'admin'];
/** roster.manage / verification.issue / verification.reissue on 爱建. */
const AIJIAN_ROSTER: Role[] = ['aijian_ywh', 'juwei', 'admin'];
/** ballot.cast: verified owners (the 业委会 members own flats too; the tenant does not). */
const OWNERS: Role[] = ['aijian_owner', 'hongqiao_owner', 'aijian_ywh', 'hongqiao_ywh', 'hongqiao_ywh2'];
const HONGQIAO_YWH: Role[] = ['hongqiao_ywh', 'hongqiao_ywh2'];
/** ballot.owner_change on a joint ballot: a 业委会 member of either compound (the unit decides which). */
const YWH_BOTH: Role[] = ['aijian_ywh', 'hongqiao_ywh', 'hongqiao_ywh2'];
/** closeBallot: ballot.manage on all compounds, or count.close on any one. */
const CLOSERS: Role[] = ['aijian_ywh', 'hongqiao_ywh', 'hongqiao_ywh2', 'juwei', 'pianqu', 'admin'];
/** record.publish on every compound of the record. */
const PUBLISHERS: Role[] = ['juwei', 'admin'];
/** Verified owners and residents of 虹桥 (the lift record's compound). */
const HONGQIAO_MEMBERS: Role[] = ['hongqiao_owner', 'hongqiao_ywh', 'hongqiao_ywh2'];
const SIGNED_IN: Role[] = [...LOGINS];
const EVERYONE: Role[] = [...ROLES];

// ─── what ───────────────────────────────────────────────────────────────────────────────────────

interface Row {
	/** Route pattern under src/routes and the action ('default' = the page's own form; an HTTP method for +server.ts). */
	route: string;
	action: string;
	/** The policy action or rule that guards it. */
	guard: string;
	allowed: readonly Role[];
	/** Concrete path with the fixture's ids. */
	path: (ids: Ids) => string;
	form?: (ids: Ids, role: Role) => Fields;
	/** What a refused role gets instead of 403 / login redirect (a page that answers with a message). */
	refusedWith?: Partial<Record<Role, { kind: Outcome['kind']; text: string }>>;
	/** Log in afresh for this row (it replaces or ends the session it is sent with). */
	fresh?: boolean;
}

const csv = () => {
	const form = new FormData();
	form.append('file', new File(['楼栋,室号,面积,业主\n1号楼,101,80.00,张某\n'], '访问矩阵.csv', { type: 'text/csv' }));
	return form;
};
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

const TABLE: Row[] = [
	// accounts and settings: open to everyone by design
	{
		route: '/login',
		action: 'default',
		guard: 'public (password)',
		allowed: EVERYONE,
		fresh: true,
		path: () => '/login',
		form: (i, r) => ({ login: i.people[r === 'anonymous' ? 'tenant' : r].login, password: MATRIX_PASSWORD, next: '/' })
	},
	// first run: the one-time link is refused (the installation has an administrator) after the form is read
	{
		route: '/setup',
		action: 'default',
		guard: 'public (one-time setup link)',
		allowed: EVERYONE,
		path: () => '/setup',
		form: () => ({
			t: 'matrix-no-such-link',
			login: 'matrix_setup',
			displayName: '矩阵',
			password: 'matrix setup password',
			confirm: 'matrix setup password'
		})
	},
	{
		route: '/register',
		action: 'default',
		guard: 'public (new account)',
		allowed: EVERYONE,
		path: () => '/register',
		form: () => ({ login: 'matrix_probe', displayName: '矩阵', password: 'short', next: '/' })
	},
	{
		route: '/settings/elder',
		action: 'default',
		guard: 'public (a cookie)',
		allowed: EVERYONE,
		path: () => '/settings/elder',
		form: () => ({ on: '0', next: '/' })
	},
	{
		route: '/settings/language',
		action: 'default',
		guard: 'public (a cookie)',
		allowed: EVERYONE,
		path: () => '/settings/language',
		form: () => ({ lang: 'zh-CN', next: '/' })
	},
	{
		route: '/claim',
		action: 'default',
		guard: 'signed in; the code is the credential',
		allowed: SIGNED_IN,
		path: () => '/claim',
		form: (ids) => ({ code: ids.revokedCode }),
		refusedWith: { anonymous: { kind: 'success', text: '请先登录或注册，再核验' } }
	},
	{ route: '/inbox', action: 'read', guard: 'signed in (own notifications)', allowed: SIGNED_IN, path: () => '/inbox' },

	// 议题征集
	{
		route: '/concerns/new',
		action: 'default',
		guard: 'concern.raise (form compound)',
		allowed: AIJIAN_RESIDENTS,
		path: () => '/concerns/new',
		form: (i) => ({ compoundId: i.aijian, title: '', body: '', category: 'other', location: '' })
	},
	{
		route: '/concerns/[id]',
		action: 'cosign',
		guard: 'concern.cosign',
		allowed: AIJIAN_RESIDENTS,
		path: (i) => `/concerns/${i.concern}`
	},
	{
		route: '/concerns/[id]',
		action: 'triage',
		guard: 'agenda.manage (home compound until escalated)',
		allowed: AIJIAN_ORGANISERS,
		path: (i) => `/concerns/${i.concern}`,
		form: () => ({ outcome: 'answer', reason: '访问矩阵：直接答复。', mergeInto: '' })
	},
	{
		route: '/concerns/[id]',
		action: 'triage',
		guard: 'agenda.manage (the 片区 once escalated; hand back)',
		allowed: ['pianqu', 'admin'],
		path: (i) => `/concerns/${i.escalatedConcern}`,
		form: () => ({ outcome: 'hand_back', reason: '访问矩阵：退回居委处理。', mergeInto: '' })
	},

	// 议题确定 (session in the agenda phase)
	{
		route: '/sessions/new',
		action: 'default',
		guard: 'agenda.manage (every chosen compound)',
		allowed: JOINT_MANAGERS,
		path: () => '/sessions/new',
		form: (i) => ({ title: '', kind: 'coordination', concernId: '', facilitatorLogin: '', compoundIds: [i.aijian, i.hongqiao] })
	},
	{
		route: '/sessions/[id]',
		action: 'convenor',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ nodeId: i.cluster })
	},
	{
		route: '/sessions/[id]',
		action: 'item',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: () => ({ title: '', question: '', rule: 'ordinary', background: '', concernId: '' })
	},
	{
		route: '/sessions/[id]',
		action: 'editItem',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ itemId: i.agendaItem, title: '', question: '', rule: 'ordinary', background: '' })
	},
	{
		route: '/sessions/[id]',
		action: 'moveItem',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ itemId: i.agendaItem, direction: 'up' })
	},
	{
		route: '/sessions/[id]',
		action: 'signoff',
		guard: 'agenda.signoff (爱建 → its 业委会)',
		allowed: ['aijian_ywh'],
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ nodeId: i.aijian })
	},
	{
		route: '/sessions/[id]',
		action: 'publish',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`
	},
	{ route: '/sessions/[id]', action: 'remind', guard: 'agenda.manage', allowed: ORGANISERS, path: (i) => `/sessions/${i.agendaSession}` },
	{
		route: '/sessions/[id]',
		action: 'advance',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: () => ({ to: 'deliberation' })
	},
	{
		route: '/sessions/[id]',
		action: 'invite',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: () => ({ name: '访问矩阵约请部门' })
	},
	{
		route: '/sessions/[id]',
		action: 'respond',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ departmentId: i.department, response: '访问矩阵：书面回复。' })
	},
	{
		route: '/sessions/[id]',
		action: 'timetable',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`
	},
	{
		route: '/sessions/[id]',
		action: 'meeting',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: () => ({ title: '', startsAt: '2030-01-01T19:00', place: '' })
	},
	{
		route: '/sessions/[id]',
		action: 'vote',
		guard: 'agenda.manage, then a published agenda',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.agendaSession}`,
		form: (i) => ({ itemId: i.agendaItem })
	},

	// 协商 (session in the deliberation phase)
	{
		route: '/sessions/[id]/items/[itemId]',
		action: 'argue',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/items/${i.delibItem}`,
		form: () => ({ stance: 'info', body: '访问矩阵：补充。' })
	},
	{
		route: '/sessions/[id]/items/[itemId]',
		action: 'reply',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/items/${i.delibItem}`,
		form: (i) => ({ parentId: i.post, body: '访问矩阵：回复。' })
	},
	{
		route: '/sessions/[id]/items/[itemId]',
		action: 'hide',
		guard: 'deliberation.moderate',
		allowed: MODERATORS,
		path: (i) => `/sessions/${i.delibSession}/items/${i.delibItem}`,
		form: (i) => ({ postId: i.post, reason: '访问矩阵测试' })
	},
	{
		route: '/sessions/[id]/items/[itemId]',
		action: 'restore',
		guard: 'deliberation.moderate',
		allowed: MODERATORS,
		path: (i) => `/sessions/${i.delibSession}/items/${i.delibItem}`,
		form: (i) => ({ postId: i.hiddenPost, reason: '访问矩阵测试' })
	},
	{
		route: '/sessions/[id]/items/[itemId]',
		action: 'limits',
		guard: 'deliberation.moderate',
		allowed: MODERATORS,
		path: (i) => `/sessions/${i.delibSession}/items/${i.delibItem}`,
		form: () => ({ maxTurns: '3', maxChars: '500', speakSeconds: '120' })
	},
	{
		route: '/sessions/[id]/ground',
		action: 'add',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/ground`,
		form: () => ({ text: '' })
	},
	{
		route: '/sessions/[id]/ground',
		action: 'answer',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/ground`,
		form: (i) => ({ statementId: i.statement, choice: 'agree' })
	},
	{
		route: '/sessions/[id]/polls',
		action: 'create',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/polls`,
		form: () => ({ question: '访问矩阵征询', options: '只有一个选项' })
	},
	{
		route: '/sessions/[id]/polls',
		action: 'answer',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/polls`,
		form: (i) => ({ pollId: i.poll, option: '0' })
	},
	{
		route: '/sessions/[id]/polls',
		action: 'remind',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/polls`,
		form: (i) => ({ pollId: i.poll })
	},
	// The first allowed role closes the poll; the others are told it is closed already (409).
	{
		route: '/sessions/[id]/polls',
		action: 'close',
		guard: 'agenda.manage',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/polls`,
		form: (i) => ({ pollId: i.poll })
	},
	{
		route: '/sessions/[id]/meeting',
		action: 'item',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meeting`,
		form: (i) => ({ itemId: i.delibItem })
	},
	{
		route: '/sessions/[id]/meeting',
		action: 'queue',
		guard: 'agenda.manage (chair queues a name)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meeting`,
		form: (i) => ({ name: '王阿姨', compoundId: i.aijian, stance: 'pro' })
	},
	{
		route: '/sessions/[id]/meeting',
		action: 'next',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meeting`
	},
	{
		route: '/sessions/[id]/meeting',
		action: 'hands',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meeting`,
		form: (i) => ({ itemId: i.delibItem, yes: '3', no: '1', abstain: '0' })
	},
	{
		route: '/sessions/[id]/meetings/[meetingId]',
		action: 'attend',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meetings/${i.meeting}`,
		form: (i) => ({ name: '李阿姨', compoundId: i.aijian })
	},
	{
		route: '/sessions/[id]/meetings/[meetingId]',
		action: 'checkin',
		guard: 'deliberation.participate',
		allowed: PARTICIPANTS,
		path: (i) => `/sessions/${i.delibSession}/meetings/${i.meeting}`
	},
	{
		route: '/sessions/[id]/meetings/[meetingId]',
		action: 'startDraft',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meetings/${i.meeting}`
	},
	// After startDraft: the shared minutes are still empty, so an allowed chair gets 409 (纪要还是空的) and nothing is frozen.
	{
		route: '/sessions/[id]/meetings/[meetingId]',
		action: 'approveDraft',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meetings/${i.meeting}`
	},
	{
		route: '/sessions/[id]/meetings/[meetingId]',
		action: 'approve',
		guard: 'agenda.manage (chair)',
		allowed: ORGANISERS,
		path: (i) => `/sessions/${i.delibSession}/meetings/${i.meeting}`,
		form: () => ({ number: '999' })
	},

	// 起草 (draft sets of the gate case)
	{
		route: '/drafts/[setId]',
		action: 'freeze',
		guard: 'agenda.manage (set compounds + session)',
		allowed: ORGANISERS,
		path: (i) => `/drafts/${i.freezeSet}`,
		form: () => ({ confirm: 'on' })
	},
	{
		route: '/drafts/[setId]/[altId]',
		action: 'comment',
		guard: 'draft.edit',
		allowed: PARTICIPANTS,
		path: (i) => `/drafts/${i.draftSet}/${i.draftAlt}`,
		form: () => ({ body: '访问矩阵批注', start: 'bad', end: 'bad', quote: '' })
	},
	{
		route: '/drafts/[setId]/[altId]',
		action: 'reply',
		guard: 'draft.edit',
		allowed: PARTICIPANTS,
		path: (i) => `/drafts/${i.draftSet}/${i.draftAlt}`,
		form: (i) => ({ commentId: i.draftComment, body: '访问矩阵回复' })
	},
	{
		route: '/drafts/[setId]/[altId]',
		action: 'resolve',
		guard: 'draft.edit',
		allowed: PARTICIPANTS,
		path: (i) => `/drafts/${i.draftSet}/${i.draftAlt}`,
		form: (i) => ({ commentId: i.draftComment })
	},
	{
		route: '/drafts/[setId]/[altId]',
		action: 'saveVersion',
		guard: 'draft.edit',
		allowed: PARTICIPANTS,
		path: (i) => `/drafts/${i.draftSet}/${i.draftAlt}`,
		form: () => ({ name: '访问矩阵版本' })
	},
	{
		route: '/drafts/[setId]/[altId]/versions',
		action: 'restore',
		guard: 'draft.edit',
		allowed: PARTICIPANTS,
		path: (i) => `/drafts/${i.draftSet}/${i.draftAlt}/versions`,
		form: (i) => ({ versionId: i.draftVersion })
	},

	// 表决
	{
		route: '/manage/ballots/new',
		action: 'default',
		guard: 'ballot.manage (every chosen compound)',
		allowed: JOINT_MANAGERS,
		path: () => '/manage/ballots/new',
		form: (i) => ({
			title: '',
			agendaItem: '',
			opensOn: day(20),
			closesOn: day(30),
			noticeDays: '15',
			motionA: '同意',
			motionB: '',
			motionC: '',
			countsVisibility: 'secret',
			bothChannelsRule: 'electronic_prevails',
			compound: [i.aijian, i.hongqiao]
		})
	},
	{
		route: '/manage/ballots/[id]',
		action: 'notice',
		guard: 'ballot.manage',
		allowed: JOINT_MANAGERS,
		path: (i) => `/manage/ballots/${i.draftBallot}`
	},
	{
		route: '/manage/ballots/[id]',
		action: 'open',
		guard: 'ballot.manage',
		allowed: JOINT_MANAGERS,
		path: (i) => `/manage/ballots/${i.draftBallot}`
	},
	{
		route: '/manage/ballots/[id]',
		action: 'close',
		guard: 'ballot.manage, or count.close of any compound',
		allowed: CLOSERS,
		path: (i) => `/manage/ballots/${i.openBallot}`
	},
	{
		route: '/manage/ballots/[id]',
		action: 'paper',
		guard: "paper.enter (the unit's compound)",
		allowed: HONGQIAO_YWH,
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: (i) => ({ ...i.paperUnit, 'm-A': 'yes' })
	},
	{
		route: '/manage/ballots/[id]',
		action: 'withdraw',
		guard: 'paper.enter, and only one’s own entry',
		allowed: ['hongqiao_ywh'],
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: (i) => ({ entryId: i.paperEntry })
	},
	{
		route: '/manage/ballots/[id]',
		action: 'ownerChange',
		guard: "ballot.owner_change (the unit's compound)",
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: () => ({ unitId: 'matrix-no-such-unit', newUserId: 'matrix-no-such-user', reason: '访问矩阵' })
	},
	{
		route: '/manage/ballots/[id]',
		action: 'confirmOwnerChange',
		guard: 'ballot.owner_change, a second member',
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: () => ({ changeId: 'matrix-no-such-change' })
	},
	{
		route: '/manage/ballots/[id]',
		action: 'withdrawOwnerChange',
		guard: 'ballot.owner_change',
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: () => ({ changeId: 'matrix-no-such-change' })
	},
	{
		route: '/manage/ballots/[id]/settle',
		action: 'propose',
		guard: 'ballot.settle_choices',
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}/settle`,
		form: () => ({ caseKey: 'matrix-no-such-case', choice: 'yes', basis: 'owner_stated', note: '' })
	},
	{
		route: '/manage/ballots/[id]/settle',
		action: 'confirm',
		guard: 'ballot.settle_choices, a second member',
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}/settle`,
		form: () => ({ settlementId: 'matrix-no-such-settlement' })
	},
	{
		route: '/manage/ballots/[id]/settle',
		action: 'withdraw',
		guard: 'ballot.settle_choices',
		allowed: YWH_BOTH,
		path: (i) => `/manage/ballots/${i.openBallot}/settle`,
		form: () => ({ settlementId: 'matrix-no-such-settlement' })
	},
	{
		route: '/manage/ballots/[id]',
		action: 'proxy',
		guard: "paper.enter (the units' compound)",
		allowed: HONGQIAO_YWH,
		path: (i) => `/manage/ballots/${i.openBallot}`,
		form: (i) => ({ ...i.proxyUnit, principalName: '访问矩阵委托人', proxyLogin: i.people.hongqiao_owner.login, 'p-A': 'yes' })
	},
	{
		route: '/vote/[id]',
		action: 'review',
		guard: 'ballot.cast (own units)',
		allowed: OWNERS,
		path: (i) => `/vote/${i.openBallot}`,
		form: () => ({ 'm-A': 'yes' })
	},
	{
		route: '/vote/[id]',
		action: 'cast',
		guard: 'ballot.cast (own units)',
		allowed: OWNERS,
		path: (i) => `/vote/${i.openBallot}`,
		form: () => ({ 'm-A': 'yes' })
	},
	{
		route: '/vote/[id]',
		action: 'proxy',
		guard: 'ballot.view + proxy.cast (the 受托人 named on the 委托书, here one from another compound)',
		allowed: ['xianxia_owner'],
		path: (i) => `/vote/${i.openBallot}`,
		form: (i) => ({ proxyId: i.proxy, 'm-A': 'yes' })
	},

	// 公示 / 落实
	{
		route: '/manage/records',
		action: 'sign',
		guard: 'count.close (the form compound)',
		allowed: HONGQIAO_YWH,
		path: () => '/manage/records',
		form: (i) => ({ ballotId: i.closedBallot, compoundId: i.hongqiao, unitVotes: 'none' })
	},
	{
		route: '/manage/records',
		action: 'cosign',
		guard: 'record.cosign',
		allowed: ['scrutineer'],
		path: () => '/manage/records',
		form: (i) => ({ ballotId: i.closedBallot })
	},
	{
		route: '/manage/records/publish/[ballotId]',
		action: 'preview',
		guard: 'record.publish (every compound)',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/publish/${i.closedBallot}`,
		form: () => ({ question: '', convenedBy: '访问矩阵', disputeDays: '7' })
	},
	{
		route: '/manage/records/publish/[ballotId]',
		action: 'publish',
		guard: 'record.publish (every compound)',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/publish/${i.closedBallot}`,
		form: () => ({ question: '', convenedBy: '访问矩阵', disputeDays: '7' })
	},
	{
		route: '/manage/records/[id]',
		action: 'answer',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftPrelim}`,
		form: (i) => ({ objectionId: i.liftObjection, text: '' })
	},
	{
		route: '/manage/records/[id]',
		action: 'finalise',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftPrelim}`
	},
	{
		route: '/manage/records/[id]',
		action: 'correct',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftFinal}`,
		form: () => ({ reason: '', question: '' })
	},
	{
		route: '/manage/records/[id]',
		action: 'task',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftFinal}`,
		form: (i) => ({ itemId: i.liftPrelim, title: '', organisation: '', dueDate: '' })
	},
	{
		route: '/manage/records/[id]',
		action: 'update',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftFinal}`,
		form: (i) => ({ taskId: i.liftTask, status: 'bogus', note: '' })
	},
	{
		route: '/manage/records/[id]',
		action: 'close',
		guard: 'record.publish',
		allowed: PUBLISHERS,
		path: (i) => `/manage/records/${i.liftFinal}`,
		form: (i) => ({ itemId: i.liftPrelim, note: '' })
	},
	{
		route: '/records/[id]',
		action: 'object',
		guard: 'record.object (verified owner or resident of a record compound)',
		allowed: HONGQIAO_MEMBERS,
		path: (i) => `/records/${i.liftPrelim}`,
		form: () => ({ text: '访问矩阵：异议内容足够长。' }),
		// The record page has no JavaScript, so its form carries login fields: an anonymous post
		// without them stays on the page with the text, asked to log in there.
		refusedWith: { anonymous: { kind: 'failure', text: '请先填写账号和密码登录' } }
	},
	{
		route: '/records/[id]',
		action: 'rate',
		guard: 'record.rate (verified owner or resident of a record compound)',
		allowed: HONGQIAO_MEMBERS,
		path: (i) => `/records/${i.liftFinal}`,
		form: (i) => ({ itemId: i.liftPrelim, rating: '', comment: '' })
	},

	// 房屋清册 and 核验信
	{
		route: '/manage/compounds/[id]/import',
		action: 'preview',
		guard: 'roster.manage',
		allowed: AIJIAN_ROSTER,
		path: (i) => `/manage/compounds/${i.aijian}/import`,
		form: csv
	},
	{
		route: '/manage/compounds/[id]/import',
		action: 'confirm',
		guard: 'roster.manage',
		allowed: AIJIAN_ROSTER,
		path: (i) => `/manage/compounds/${i.aijian}/import`,
		form: () => ({ token: 'matrix-no-such-upload' })
	},
	{
		route: '/manage/compounds/[id]',
		action: 'revoke',
		guard: "verification.issue (the unit's compound)",
		allowed: ['juwei', 'admin'],
		path: (i) => `/manage/compounds/${i.xianxia}`,
		form: (i) => ({ unitId: i.codeUnit })
	},
	{
		route: '/manage/compounds/[id]/letters',
		action: 'issue',
		guard: 'verification.issue',
		allowed: AIJIAN_ROSTER,
		path: (i) => `/manage/compounds/${i.aijian}/letters`,
		form: () => ({ building: 'matrix-no-such-building' })
	},
	{
		route: '/manage/compounds/[id]/letters',
		action: 'reissue',
		guard: 'verification.reissue',
		allowed: AIJIAN_ROSTER,
		path: (i) => `/manage/compounds/${i.aijian}/letters`,
		form: () => ({ building: 'matrix-no-such-building', room: '101', reason: '访问矩阵' })
	},
	// administration (DOMAIN.md §9): the tree below 爱建居民区 is juwei's; other roles are the admin's alone
	{
		route: '/admin',
		action: 'add',
		guard: 'admin.tree (parent: a 小区 of 爱建居民区)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin',
		form: (i, r) => ({ kind: 'building', parentId: i.adminCompound, name: `矩阵楼-${r}`, _form: 'm' })
	},
	{
		route: '/admin',
		action: 'add',
		guard: 'admin.tree (parent: a 片区)',
		allowed: ['admin'],
		path: () => '/admin',
		form: (i, r) => ({ kind: 'committee', parentId: i.adminCluster, name: `访问矩阵居委-${r}`, _form: 'm' })
	},
	{
		route: '/admin',
		action: 'rename',
		guard: 'admin.tree (parent of the 小区)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin',
		form: (i) => ({ nodeId: i.adminCompound, name: '访问矩阵小区', _form: 'm' })
	},
	{
		route: '/admin',
		action: 'archive',
		guard: 'admin.tree (parent of the 楼栋)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin',
		form: (i) => ({ nodeId: i.adminBuilding, _form: 'm' })
	},
	{
		route: '/admin',
		action: 'restore',
		guard: 'admin.tree (parent of the 楼栋)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin',
		form: (i) => ({ nodeId: i.adminBuilding, _form: 'm' })
	},
	{
		route: '/admin/grants',
		action: 'grant',
		guard: 'admin.grant_committee (爱建)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin/grants',
		form: (i) => ({ login: 'matrix_no_such_person', role: 'owners_committee', scopeId: i.aijian, from: '2026-01-01', to: '2028-12-31' })
	},
	{
		route: '/admin/grants',
		action: 'grant',
		guard: 'admin.grant (居委 staff)',
		allowed: ['admin'],
		path: () => '/admin/grants',
		form: (i) => ({ login: 'matrix_no_such_person', role: 'committee_staff', scopeId: i.aijianCommittee })
	},
	{
		route: '/admin/grants',
		action: 'revoke',
		guard: 'admin.grant_committee (the grant’s 小区)',
		allowed: ['juwei', 'admin'],
		path: () => '/admin/grants',
		form: (i) => ({ grantId: i.adminGrant })
	},
	// An empty year is refused as input (400) for the administrator: the installation's calendar stays as it is.
	{
		route: '/admin/calendar',
		action: 'enter',
		guard: 'admin.calendar',
		allowed: ['admin'],
		path: () => '/admin/calendar',
		form: () => ({ year: '2099', text: '' })
	},

	// Last: these end the session they are sent with (each role logs in afresh for them).
	{ route: '/logout', action: 'here', guard: 'public (ends own session)', allowed: EVERYONE, path: () => '/logout', fresh: true },
	{
		route: '/logout',
		action: 'everywhere',
		guard: 'public (ends own sessions; none for the anonymous)',
		allowed: EVERYONE,
		path: () => '/logout',
		fresh: true
	}
];

// ─── how ────────────────────────────────────────────────────────────────────────────────────────

let ids: Ids;
let jar: Jar;

beforeAll(async () => {
	ids = await buildFixture();
	jar = await logInAll(ids.people);
}, 120_000);

const cjk = /[\u4e00-\u9fff]/;

/** Why an outcome does not match the row for this role, or null when it does. */
function mismatch(row: Row, role: Role, got: Outcome): string | null {
	const show = `${got.kind} ${got.status}${got.location ? ` → ${got.location}` : ''}: ${got.text.slice(0, 160)}`;
	if (row.allowed.includes(role)) {
		if (got.kind === 'forbidden' || got.kind === 'login') return `allowed but refused (${show})`;
		if (got.kind === 'error') return `allowed but errored (${show})`;
		if (got.kind === 'failure' && ![400, 409].includes(got.status)) return `allowed but failed oddly (${show})`;
		return null;
	}
	const special = row.refusedWith?.[role];
	if (special)
		return got.kind === special.kind && got.text.includes(special.text) ? null : `expected refusal "${special.text}" (${show})`;
	if (role === 'anonymous') return got.kind === 'login' ? null : `expected redirect to /login (${show})`;
	if (got.kind !== 'forbidden') return `expected 403 (${show})`;
	return cjk.test(got.text) ? null : `403 without a Chinese reason (${show})`;
}

describe('access matrix: state-changing routes × roles', () => {
	it.each(TABLE)('$route ?/$action — $guard', async (row) => {
		const send = async (role: Role) => {
			const token = role === 'anonymous' ? null : row.fresh ? await logIn(ids.people, role) : jar.get(role)!;
			return [role, await postAction(row.path(ids), row.action, row.form?.(ids, role) ?? {}, token)] as const;
		};
		const refused = ROLES.filter((r) => !row.allowed.includes(r));
		const before = await rowCounts();
		const outcomes = await inBatches(refused, 7, send);
		const after = await rowCounts();
		// Fresh logins write session rows: those are the only change a refused row may leave.
		if (row.fresh) {
			delete before.sessions;
			delete after.sessions;
		}
		try {
			outcomes.push(...(await inBatches(row.allowed, 7, send)));
		} finally {
			// Ending every session of every account ends the shared ones too.
			if (row.action === 'everywhere') jar = await logInAll(ids.people);
		}
		const wrong = outcomes.map(([role, got]) => [role, mismatch(row, role, got)] as const).filter(([, why]) => why !== null);
		expect(Object.fromEntries(wrong), `${row.route} ?/${row.action}`).toEqual({});
		expect(after, 'refused requests changed the database').toEqual(before);
	});

	it('lists every state-changing route under src/routes', () => {
		const listed = new Set(TABLE.map((r) => `${r.route} ${r.action}`));
		const found = stateChangingRoutes('src/routes');
		expect(found.length).toBeGreaterThan(50);
		expect(
			found.filter((r) => !listed.has(r)),
			'routes missing from the access matrix'
		).toEqual([]);
		expect(
			[...listed].filter((r) => !found.includes(r)),
			'rows for routes that no longer exist'
		).toEqual([]);
	});

	it('names a policy action for every guard it can, and guards a route with every action that changes state', () => {
		const named = new Set(TABLE.flatMap((r) => [...r.guard.matchAll(/\b[a-z_]+\.[a-z_]+\b/g)].map((m) => m[0])));
		expect(
			[...named].filter((a) => !(ACTIONS as string[]).includes(a)),
			'guards naming no policy action'
		).toEqual([]);
		expect(
			ACTIONS.filter((a) => !READ_ACTIONS.includes(a) && !named.has(a)),
			'policy actions no row exercises'
		).toEqual([]);
	});
});

/** Policy actions that only read; the per-unit export has its own GET matrix below, drafts their /collab one. */
const READ_ACTIONS: Action[] = ['draft.read', 'count.watch', 'record.export_units', 'roster.read', 'compound.view', 'ballot.view'];

/**
 * A download that is not a state change but is not public either (record.export_units, issue #15):
 * the per-unit export of the lift record (虹桥 only) — 虹桥's owners (its 业委会 members own flats
 * there), the scrutineer of the 片区 and the 居委; nobody else, the administrator included.
 */
const UNIT_EXPORT_READERS: Role[] = ['hongqiao_owner', 'hongqiao_ywh', 'hongqiao_ywh2', 'scrutineer', 'juwei'];

describe('access matrix: the per-unit export of a published record × roles', () => {
	it.each([
		{ route: '/records/[id]/units.json', path: (i: Ids) => `/records/${i.liftFinal}/units.json` },
		{ route: '/records/[id]/receipt.json', path: (i: Ids) => `/records/${i.liftFinal}/receipt.json`, owners: true }
	])('GET $route — record.export_units', async (row) => {
		const allowed = row.owners ? UNIT_EXPORT_READERS.filter((r) => r !== 'scrutineer' && r !== 'juwei') : UNIT_EXPORT_READERS;
		const outcomes = await inBatches(ROLES, 7, async (role) => {
			const token = role === 'anonymous' ? null : jar.get(role)!;
			const res = await fetch(`${baseUrl()}${row.path(ids)}`, {
				redirect: 'manual',
				headers: token ? { cookie: `yishi_session=${token}` } : {}
			});
			const text = await res.text();
			const want = allowed.includes(role) ? 200 : role === 'anonymous' ? 303 : 403;
			const ok = res.status === want && (want !== 403 || cjk.test(text)) && (want !== 200 || JSON.parse(text) !== null);
			return [role, ok ? null : `expected ${want}, got ${res.status}: ${text.slice(0, 120)}`] as const;
		});
		expect(Object.fromEntries(outcomes.filter(([, why]) => why !== null))).toEqual({});
	});
});

/** Every form action (`export const actions = { name: … }`) and every non-GET +server.ts handler. */
function stateChangingRoutes(root: string): string[] {
	const out: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (/^\+page\.server\.[jt]s$/.test(name) || /^\+server\.[jt]s$/.test(name)) {
				const route =
					'/' +
					relative(root, dir)
						.split(/[\\/]/)
						.filter((s) => !/^\(.*\)$/.test(s))
						.join('/');
				const source = readFileSync(path, 'utf8');
				if (name.startsWith('+page')) {
					const start = source.indexOf('export const actions');
					if (start === -1) continue;
					const end = source.indexOf('\n};', start);
					// The actions object's own keys sit one tab in: `\tname: async (event) => {`.
					for (const m of source
						.slice(start, end === -1 ? undefined : end)
						.matchAll(/^\t(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/gm))
						out.push(`${route === '/' ? '/' : route} ${m[1]}`);
				} else {
					for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE|fallback)\b/g))
						out.push(`${route} ${m[1]}`);
				}
			}
		}
	};
	walk(root);
	return out.sort();
}

// ─── the collaborative documents ────────────────────────────────────────────────────────────────

/** WebSocket `/collab`, document `alt:<id>` of a gate-case alternative while drafting is open. */
const COLLAB: Record<Role, 'unauthorized' | 'forbidden' | 'read-only' | 'edit'> = {
	anonymous: 'unauthorized', // 4401
	xianxia_owner: 'forbidden', // 4403: not in a participating compound
	scrutineer: 'read-only', // draft.read
	admin: 'read-only', // draft.read
	aijian_owner: 'edit',
	hongqiao_owner: 'edit',
	tenant: 'edit',
	aijian_ywh: 'edit',
	hongqiao_ywh: 'edit',
	hongqiao_ywh2: 'edit',
	juwei: 'edit',
	pianqu: 'edit',
	facilitator: 'edit'
};

describe('access matrix: collaborative documents × roles', () => {
	const wsUrl = () => `${baseUrl().replace(/^http/, 'ws')}/collab`;
	const clients: Client[] = [];
	afterAll(() => clients.forEach((c) => c.destroy()));

	it('refuses the anonymous (4401) and outsiders (4403); readers connect read-only; participants edit', async () => {
		const name = `alt:${ids.collabAlt}`;
		// An editor who watches what the server's document receives.
		const observer = connect(wsUrl(), name, { cookie: jar.get('juwei')! });
		clients.push(observer);
		await waitFor(() => observer.provider.isSynced, 15_000, 'observer synced');

		const results = await Promise.all(
			ROLES.map(async (role) => {
				const client = connect(wsUrl(), name, role === 'anonymous' ? {} : { cookie: jar.get(role)! });
				clients.push(client);
				const expected = COLLAB[role];
				if (expected === 'unauthorized' || expected === 'forbidden') {
					await waitFor(() => client.closes.length > 0, 15_000, `${role} closed`);
					client.destroy();
					return [
						role,
						client.closes[0].code === (expected === 'unauthorized' ? 4401 : 4403) && !client.provider.isSynced
							? expected
							: `closed ${client.closes[0].code}`
					] as const;
				}
				await waitFor(() => client.provider.isSynced, 15_000, `${role} synced`);
				const words = `访问矩阵 ${role} 写入`;
				const applied = answerTo(client, () => appendParagraph(client.doc, words), 15_000);
				if (expected === 'edit') {
					if (!(await applied)) return [role, 'its update was refused'] as const;
					await waitFor(() => bodyText(observer.doc).includes(words), 15_000, `${role}'s words reach the server`);
					return [role, client.scope === 'read-write' ? 'edit' : `edit with scope ${client.scope}`] as const;
				}
				// Refused or applied, the server has answered; a broadcast to the observer came before its next sync answer.
				if (await applied) return [role, 'its update was applied'] as const;
				await roundTrip(observer, 15_000);
				return [
					role,
					bodyText(observer.doc).includes(words)
						? 'its update reached the server'
						: client.scope === 'readonly'
							? 'read-only'
							: `scope ${client.scope}`
				] as const;
			})
		);
		expect(Object.fromEntries(results)).toEqual(COLLAB);
	}, 60_000);
});
