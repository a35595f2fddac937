/**
 * 议题分拣: where a concern is handled and what may happen to it. 小事不出居委、大事不出片区:
 * a concern about one compound stays with its 居委 / 业委会; one touching several compounds or
 * 居委 goes up to the 片区 (or higher, if the compounds lie in different 片区).
 */

export type ConcernStatus = 'collecting' | 'queued' | 'escalated' | 'merged' | 'answered' | 'rejected' | 'accepted';

export const STATUS_LABELS: Record<ConcernStatus, string> = {
	collecting: '征集附议中',
	queued: '待处理',
	escalated: '已上报片区',
	merged: '已合并',
	answered: '已答复',
	rejected: '未采纳',
	accepted: '已列入议程'
};

/** hand_back: the 片区 returns an escalated one-compound concern to the 居委 / 业委会 that sent it. */
export type TriageOutcome = 'merge' | 'answer' | 'reject' | 'accept' | 'escalate' | 'hand_back';

export const OUTCOME_LABELS: Record<TriageOutcome, string> = {
	merge: '与重复议题合并',
	answer: '直接答复',
	reject: '不予采纳',
	accept: '列入议程',
	escalate: '上报片区',
	hand_back: '退回居委处理'
};

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
 * Returns the refusal in Chinese, or null.
 */
export function checkTriage(c: TriageCheck): string | null {
	const reason = c.reason.trim();
	if (reason.length === 0) return '请写明处理理由，提出人会看到';
	if ([...reason].length > MAX_REASON_CHARS) return `理由不能超过 ${MAX_REASON_CHARS} 字`;
	const here = c.atCluster ? 'cluster' : 'local';
	if (c.status === 'collecting') return '这个议题还在征集附议，未达到门槛，不能处理';
	if (c.status !== OPEN_AT[here]) return '这个议题已经处理过了';
	if (c.outcome === 'escalate') {
		if (c.atCluster) return '这个议题已经在片区，不能再上报';
		return null;
	}
	if (c.outcome === 'hand_back') {
		if (!c.atCluster) return '只有已上报片区的议题可以退回';
		if (c.belongs === 'cluster') return '这个议题涉及多个小区或居委，须由片区处理，不能退回居委';
		return null;
	}
	// 小事不出居委、大事不出片区: a cross-compound concern cannot be settled locally.
	if (c.belongs === 'cluster' && !c.atCluster && (c.outcome === 'accept' || c.outcome === 'answer')) {
		return '这个议题涉及多个小区或居委，须上报片区处理';
	}
	if (c.outcome === 'merge') {
		if (!c.mergeTarget) return '请选择要合并到的议题';
		if (c.mergeTarget.id === c.concernId) return '不能与自己合并';
		if (c.mergeTarget.status === 'merged' || c.mergeTarget.status === 'rejected') return '只能合并到仍在处理中的议题';
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
