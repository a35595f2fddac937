/**
 * 议题征集 — residents raise and co-sign concerns (with photos); the 业委会 or 居委 triages them.
 * Every state change starts with an access check and goes through database.write; the rules are
 * pure, in $lib/domain/concerns.
 */
export {
	raiseConcern,
	cosignConcern,
	triageConcern,
	escalateConcern,
	handBackConcern,
	listConcerns,
	triageQueue,
	concernDetail,
	concernPhoto,
	concernForm,
	householdsOf,
	type RaiseConcernInput,
	type TriageInput,
	type ConcernSummary,
	type ConcernDetail
} from './concerns.ts';
export { BODY_TOO_LARGE, bodyTooLarge, isBodyTooLarge, photoLimitProblem } from './photos.ts';
