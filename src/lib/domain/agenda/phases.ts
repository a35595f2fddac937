/**
 * The phases of a deliberation session (协商会) and what each one allows. Phases are data: the
 * agenda services enforce this table (`requirePhase`) and the UI reads it to show or hide controls.
 * It lists only what a session's phase gates: a ballot, a draft set and a published record each run
 * their own lifecycle, enforced by their own services (domain/voting/ballot-rules.ts, the draft
 * set's phase, the record's stage), so that a session left in an earlier phase by its organisers
 * never stops a lawfully noticed vote. tests/unit/agenda/rules.test.ts fails on a capability no
 * service requires.
 *
 * 议题确定 → 协商 → 起草 → 表决 → 公示 → 落实, forward only, one step at a time.
 */

export const PHASES = ['agenda', 'deliberation', 'drafting', 'voting', 'publicity', 'implementation'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
	agenda: '议题确定',
	deliberation: '协商',
	drafting: '起草',
	voting: '表决',
	publicity: '公示',
	implementation: '落实'
};

export type Capability =
	/** add or change agenda items, convenors, invited departments, the timetable */
	| 'agenda.edit'
	/** a convenor signs the agenda off */
	| 'agenda.signoff'
	/** publish the agenda notice (议程公告) */
	| 'agenda.publish'
	/** arguments and replies (支持 / 反对 / 补充) */
	| 'debate.post'
	/** common-ground statements: add and answer */
	| 'statements'
	/** advisory polls: create and answer */
	| 'polls'
	/** meetings: schedule, attendance, meeting mode, minutes */
	| 'meetings';

export const CAPABILITY_LABELS: Record<Capability, string> = {
	'agenda.edit': '修改议程',
	'agenda.signoff': '召集方签字',
	'agenda.publish': '公布议程',
	'debate.post': '发表意见',
	statements: '共识表态',
	polls: '意见征询',
	meetings: '会议与纪要'
};

/** The table. A capability not listed for a phase is refused in that phase. */
export const PHASE_CAPABILITIES: Readonly<Record<Phase, readonly Capability[]>> = {
	agenda: ['agenda.edit', 'agenda.signoff', 'agenda.publish', 'polls', 'meetings'],
	deliberation: ['debate.post', 'statements', 'polls', 'meetings'],
	drafting: ['debate.post', 'statements', 'polls', 'meetings'],
	voting: ['meetings'],
	publicity: ['meetings'],
	implementation: ['meetings']
};

export function isPhase(value: unknown): value is Phase {
	return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export function phaseAllows(phase: Phase, capability: Capability): boolean {
	return PHASE_CAPABILITIES[phase].includes(capability);
}

/** Why a capability is closed in a phase, in words a resident understands. */
export function phaseRefusal(phase: Phase, capability: Capability): string {
	const open = PHASES.filter((p) => phaseAllows(p, capability)).map((p) => PHASE_LABELS[p]);
	return (
		`现在是“${PHASE_LABELS[phase]}”阶段，不能${CAPABILITY_LABELS[capability]}` + (open.length ? `（${open.join('、')}阶段可以）` : '')
	);
}

export function nextPhase(phase: Phase): Phase | null {
	const i = PHASES.indexOf(phase);
	return i < PHASES.length - 1 ? PHASES[i + 1] : null;
}

/**
 * Whether a session may move from `from` to `to`: forward by exactly one step, and out of 议题确定
 * only once the agenda is published (no debate on an agenda nobody has seen).
 */
export function checkAdvance(from: Phase, to: Phase, agendaPublished: boolean): string | null {
	if (nextPhase(from) !== to)
		return `只能从“${PHASE_LABELS[from]}”进入下一阶段${nextPhase(from) ? `“${PHASE_LABELS[nextPhase(from)!]}”` : ''}`;
	if (from === 'agenda' && !agendaPublished) return '议程公布后才能进入协商阶段';
	return null;
}
