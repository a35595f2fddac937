/**
 * 议题征集 → 议题确定 → 协商: services. Every state change starts with an access check and goes
 * through database.write; the rules themselves are pure, in $lib/domain/agenda.
 */
export { raiseConcern, cosignConcern, triageConcern, escalateConcern, handBackConcern, listConcerns, triageQueue, concernDetail, concernPhoto, concernForm, type RaiseConcernInput, type TriageInput, type ConcernSummary, type ConcernDetail } from './concerns.ts';
export {
	createSession,
	addConvenor,
	setTimetable,
	inviteDepartment,
	recordDepartmentResponse,
	addAgendaItem,
	editAgendaItem,
	moveAgendaItem,
	setItemLimits,
	signOffAgenda,
	publishAgenda,
	advancePhase,
	assertVotableAgendaItem,
	requestVoteOnItem,
	remindSignOffs,
	listSessions,
	sessionView,
	sessionForm,
	convenorChoices,
	type CreateSessionInput,
	type AgendaItemInput,
	type SessionView,
	type SessionSummary
} from './sessions.ts';
export { postArgument, replyToArgument, hidePost, restorePost, itemDebate, moderationLog, type DebateView, type PostView, type ModerationEntry } from './debate.ts';
export { addStatement, voteOnStatement, commonGround, remindStatements, type CommonGroundView, type StatementView } from './ground.ts';
export { createAdvisoryPoll, answerAdvisoryPoll, advisoryResult, sessionPolls, remindPoll, closeAdvisoryPoll, type PollView } from './polls.ts';
export { scheduleMeeting, recordAttendance, checkIn, setCurrentItem, requestToSpeak, callNextSpeaker, recordShowOfHands, meetingState, sessionMeetings, type MeetingState } from './meetings.ts';
export { startMinutesDraft, approveDraftedMinutes, saveMinutes, approveMinutes, minutesOf, MAX_MINUTES_CHARS, type MinutesView } from './minutes.ts';
export { inbox, digest, markRead, unreadCount, notify, type InboxEntry } from './notifications.ts';
export { pendingActions } from './pending.ts';
export { formFields } from './forms.ts';
export { personalHome, publicHome, type PersonalHome } from './home.ts';
