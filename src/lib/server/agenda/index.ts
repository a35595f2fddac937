/**
 * 议题确定 — the 协商会 and its agenda: sessions, their items, convenors' sign-off, publication and
 * the phases. Every state change starts with an access check and goes through database.write; the
 * rules themselves are pure, in $lib/domain/agenda.
 */
export {
	createSession,
	addConvenor,
	setTimetable,
	inviteDepartment,
	recordDepartmentResponse,
	type CreateSessionInput
} from './sessions.ts';
export {
	addAgendaItem,
	editAgendaItem,
	moveAgendaItem,
	setItemLimits,
	assertVotableAgendaItem,
	requestVoteOnItem,
	type AgendaItemInput
} from './items.ts';
export { signOffAgenda, publishAgenda, advancePhase, remindSignOffs } from './publish.ts';
export { listSessions, sessionView, sessionForm, convenorChoices, type SessionView, type SessionSummary } from './read.ts';
