/** 协商会 kinds and the rules an agenda item can be decided by (links to the voting module). */

export const SESSION_KINDS = ['hearing', 'coordination', 'review', 'dialogue', 'owners_assembly'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SESSION_KIND_LABELS: Record<SessionKind, string> = {
	hearing: '听证会',
	coordination: '协调会',
	review: '评议会',
	dialogue: '民情恳谈会',
	owners_assembly: '业主大会'
};

export const DECIDING_RULES = ['major', 'ordinary', 'unanimous_affected', 'residents_meeting', 'advisory'] as const;
export type DecidingRule = (typeof DECIDING_RULES)[number];

export const DECIDING_RULE_LABELS: Record<DecidingRule, string> = {
	major: '业主共同决定·重大事项（民法典第278条：参与表决面积和人数均四分之三以上同意）',
	ordinary: '业主共同决定·一般事项（参与表决面积和人数均过半数同意）',
	unanimous_affected: '受影响业主一致同意（民法典第279条）',
	residents_meeting: '居民会议（到会过半数同意）',
	advisory: '征询意见（不作决定）'
};

export const DECIDING_RULE_SHORT: Record<DecidingRule, string> = {
	major: '重大事项（四分之三）',
	ordinary: '一般事项（过半数）',
	unanimous_affected: '受影响业主一致同意',
	residents_meeting: '居民会议',
	advisory: '征询意见'
};

/** Which role signs for a convening organisation of each kind: 业委会 for a 小区, staff for a 居委, … */
export const SIGNING_ROLE = {
	compound: 'owners_committee',
	committee: 'committee_staff',
	cluster: 'cluster_coordinator',
	street: 'admin'
} as const;

export function convenorName(kind: string, nodeName: string): string {
	if (kind === 'compound') return `${nodeName}业委会`;
	if (kind === 'committee') return `${nodeName}居委会`;
	return nodeName;
}

/** The convenors that have not signed the current agenda revision. */
export function missingSignOffs(convenorIds: readonly string[], signedAtRevision: ReadonlyMap<string, number>, revision: number): string[] {
	return convenorIds.filter((id) => signedAtRevision.get(id) !== revision);
}
