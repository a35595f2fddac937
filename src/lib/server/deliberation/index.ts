/**
 * 协商 — deliberation on a published agenda: the debate of each item, common ground, advisory
 * polls, meetings and their minutes. Every state change starts with an access check and goes
 * through database.write; the rules are pure, in $lib/domain/deliberation.
 */
export {
	postArgument,
	replyToArgument,
	hidePost,
	restorePost,
	itemDebate,
	moderationLog,
	type DebateView,
	type PostView,
	type ModerationEntry
} from './debate.ts';
export {
	addStatement,
	voteOnStatement,
	commonGround,
	remindStatements,
	type CommonGroundView,
	type StatementView
} from './common-ground.ts';
export {
	createAdvisoryPoll,
	answerAdvisoryPoll,
	advisoryResult,
	sessionPolls,
	remindPoll,
	closeAdvisoryPoll,
	type PollView
} from './polls.ts';
export {
	scheduleMeeting,
	recordAttendance,
	checkIn,
	setCurrentItem,
	requestToSpeak,
	callNextSpeaker,
	recordShowOfHands,
	meetingState,
	sessionMeetings,
	type MeetingState
} from './meetings.ts';
export {
	startMinutesDraft,
	approveDraftedMinutes,
	saveMinutes,
	approveMinutes,
	minutesOf,
	MAX_MINUTES_CHARS,
	type MinutesView
} from './minutes.ts';
