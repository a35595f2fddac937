/**
 * 业主表决 — owners' weighted voting, server side. Every state change starts with an access
 * check and goes through database.write; the tally itself is the pure engine in
 * $lib/domain/voting, fed from the frozen electorate and the append-only ballot history.
 */
export {
	createBallot,
	publishNotice,
	openBallot,
	closeBallot,
	DEFAULT_NOTICE_DAYS,
	MIN_WINDOW_DAYS,
	MAX_WINDOW_DAYS,
	type CreateBallotInput
} from './lifecycle.ts';
export {
	previewElectronicBallot,
	castElectronicBallot,
	checkStepWords,
	type CheckStepWords,
	type ElectronicBallotInput,
	type BallotReview,
	type CastReceipt
} from './electronic.ts';
export {
	enterPaperBallot,
	withdrawPaperEntry,
	myRecentPaperEntries,
	printablePaperBallots,
	type MyPaperEntry,
	type PaperBallotSheet,
	listPaperMismatches,
	progressByBuilding,
	type PaperBallotInput,
	type PaperEntryStatus,
	type PaperMismatch,
	type BuildingProgress
} from './paper.ts';
export { recordProxy, revokeProxy, castByProxy, listProxies, type RecordProxyInput } from './proxies.ts';
export { recordProxyByLogin, type RecordProxyByLoginInput } from './proxy-by-login.ts';
export {
	getTurnout,
	getResult,
	exportBallot,
	listPublishedBallotReceipts,
	RECEIPT_STATUS_LABELS,
	turnoutCard,
	type Turnout,
	type TurnoutCard,
	type TurnoutCompound,
	type PublishedResult,
	type PublishedReceipt,
	type ReceiptStatus
} from './results.ts';
export { loadBallot, phaseOf, PHASE_LABELS, CHOICE_LABELS, type BallotPhase, type BallotRecord } from './common.ts';
export {
	ballotsForOwner,
	ballotsForStaff,
	ballotView,
	findElectorateUnit,
	electorateBuildings,
	proxiesForUser,
	votableAgendaItems,
	type VotableItem,
	type BallotSummary,
	type BallotView
} from './queries.ts';
export { voterStanding, frozenOutMessage, type VoterStanding } from './voters.ts';
export {
	proposeOwnerChange,
	confirmOwnerChange,
	withdrawOwnerChange,
	ownerChangesOfBallot,
	ownerChangeSummary,
	unreadOwnerChangeNotice,
	OWNER_CHANGE_NOTICE_KIND,
	type OwnerChangeRow,
	type OwnerChangeCandidate
} from './owner-changes.ts';
export { myVoteInBallot, ballotsDoneBy, type MyVote, type MySubmission, type MyVoteLine } from './my-vote.ts';
export {
	mixedChoiceCasesOf,
	proposeSettlement,
	confirmSettlement,
	withdrawSettlement,
	SETTLEMENT_NOTE_MAX,
	type MixedCaseView,
	type MixedCasesPage,
	type SettlementView
} from './settlements.ts';
