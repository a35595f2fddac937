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
import { m } from '../../paraglide/messages.js';
import { liveLabels, type LabelMessage } from './labels.ts';

export const PHASES = ['agenda', 'deliberation', 'drafting', 'voting', 'publicity', 'implementation'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_MESSAGES: Record<Phase, LabelMessage> = {
	agenda: m.agenda_phase_agenda,
	deliberation: m.agenda_phase_deliberation,
	drafting: m.agenda_phase_drafting,
	voting: m.agenda_phase_voting,
	publicity: m.agenda_phase_publicity,
	implementation: m.agenda_phase_implementation
};
/** In the reader's language; stored text and the printed notice call PHASE_MESSAGES with `{ locale: 'zh-CN' }`. */
export const PHASE_LABELS: Record<Phase, string> = liveLabels(PHASE_MESSAGES);

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

export const CAPABILITY_LABELS: Record<Capability, string> = liveLabels({
	'agenda.edit': m.agenda_cap_agenda_edit,
	'agenda.signoff': m.agenda_cap_agenda_signoff,
	'agenda.publish': m.agenda_cap_agenda_publish,
	'debate.post': m.agenda_cap_debate_post,
	statements: m.agenda_cap_statements,
	polls: m.agenda_cap_polls,
	meetings: m.agenda_cap_meetings
});

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
		m.agenda_phase_refusal({ phase: PHASE_LABELS[phase], capability: CAPABILITY_LABELS[capability] }) +
		(open.length ? m.agenda_phase_refusal_open({ phases: open.join(m.agenda_list_separator()) }) : '')
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
	const next = nextPhase(from);
	if (next !== to)
		return next
			? m.agenda_advance_one_step({ from: PHASE_LABELS[from], next: PHASE_LABELS[next] })
			: m.agenda_advance_last({ from: PHASE_LABELS[from] });
	if (from === 'agenda' && !agendaPublished) return m.agenda_advance_unpublished();
	return null;
}
