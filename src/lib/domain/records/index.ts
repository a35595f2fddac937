/**
 * 公示与落实 — pure rules of published outcome records: canonical JSON and hashes, the hash
 * chain, the dispute window, what may be shown about people, the follow-through closure rule
 * and the dashboard figures. No I/O: shared by the server, the pages and the verify CLI.
 */
export { canonicalJson, sha256Hex, hashCanonical, CanonicalJsonError, type JsonValue } from './canonical.ts';
export * from './document.ts';
export { verifyChain, type ChainEntry, type ChainProblem, type ChainReport } from './chain.ts';
export * from './window.ts';
export * from './masking.ts';
export * from './followthrough.ts';
export * from './outcome.ts';
export * from './stats.ts';
export {
	publicVoteExport,
	exportSha256,
	countedChoices,
	maskedUnitVotes,
	checkRecordAgainstExport,
	type ExportCheck
} from './vote-export.ts';
export * from './inclusion.ts';
export {
	buildingTurnout,
	BUILDING_TURNOUT_RULE,
	MIN_GROUP_UNITS,
	OTHER_BUILDINGS,
	type BuildingTurnout,
	type BuildingGroup
} from './turnout.ts';
export { recountPeriods, formatPeriodChecks, calendarOfUse, type PeriodCheck } from './period-recount.ts';
