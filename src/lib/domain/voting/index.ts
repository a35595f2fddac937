/**
 * 计票 — the tally engine. Pure TypeScript, no I/O: shared by the server, the UI and the recount
 * command. Start with tallyVote (or tallyOwnersVote / tallyResidentsMeeting), createLiveTally
 * for live turnout, and buildExport / parseExport / verifyExport for the frozen record.
 */
export type * from './types.ts';
export { tallyVote, tallyOwnersVote } from './tally.ts';
export { tallyResidentsMeeting, canForceResidentsMeeting, findResidentsMeetingProblems } from './residents-meeting.ts';
export { createLiveTally, type CompoundTurnout, type LiveTally, type TurnoutView } from './live.ts';
export { TallyInputError, findOwnersVoteProblems } from './prepare.ts';
export {
	buildExport,
	parseExport,
	verifyExport,
	recountExport,
	inputFromExport,
	EXPORT_FORMAT,
	EXPORT_VERSION,
	type VoteExport,
	type ExportMeta,
	type ExportOptions,
	type ExportDetails,
	type RosterSnapshot,
	type ParseExportResult
} from './export.ts';
export { diffValues, type Disagreement } from './diff.ts';
export { formatResultReport } from './report.ts';
export { formatArea, formatPercent } from './format.ts';
export { meetsThreshold, TWO_THIRDS, ONE_HALF, THREE_QUARTERS, ALL, ONE_FIFTH } from './thresholds.ts';
export {
	findMixedCases,
	mixedChoiceCases,
	resolveSettlements,
	caseKey,
	allowedSettlementChoices,
	settlementSummary,
	SETTLEMENT_BASIS_LABELS,
	type MixedChoiceCase,
	type MixedChoiceUnit,
	type SettlementSummary
} from './mixed-choices.ts';
export { groupUnitsIntoPersons, personChoice, personConsents, isDeveloperStatus } from './persons.ts';
export {
	RULE_LABELS,
	OUTCOME_LABELS,
	LEGAL_BASIS,
	THRESHOLD_LABELS,
	BOTH_CHANNELS_RULE_LABELS,
	NON_VOTER_RULE_LABELS,
	MEETING_BASIS_LABELS,
	CHOICE_LABELS
} from './labels.ts';
