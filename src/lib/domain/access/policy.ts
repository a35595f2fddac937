/**
 * Who may do what, in one place (DOMAIN.md §5). Pure: the server loads the actor and the target,
 * this decides. Every service that changes state asks `decide` first.
 */

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
const TABLE: Record<Action, { who: Who[]; refusal: string }> = {
	'concern.raise': { who: ['member', 'owners_committee', 'committee_staff'], refusal: '只有本小区已核验的居民可以提出议题' },
	'concern.cosign': { who: ['member', 'owners_committee', 'committee_staff'], refusal: '只有本小区已核验的居民可以附议' },
	'agenda.manage': {
		who: ['owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator', 'admin'],
		refusal: '您没有管理这项议程的权限'
	},
	/** 召集方签字: a grant of the convenor's signing role for that very organisation (a 居委 worker does not sign for a 业委会 below it). */
	'agenda.signoff': { who: ['convenor'], refusal: '只有召集方可以为议程签字' },
	'deliberation.participate': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator'],
		refusal: '只有参与小区的居民可以参加讨论'
	},
	'deliberation.moderate': { who: ['facilitator', 'admin'], refusal: '只有主持人可以管理发言' },
	'draft.edit': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator'],
		refusal: '只有参与小区的居民可以编辑方案'
	},
	'draft.read': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'facilitator', 'scrutineer', 'admin'],
		refusal: '您没有查看这份方案的权限'
	},
	'ballot.cast': { who: ['owner'], refusal: '只有本小区已核验的业主可以投票' },
	/** 代为投票: only the 受托人 the 委托书 names; what they may cast is the 委托书's instructions (voting/proxies.ts). */
	'proxy.cast': { who: ['named_proxy'], refusal: '只有委托书上写明的受托人可以代为投票' },
	'ballot.manage': {
		who: ['owners_committee', 'committee_staff', 'cluster_coordinator', 'admin'],
		refusal: '只有参与小区的业委会、居委或片区可以组织表决'
	},
	/** 业主变更登记 during an open ballot: proposed by one 业委会 member, confirmed by another (double control). */
	'ballot.owner_change': { who: ['owners_committee'], refusal: '只有本小区业委会成员可以办理业主变更登记' },
	/** A person whose units voted differently: settled by one 业委会 member, confirmed by another (double control). */
	'ballot.settle_choices': { who: ['owners_committee'], refusal: '只有本小区业委会成员可以处理多套房屋投票不一致' },
	'paper.enter': { who: ['owners_committee'], refusal: '只有本小区业委会成员可以录入纸质票' },
	'count.watch': {
		who: ['owners_committee', 'scrutineer', 'committee_staff', 'admin'],
		refusal: '只有业委会、监票人和居委可以查看计票过程'
	},
	'count.close': { who: ['owners_committee'], refusal: '只有本小区业委会可以结束计票' },
	'record.publish': { who: ['committee_staff', 'admin'], refusal: '只有居委可以发布公示' },
	'record.cosign': { who: ['scrutineer'], refusal: '只有监票人可以会签' },
	/** The per-unit export of a published record (SPC interpretation art. 13): each download audited. */
	'record.export_units': { who: ['owner', 'scrutineer', 'committee_staff'], refusal: '分户表决数据只有本小区业主、监票人和居委可以下载' },
	/** 异议 during the dispute window and 评议 of the follow-through: verified owners and residents of a record's compounds. */
	'record.object': { who: ['member'], refusal: '只有参与小区已核验的业主和居民可以提出异议' },
	'record.rate': { who: ['member'], refusal: '只有参与小区已核验的业主和居民可以评议' },
	'roster.manage': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: '只有本小区业委会或居委可以管理房屋清册' },
	'roster.read': {
		who: ['owners_committee', 'committee_staff', 'scrutineer', 'admin'],
		refusal: '房屋清册只有业委会、居委和监票人可以查看'
	},
	'verification.issue': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: '只有本小区业委会或居委可以发放核验码' },
	/** 补发核验信 for a unit that may already have a verified owner: its own step, with a reason, audited. */
	'verification.reissue': { who: ['owners_committee', 'committee_staff', 'admin'], refusal: '只有本小区业委会或居委可以补发核验信' },
	'compound.view': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'scrutineer', 'admin'],
		refusal: '您不是这个小区的居民'
	},
	/**
	 * One ballot's page, motions and turnout: whoever may view its compound, and a 受托人 of a 委托书 in
	 * force on it while it is open for casting (a proxy may be anyone the owner trusts), for that ballot only.
	 */
	'ballot.view': {
		who: ['member', 'owners_committee', 'committee_staff', 'cluster_coordinator', 'scrutineer', 'admin', 'ballot_proxy'],
		refusal: '您不是这个小区的居民'
	},
	// Tree and grants (DOMAIN.md §9). The target is the PARENT of the node created, renamed or
	// archived (as a scope with its chain): a 居委 worker thus manages the 小区 and 楼栋 below their
	// 居委, but not the 居委 itself nor anything beside or above it; a root 街道 has no parent, so
	// the target has no scope and only the administrator is covered.
	'admin.tree': { who: ['committee_staff', 'admin'], refusal: '只有系统管理员或本居委工作人员可以修改小区和楼栋' },
	'admin.grant': { who: ['admin'], refusal: '只有系统管理员可以授予这个角色' },
	/** Granting or revoking 业委会 members of a compound: the target is the compound. */
	'admin.grant_committee': { who: ['committee_staff', 'admin'], refusal: '只有系统管理员或本居委工作人员可以任免业委会成员' },
	/** The installation's rest-day calendar (法定节假日): one for everyone, so only the administrator. */
	'admin.calendar': { who: ['admin'], refusal: '只有系统管理员可以录入节假日安排' }
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
	if (!actor) return deny('请先登录');
	const rule = TABLE[action];
	return rule.who.some((who) => holds(who, actor, target)) ? ALLOW : deny(rule.refusal);
}

/** The roles that may take an action, for documentation and the access-matrix test. */
export function whoMay(action: Action): readonly string[] {
	return TABLE[action].who;
}

export const ACTIONS = Object.keys(TABLE) as Action[];

export const ROLE_LABELS: Record<Role, string> = {
	committee_staff: '居委工作人员',
	owners_committee: '业委会成员',
	cluster_coordinator: '片区协调人',
	facilitator: '主持人',
	scrutineer: '监票人',
	admin: '系统管理员'
};
