/**
 * 议题分拣: where a concern is handled and what may happen to it. 小事不出居委、大事不出片区:
 * a concern about one compound stays with its 居委 / 业委会; one touching several compounds or
 * 居委 goes up to the 片区 (or higher, if the compounds lie in different 片区).
 */
import { m } from '../../paraglide/messages.js';
import { liveLabels, type LabelMessage } from '../agenda/labels.ts';

export type ConcernStatus = 'collecting' | 'queued' | 'escalated' | 'merged' | 'answered' | 'rejected' | 'accepted';

/** In the reader's language (see ../agenda/labels.ts). */
export const STATUS_LABELS: Record<ConcernStatus, string> = liveLabels({
	collecting: m.concerns_status_collecting,
	queued: m.concerns_status_queued,
	escalated: m.concerns_status_escalated,
	merged: m.concerns_status_merged,
	answered: m.concerns_status_answered,
	rejected: m.concerns_status_rejected,
	accepted: m.concerns_status_accepted
});

/** hand_back: the 片区 returns an escalated one-compound concern to the 居委 / 业委会 that sent it. */
export type TriageOutcome = 'merge' | 'answer' | 'reject' | 'accept' | 'escalate' | 'hand_back';

export const OUTCOME_MESSAGES: Record<TriageOutcome, LabelMessage> = {
	merge: m.concerns_outcome_merge,
	answer: m.concerns_outcome_answer,
	reject: m.concerns_outcome_reject,
	accept: m.concerns_outcome_accept,
	escalate: m.concerns_outcome_escalate,
	hand_back: m.concerns_outcome_hand_back
};
/** In the reader's language; a stored notification calls OUTCOME_MESSAGES with `{ locale: 'zh-CN' }`. */
export const OUTCOME_LABELS: Record<TriageOutcome, string> = liveLabels(OUTCOME_MESSAGES);

export type NodeKind = 'street' | 'cluster' | 'committee' | 'compound' | 'building';

/** A compound's ancestry, nearest first: [compound, 居委, 片区, 街道]. */
export type Chain = readonly { id: string; kind: NodeKind }[];

export interface HandlingLevel {
	/** local: the compound's own 居委 / 业委会; cluster: the 片区 or higher. */
	level: 'local' | 'cluster';
	/** The node that handles it: the compound for local, else the common 片区 / 街道. */
	nodeId: string;
	nodeKind: NodeKind;
}

/**
 * Where a concern belongs. One compound: handled locally. Several: the lowest common ancestor
 * that is a 片区 or above, so two compounds under one 居委 still go to that 居委's 片区.
 * Returns null when the compounds share no 片区 or 街道 (nobody can take it).
 */
export function handlingLevel(chains: readonly Chain[]): HandlingLevel | null {
	if (chains.length === 0) return null;
	const distinct = new Set(chains.map((c) => c[0]?.id));
	if (distinct.size === 1) return { level: 'local', nodeId: chains[0][0].id, nodeKind: chains[0][0].kind };
	const [first, ...rest] = chains;
	for (const node of first) {
		if (node.kind !== 'cluster' && node.kind !== 'street') continue;
		if (rest.every((chain) => chain.some((n) => n.id === node.id))) return { level: 'cluster', nodeId: node.id, nodeKind: node.kind };
	}
	return null;
}

/** The statuses a triage step may start from, per handling level. */
const OPEN_AT: Record<'local' | 'cluster', ConcernStatus> = { local: 'queued', cluster: 'escalated' };

export interface TriageCheck {
	status: ConcernStatus;
	outcome: TriageOutcome;
	reason: string;
	/** Where the concern belongs by its compounds. */
	belongs: 'local' | 'cluster';
	/** Whether it has already been escalated (is now at the 片区). */
	atCluster: boolean;
	/** For merge: the duplicate it joins, and whether that one is still open. */
	mergeTarget?: { id: string; status: ConcernStatus } | null;
	concernId?: string;
}

export const MAX_REASON_CHARS = 500;

/**
 * Whether a triage step is allowed. Every outcome carries a reason the submitter will read.
 * Returns the refusal in the reader's language, or null.
 */
export function checkTriage(c: TriageCheck): string | null {
	const reason = c.reason.trim();
	if (reason.length === 0) return m.concerns_triage_reason_missing();
	if ([...reason].length > MAX_REASON_CHARS) return m.concerns_triage_reason_long({ max: MAX_REASON_CHARS });
	const here = c.atCluster ? 'cluster' : 'local';
	if (c.status === 'collecting') return m.concerns_triage_collecting();
	if (c.status !== OPEN_AT[here]) return m.concerns_triage_done();
	if (c.outcome === 'escalate') {
		if (c.atCluster) return m.concerns_triage_at_cluster();
		return null;
	}
	if (c.outcome === 'hand_back') {
		if (!c.atCluster) return m.concerns_triage_hand_back_escalated();
		if (c.belongs === 'cluster') return m.concerns_triage_hand_back_cross();
		return null;
	}
	// 小事不出居委、大事不出片区: a cross-compound concern cannot be settled locally.
	if (c.belongs === 'cluster' && !c.atCluster && (c.outcome === 'accept' || c.outcome === 'answer')) {
		return m.concerns_triage_must_escalate();
	}
	if (c.outcome === 'merge') {
		if (!c.mergeTarget) return m.concerns_triage_merge_pick();
		if (c.mergeTarget.id === c.concernId) return m.concerns_triage_merge_self();
		if (c.mergeTarget.status === 'merged' || c.mergeTarget.status === 'rejected') return m.concerns_triage_merge_open();
	}
	return null;
}

export function statusAfter(outcome: TriageOutcome): ConcernStatus {
	switch (outcome) {
		case 'merge':
			return 'merged';
		case 'answer':
			return 'answered';
		case 'reject':
			return 'rejected';
		case 'accept':
			return 'accepted';
		case 'escalate':
			return 'escalated';
		case 'hand_back':
			return 'queued';
	}
}

/** The order a triage form offers the outcomes in. */
const OUTCOME_ORDER: TriageOutcome[] = ['accept', 'answer', 'merge', 'reject', 'escalate', 'hand_back'];

/**
 * What a triage form offers: only the outcomes checkTriage would allow here (a merge still needs
 * its target, a reason is written on the form). Empty when nothing may be done.
 */
export function allowedOutcomes(c: Pick<TriageCheck, 'status' | 'belongs' | 'atCluster'>): TriageOutcome[] {
	return OUTCOME_ORDER.filter(
		(outcome) => checkTriage({ ...c, outcome, reason: '理由', mergeTarget: { id: '', status: 'queued' } }) === null
	);
}
