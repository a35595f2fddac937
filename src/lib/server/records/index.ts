/**
 * 公示与落实 — published outcome records and their follow-through, server side. Every state
 * change starts with an access check and goes through database.write; records are appended to
 * one hash chain and never edited (the pure rules are in $lib/domain/records).
 */
export {
	signCount,
	cosignCount,
	previewPreliminaryRecord,
	publishPreliminaryRecord,
	finaliseRecord,
	publishCorrection,
	listPublishable,
	publicObjections,
	type PublishRecordInput,
	type RecordDetails,
	type RecordPreview
} from './publish.ts';
export { fileObjection, answerObjection } from './objections.ts';
export {
	createTask,
	updateTask,
	rateOutcome,
	closeItem,
	getFollowThrough,
	getPhoto,
	dashboard,
	type FollowThrough,
	type TaskView,
	type DashboardPanel
} from './followup.ts';
export {
	searchRecords,
	listRecords,
	recordFilterOptions,
	getPublicRecord,
	recordsApi,
	recordApi,
	recordAtomFeed,
	verifyRecordChain,
	API_FORMAT,
	type RecordFilter,
	type RecordSummary,
	type PublicRecord,
	type VerificationReport
} from './read.ts';
export { mayPublish, requireRecordManager } from './common.ts';
export { downloadUnitExport, mayDownloadUnitExport, ownerReceipt, type UnitReceipt } from './units.ts';
