/**
 * Who may do what, in one place (DOMAIN.md §5). Pure: the server loads the actor and the target,
 * this decides. Every service that changes state asks `decide` first.
 */
import { m } from '../../paraglide/messages.js';

export type Role =
	| 'committee_staff' // 居委工作人员, scoped to a 居委
	| 'owners_committee' // 业委会成员, scoped to a 小区
	| 'cluster_coordinator' // 片区协调人, scoped to a 片区
	| 'facilitator' // 主持人, scoped to a deliberation session
	| 'scrutineer' // 监票人, scoped to a 小区 or a session
	| 'admin';

export interface Grant {
	role: Role;
	scopeId: string | null;
}

export interface Membership {
	unitId: string;
	compoundId: string;
	relation: 'owner' | 'resident';
}

export interface Actor {
	userId: string;
	grants: Grant[];
	memberships: Membership[];
}

/** A compound with its ancestors (小区, 居委, 片区, 街道), so scoped grants higher up apply. */
export interface CompoundScope {
	id: string;
	chain: string[];
}

export interface Target {
	/** The compounds the action touches: one for roster work, the participants for a session. */
	compounds: CompoundScope[];
	/** The deliberation session, for session-scoped roles. */
	sessionId?: string;
	/** For ballot casting: the units the actor wants to vote for. */
	unitIds?: string[];
	/** For a convenor's sign-off: the convening organisation and the role that signs for its kind. */
	convenor?: { nodeId: string; role: Role };
	/** For casting by proxy: the 受托人 named on the 委托书. */
	proxyUserId?: string;
	/** For reading one ballot: the 受托人 of its 委托书 in force, while it is open for casting (none after). */
	ballotProxyUserIds?: string[];
}

export type Action =
	| 'concern.raise'
	| 'concern.cosign'
	| 'agenda.manage'
	| 'agenda.signoff'
	| 'deliberation.participate'
	| 'deliberation.moderate'
	| 'draft.edit'
	| 'draft.read'
	| 'ballot.cast'
	| 'proxy.cast'
	| 'ballot.manage'
	| 'ballot.owner_change'
	| 'ballot.settle_choices'
	| 'paper.enter'
	| 'count.watch'
	| 'count.close'
	| 'record.publish'
	| 'record.cosign'
	| 'record.export_units'
	| 'record.object'
	| 'record.rate'
	| 'roster.manage'
	| 'roster.read'
	| 'verification.issue'
	| 'verification.reissue'
	| 'compound.view'
	| 'ballot.view'
	| 'admin.tree'
	| 'admin.grant'
	| 'admin.grant_committee'
	| 'admin.calendar';

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

type Who =
	| 'member' // any verified owner or resident of a target compound
	| 'owner' // a verified owner of a target compound
	| 'convenor' // the signing role of the target's convening organisation, granted for exactly that organisation
	| 'named_proxy' // the 受托人 the target's 委托书 names
	| 'ballot_proxy' // a 受托人 of a 委托书 in force on the target ballot, wherever they live
	| 'owners_committee'
	| 'committee_staff'
	| 'cluster_coordinator'
	| 'facilitator'
	| 'scrutineer'
	| 'admin';

/** The §5 table: action → who may. Scope is checked per kind in `holds`. */
/** `refusal` is a message: it is read in the language of the request that asks. */
const TABLE: Record<Action, { who: Who[]; refusal: () => string }> = {
	'concern.raise': { who: ['member', 'owners_committee', 'committee_staff'], refusal: m.policy_concern_raise },
	'concern.cosign': { who: ['member', 'owners_committee', 'committee_staff'], refusal: m.policy_concern_cosign },
	'agenda.manage': {
		who: ['owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator', 'admin'],
		refusal: m.policy_agenda_manage
	},
	/** 召集方签字: a grant of the convenor's signing role for that very organisation (a 居委 worker does not sign for a 业委会 below it). */
	'agenda.signoff': { who: ['convenor'], refusal: m.policy_agenda_signoff },
	'deliberation.participate': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator'],
		refusal: m.policy_deliberation_participate
	},
	'deliberation.moderate': { who: ['facilitator', 'admin'], refusal: m.policy_deliberation_moderate },
	'draft.edit': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator'],
		refusal: m.policy_draft_edit
	},
	'draft.read': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator', 'scrutineer', 'admin'],
		refusal: m.policy_draft_read
	},
	'ballot.cast': { who: ['owner'], refusal: m.policy_ballot_cast },
	/** 代为投票: only the 受托人 the 委托书 names; what they may cast is the 委托书's instructions (voting/proxies.ts). */
	'proxy.cast': { who: ['named_proxy'], refusal: m.policy_proxy_cast },
	'ballot.manage': {
		who: ['owners_committee', 'committee_staff', 'cluster_coordinator', 'admin'],
		refusal: m.policy_ballot_manage
	},
	/** 业主变更登记 during an open ballot: proposed by one 业委会 member, confirmed by another (double control). */
	'ballot.owner_change': { who: ['owners_committee'], refusal: m.policy_ballot_owner_change },
	/** A person whose units voted differently: settled by one 业委会 member, confirmed by another (double control). */
	'ballot.settle_choices': { who: ['owners_committee'], refusal: m.policy_ballot_settle_choices },
	'paper.enter': { who: ['owners_committee'], refusal: m.policy_paper_enter },
	'count.watch': {
		who: ['owners_committee', 'scrutineer', 'committee_staff', 'admin'],
		refusal: m.policy_count_watch
	},
	'count.close': { who: ['owners_committee'], refusal: m.policy_count_close },
	'record.publish': { who: ['committee_staff', 'admin'], refusal: m.policy_record_publish },
	'record.cosign': { who: ['scrutineer'], refusal: m.policy_record_cosign },
	/** The per-unit export of a published record (SPC interpretation art. 13): each download audited. */
	'record.export_units': { who: ['owner', 'scrutineer', 'committee_staff'], refusal: m.policy_record_export_units },
	/** 异议 during the dispute window and 评议 of the follow-through: verified owners and residents of a record's compounds. */
	'record.object': { who: ['member'], refusal: m.policy_record_object },
	'record.rate': { who: ['member'], refusal: m.policy_record_rate },
	'roster.manage': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: m.policy_roster_manage },
	'roster.read': {
		who: ['owners_committee', 'committee_staff', 'scrutineer', 'admin'],
		refusal: m.policy_roster_read
	},
	'verification.issue': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: m.policy_verification_issue },
	/** 补发核验信 for a unit that may already have a verified owner: its own step, with a reason, audited. */
	'verification.reissue': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: m.policy_verification_reissue },
	'compound.view': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'scrutineer', 'admin'],
		refusal: m.policy_compound_view
	},
	/**
	 * One ballot's page, motions and turnout: whoever may view its compound, and a 受托人 of a 委托书 in
	 * force on it while it is open for casting (a proxy may be anyone the owner trusts), for that ballot only.
	 */
	'ballot.view': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'scrutineer', 'admin', 'ballot_proxy'],
		refusal: m.policy_ballot_view
	},
	// Tree and grants (DOMAIN.md §9). The target is the PARENT of the node created, renamed or
	// archived (as a scope with its chain): a 居委 worker thus manages the 小区 and 楼栋 below their
	// 居委, but not the 居委 itself nor anything beside or above it; a root 街道 has no parent, so
	// the target has no scope and only the administrator is covered.
	'admin.tree': { who: ['committee_staff', 'admin'], refusal: m.policy_admin_tree },
	'admin.grant': { who: ['admin'], refusal: m.policy_admin_grant },
	/** Granting or revoking 业委会 members of a compound: the target is the compound. */
	'admin.grant_committee': { who: ['committee_staff', 'admin'], refusal: m.policy_admin_grant_committee },
	/** The installation's rest-day calendar (法定节假日): one for everyone, so only the administrator. */
	'admin.calendar': { who: ['admin'], refusal: m.policy_admin_calendar }
};

function grantCoversCompound(grant: Grant, compound: CompoundScope): boolean {
	return grant.scopeId !== null && compound.chain.includes(grant.scopeId);
}

/**
 * Whether the actor's grants of one role reach the target. Node-scoped grants must reach every
 * touched compound, each through some grant of that role (a 居委 worker of both 居委 can act on a
 * joint matter; a worker of one cannot). Session-scoped roles match the session.
 */
function roleCovers(role: Role, grants: Grant[], target: Target): boolean {
	const mine = grants.filter((g) => g.role === role);
	if (mine.length === 0) return false;
	if (role === 'admin') return true;
	if (
		target.sessionId !== undefined &&
		(role === 'facilitator' || role === 'scrutineer') &&
		mine.some((g) => g.scopeId === target.sessionId)
	)
		return true;
	if (role === 'facilitator') return false;
	return target.compounds.length > 0 && target.compounds.every((c) => mine.some((g) => grantCoversCompound(g, c)));
}

function holds(who: Who, actor: Actor, target: Target): boolean {
	const targetIds = new Set(target.compounds.map((c) => c.id));
	switch (who) {
		case 'member':
			return actor.memberships.some((m) => targetIds.has(m.compoundId));
		case 'owner': {
			const owned = actor.memberships.filter((m) => m.relation === 'owner' && targetIds.has(m.compoundId));
			if (owned.length === 0) return false;
			// Casting for named units: every one of them must be the actor's own.
			if (target.unitIds) {
				const ownedIds = new Set(owned.map((m) => m.unitId));
				return target.unitIds.length > 0 && target.unitIds.every((u) => ownedIds.has(u));
			}
			return true;
		}
		case 'convenor': {
			const convenor = target.convenor;
			if (!convenor) return false;
			return actor.grants.some((g) => g.role === convenor.role && (convenor.role === 'admin' || g.scopeId === convenor.nodeId));
		}
		case 'named_proxy':
			return target.proxyUserId !== undefined && target.proxyUserId === actor.userId;
		case 'ballot_proxy':
			return target.ballotProxyUserIds?.includes(actor.userId) ?? false;
		default:
			return roleCovers(who, actor.grants, target);
	}
}

export function decide(actor: Actor | null, action: Action, target: Target): Decision {
	if (!actor) return deny(m.policy_sign_in_first());
	const rule = TABLE[action];
	return rule.who.some((who) => holds(who, actor, target)) ? ALLOW : deny(rule.refusal());
}

/** The roles that may take an action, for documentation and the access-matrix test. */
export function whoMay(action: Action): readonly string[] {
	return TABLE[action].who;
}

export const ACTIONS = Object.keys(TABLE) as Action[];

/** A role's name for a page, in the reader's language (ROLE_LABELS stays Chinese for what is stored and logged). */
export function roleLabel(role: Role): string {
	const labels: Record<Role, () => string> = {
		committee_staff: m.role_committee_staff,
		owners_committee: m.role_owners_committee,
		cluster_coordinator: m.role_cluster_coordinator,
		facilitator: m.role_facilitator,
		scrutineer: m.role_scrutineer,
		admin: m.role_admin
	};
	return labels[role]();
}

export const ROLE_LABELS: Record<Role, string> = {
	committee_staff: '居委工作人员',
	owners_committee: '业委会成员',
	cluster_coordinator: '片区协调人',
	facilitator: '主持人',
	scrutineer: '监票人',
	admin: '系统管理员'
};
