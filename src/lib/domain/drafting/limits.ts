/**
 * Limits and the phase table of drafting, shared by the collaboration server, the services and
 * the editor UI (which reads them to show or hide controls and to explain a closed connection).
 */

import { m } from '../../paraglide/messages.js';

/** One Yjs update from a client. A paste of a long document fits; a runaway client does not. */
export const MAX_UPDATE_BYTES = 256 * 1024;
/** One alternative's whole document (encoded state). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/**
 * The WebSocket frame cap (ws maxPayload): above the update limit so an oversized update still
 * reaches our check and gets a clear close code, but low enough to bound memory per frame.
 */
export const MAX_FRAME_BYTES = 2 * MAX_UPDATE_BYTES + 64 * 1024;
/**
 * Documents one connection may open. The editor opens one; Hocuspocus keeps a queue per document
 * name until that document is signed in, so without a bound one connection could grow them forever.
 */
export const MAX_DOCUMENTS_PER_CONNECTION = 8;
/**
 * Bytes one connection may send for a document before it is signed in to it (Hocuspocus queues them
 * until then). An editor sends its sign-in, a state vector and its awareness: a few hundred bytes.
 */
export const MAX_BYTES_BEFORE_SIGN_IN = 128 * 1024;

export const MAX_COMMENT_CHARS = 2000;
export const MAX_QUOTE_CHARS = 500;
export const MAX_VERSION_NAME_CHARS = 40;
export const MAX_TITLE_CHARS = 80;
export const MAX_ALTERNATIVES = 6;
/** Token-level diffs beyond this many DP cells fall back to whole-block replace. */
export const MAX_DIFF_CELLS = 4_000_000;

export type DraftPhase = 'drafting' | 'frozen';

/** Phases are data: what each phase allows. The server enforces it; the UI reads it. */
export const DRAFT_PHASE_RULES: Record<
	DraftPhase,
	{ edit: boolean; comment: boolean; saveVersion: boolean; restore: boolean; freeze: boolean }
> = {
	drafting: { edit: true, comment: true, saveVersion: true, restore: true, freeze: true },
	frozen: { edit: false, comment: false, saveVersion: false, restore: false, freeze: false }
};

export const DRAFT_PHASE_LABELS: Record<DraftPhase, string> = {
	drafting: '起草中',
	frozen: '已定稿'
};

/** The phase as the reader's page shows it (DRAFT_PHASE_LABELS holds the Chinese words). */
export function draftPhaseLabel(phase: DraftPhase): string {
	return phase === 'frozen' ? m.draft_phase_frozen() : m.draft_phase_drafting();
}

/**
 * WebSocket close codes of /collab. The reason is a stable ASCII token (close reasons are capped
 * at 123 bytes); `message` is what the editor shows.
 */
export const COLLAB_CLOSE = {
	// Standard codes, sent by the WebSocket layer itself for frames that break RFC 6455.
	protocolError: { code: 1002, reason: 'protocol-error', message: '连接数据出错，连接已断开' },
	invalidText: { code: 1007, reason: 'invalid-text', message: '收到无法识别的文字，连接已断开' },
	frameTooLarge: { code: 1009, reason: 'frame-too-large', message: '单次发送的内容过大，连接已断开' },
	malformed: { code: 4400, reason: 'malformed', message: '收到无法识别的数据，连接已断开' },
	unauthorized: { code: 4401, reason: 'unauthorized', message: '请先登录后再编辑' },
	forbidden: { code: 4403, reason: 'forbidden', message: '您没有编辑这份方案的权限' },
	notFound: { code: 4404, reason: 'not-found', message: '没有找到这份方案' },
	updateTooLarge: { code: 4413, reason: 'update-too-large', message: '单次修改内容过大，请分段粘贴' },
	unauthenticatedFlood: { code: 4431, reason: 'too-much-before-sign-in', message: '登录前发送的数据过多，连接已断开' },
	tooManyDocuments: { code: 4429, reason: 'too-many-documents', message: '同时打开的方案太多，连接已断开' },
	storeFailed: { code: 4500, reason: 'store-failed', message: '保存失败，正在重试' },
	loadFailed: { code: 4503, reason: 'load-failed', message: '方案暂时无法打开，请稍后再试' },
	documentTooLarge: { code: 4507, reason: 'document-too-large', message: '方案内容已达上限，无法继续添加' }
} as const;

export type CollabCloseKind = keyof typeof COLLAB_CLOSE;

/** What the editor shows for each close, in the reader's language (`message` above is the Chinese). */
const CLOSE_MESSAGES: Record<CollabCloseKind, () => string> = {
	protocolError: m.draft_close_protocol,
	invalidText: m.draft_close_invalid_text,
	frameTooLarge: m.draft_close_frame,
	malformed: m.draft_close_malformed,
	unauthorized: m.draft_close_unauthorized,
	forbidden: m.draft_close_forbidden,
	notFound: m.draft_close_not_found,
	updateTooLarge: m.draft_close_update_large,
	unauthenticatedFlood: m.draft_close_flood,
	tooManyDocuments: m.draft_close_documents,
	storeFailed: m.draft_close_store,
	loadFailed: m.draft_close_load,
	documentTooLarge: m.draft_close_document_large
};

const closeKinds = Object.keys(COLLAB_CLOSE) as CollabCloseKind[];

/** The editor's message for a close code, or null for an ordinary disconnect. */
export function collabCloseMessage(code: number): string | null {
	const kind = closeKinds.find((k) => COLLAB_CLOSE[k].code === code);
	return kind ? CLOSE_MESSAGES[kind]() : null;
}

/** The editor's message for a refused sign-in's reason token (an unknown one reads as 请先登录). */
export function collabReasonMessage(reason: string): string {
	return CLOSE_MESSAGES[closeKinds.find((k) => COLLAB_CLOSE[k].reason === reason) ?? 'unauthorized']();
}
