/** 方案起草: collaborative drafting of alternatives. Services; each checks access on its first lines. */
export {
	createDraft,
	prepareDraft,
	writeDraftSet,
	listAlternatives,
	getAlternative,
	type CreateDraftInput,
	type PreparedDraft,
	type DraftSetView,
	type AlternativeSummary,
	type AlternativeView
} from './sets.ts';
export { saveVersion, listVersions, getVersionContent, diffVersions, restoreVersion, type VersionSummary } from './versions.ts';
export { freezeDrafting, getFrozenText, type FrozenText, type FrozenSummary } from './freeze.ts';
export {
	addComment,
	replyToComment,
	resolveComment,
	listComments,
	type AddCommentInput,
	type CommentThread,
	type CommentView,
	type CommentAnchor
} from './comments.ts';
export { draftPermissions, type DraftPermissions } from './access.ts';
export { loadStoredDocument } from './store.ts';
export { listDraftSets, hasReadableDraftSet, canFreezeDrafting, type DraftSetListItem } from './list.ts';
