/** 协商会 kinds and the rules an agenda item can be decided by (links to the voting module). */
import { m } from '../../paraglide/messages.js';
import { liveLabels, type LabelMessage } from './labels.ts';

export const SESSION_KINDS = ['hearing', 'coordination', 'review', 'dialogue', 'owners_assembly'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SESSION_KIND_MESSAGES: Record<SessionKind, LabelMessage> = {
	hearing: m.agenda_kind_hearing,
	coordination: m.agenda_kind_coordination,
	review: m.agenda_kind_review,
	dialogue: m.agenda_kind_dialogue,
	owners_assembly: m.agenda_kind_owners_assembly
};
/** In the reader's language; the printed notice calls SESSION_KIND_MESSAGES with `{ locale: 'zh-CN' }`. */
export const SESSION_KIND_LABELS: Record<SessionKind, string> = liveLabels(SESSION_KIND_MESSAGES);

export const DECIDING_RULES = ['major', 'ordinary', 'unanimous_affected', 'residents_meeting', 'advisory'] as const;
export type DecidingRule = (typeof DECIDING_RULES)[number];

export const DECIDING_RULE_MESSAGES: Record<DecidingRule, LabelMessage> = {
	major: m.agenda_rule_major,
	ordinary: m.agenda_rule_ordinary,
	unanimous_affected: m.agenda_rule_unanimous_affected,
	residents_meeting: m.agenda_rule_residents_meeting,
	advisory: m.agenda_rule_advisory
};
/** In the reader's language; the printed notice calls DECIDING_RULE_MESSAGES with `{ locale: 'zh-CN' }`. */
export const DECIDING_RULE_LABELS: Record<DecidingRule, string> = liveLabels(DECIDING_RULE_MESSAGES);

export const DECIDING_RULE_SHORT: Record<DecidingRule, string> = liveLabels({
	major: m.agenda_rule_short_major,
	ordinary: m.agenda_rule_short_ordinary,
	unanimous_affected: m.agenda_rule_short_unanimous_affected,
	residents_meeting: m.agenda_rule_short_residents_meeting,
	advisory: m.agenda_rule_short_advisory
});

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
