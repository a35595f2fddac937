/**
 * The browser side of co-editing one alternative: a Y.Doc, its Hocuspocus provider and the Tiptap
 * editor bound to it. Editor.svelte loads this module with a dynamic import inside onMount, so
 * Tiptap, ProseMirror and Yjs are fetched only on drafting pages and never run on the server.
 *
 * Authentication: no token is passed. The provider then sends an empty token and the server's
 * auth extension (server/collab/auth.ts) falls back to the yishi_session cookie, which the browser
 * attaches to the same-origin WebSocket upgrade. The cookie stays HttpOnly; script never sees it.
 */
import { Editor, Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
// A peer dependency of @tiptap/extension-collaboration: the very module instance its binding uses.
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import type { DraftHeader } from '$lib/domain/drafting/canonical';
import {
	CONTENT_FIELD,
	HEADER_FIELD,
	decodeRelativePosition,
	documentName,
	encodeRelativePosition,
	readHeader
} from '$lib/domain/drafting/document';
import { draftExtensions } from '$lib/domain/drafting/extensions';
import { COLLAB_CLOSE, collabCloseMessage, collabReasonMessage } from '$lib/domain/drafting/limits';
import { m } from '$lib/paraglide/messages';
import { contentLang } from '$lib/i18n/content';

/** What the status line shows; `kind` picks its colour. */
export interface ConnectionStatus {
	kind: 'saved' | 'syncing' | 'offline' | 'readonly' | 'frozen' | 'refused';
	text: string;
}

export interface CommentMark {
	id: string;
	start: string;
	end: string;
}

export interface SessionOptions {
	element: HTMLElement;
	alternativeId: string;
	user: { name: string; color: string };
	/** The role and phase allow editing; the server may still make the connection read-only. */
	editable: boolean;
	onStatus(status: ConnectionStatus, editable: boolean): void;
	onHeader(header: DraftHeader): void;
	/** After every transaction: the toolbar re-reads active marks and the selection. */
	onChange(editor: Editor): void;
	onCommentClick(id: string): void;
	onFrozen(): void;
	/** Someone added, answered or resolved a comment: re-read the comments. */
	onCommentsChanged(): void;
}

export interface DraftSession {
	editor: Editor;
	setHeaderField(key: 'title' | 'estimatedCost' | 'whoPays', value: string): void;
	setCompoundField(key: 'gains' | 'givesUp', compoundId: string, value: string): void;
	/** Anchors for the current selection as the comment service expects them, or null if no text is selected. */
	commentAnchor(): { start: string; end: string; quote: string } | null;
	setCommentMarks(marks: CommentMark[]): void;
	/**
	 * Resolves once the server has acknowledged every edit made so far (the provider reports no
	 * unsynced changes on a synced connection): an acknowledged edit is committed (collab/persistence.ts),
	 * so a request sent after this sees everything typed before it was called.
	 */
	whenSaved(): Promise<void>;
	destroy(): void;
}

/** Close codes that retrying cannot fix (attach.ts): stop reconnecting and say why. */
const FINAL_CODES: number[] = [
	COLLAB_CLOSE.unauthorized.code,
	COLLAB_CLOSE.forbidden.code,
	COLLAB_CLOSE.notFound.code,
	COLLAB_CLOSE.updateTooLarge.code,
	COLLAB_CLOSE.documentTooLarge.code
];

const marksKey = new PluginKey<DecorationSet>('yishiCommentMarks');

function commentMarksExtension(getMarks: () => CommentMark[], onClick: (id: string) => void) {
	return Extension.create({
		name: 'yishiCommentMarks',
		addProseMirrorPlugins() {
			const build = (state: EditorState): DecorationSet => {
				const ystate = ySyncPluginKey.getState(state);
				if (!ystate?.binding) return DecorationSet.empty;
				const decorations: Decoration[] = [];
				for (const mark of getMarks()) {
					try {
						const from = relativePositionToAbsolutePosition(
							ystate.doc,
							ystate.type,
							decodeRelativePosition(mark.start),
							ystate.binding.mapping
						);
						const to = relativePositionToAbsolutePosition(
							ystate.doc,
							ystate.type,
							decodeRelativePosition(mark.end),
							ystate.binding.mapping
						);
						if (from !== null && to !== null && from < to && to <= state.doc.content.size)
							decorations.push(Decoration.inline(from, to, { class: 'comment-mark', 'data-comment': mark.id }));
					} catch {
						// An anchor that no longer resolves is an orphaned comment: listed, not highlighted.
					}
				}
				return DecorationSet.create(state.doc, decorations);
			};
			return [
				new Plugin<DecorationSet>({
					key: marksKey,
					state: {
						init: (_, state) => build(state),
						apply: (tr, old, _oldState, newState) => (tr.docChanged || tr.getMeta(marksKey) ? build(newState) : old)
					},
					props: {
						decorations: (state) => marksKey.getState(state),
						handleClick: (_view, _pos, event) => {
							const target = (event.target as HTMLElement | null)?.closest?.('.comment-mark');
							const id = target?.getAttribute('data-comment');
							if (id) onClick(id);
							return false;
						}
					}
				})
			];
		}
	});
}

export function openDraftSession(options: SessionOptions): DraftSession {
	const doc = new Y.Doc();
	const header = doc.getMap<unknown>(HEADER_FIELD);
	let marks: CommentMark[] = [];

	let connected = false;
	let disconnected = false;
	/** Synced on the current connection; `everSynced` keeps typing possible while offline. */
	let synced = false;
	let everSynced = false;
	let unsynced = 0;
	let online = typeof navigator === 'undefined' ? true : navigator.onLine;
	let readOnlyScope = false;
	let frozen = false;
	let refusal: string | null = null;

	const provider = new HocuspocusProvider({
		url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`,
		name: documentName(options.alternativeId),
		document: doc
	});

	const editor = new Editor({
		element: options.element,
		editable: false,
		extensions: [
			...draftExtensions,
			Collaboration.configure({ document: doc, field: CONTENT_FIELD }),
			CollaborationCaret.configure({ provider, user: options.user }),
			commentMarksExtension(
				() => marks,
				(id) => options.onCommentClick(id)
			)
		],
		editorProps: {
			// What residents wrote is marked with its language for screen readers (from its opening words).
			attributes: (state) => {
				const lang = contentLang(state.doc.textBetween(0, Math.min(state.doc.content.size, 400), ' '));
				const attributes: Record<string, string> = { class: 'draft-body', 'aria-label': m.draft_body_label(), spellcheck: 'false' };
				if (lang) attributes.lang = lang;
				return attributes;
			}
		}
	});

	let savedWaiters: (() => void)[] = [];
	const report = () => {
		const canType = options.editable && !readOnlyScope && !frozen && refusal === null && everSynced;
		if (editor.isEditable !== canType) editor.setEditable(canType);
		let status: ConnectionStatus;
		if (refusal) status = { kind: 'refused', text: refusal };
		else if (frozen) status = { kind: 'frozen', text: m.draft_status_frozen() };
		else if (!online || disconnected) status = { kind: 'offline', text: m.draft_status_offline() };
		else if (!connected || !synced) status = { kind: 'syncing', text: m.draft_status_syncing() };
		else if (readOnlyScope || !options.editable) status = { kind: 'readonly', text: m.draft_status_readonly() };
		else if (unsynced > 0) status = { kind: 'syncing', text: m.draft_status_syncing() };
		else status = { kind: 'saved', text: m.draft_status_saved() };
		options.onStatus(status, canType);
		// A frozen or refused document takes no more edits: the waiting request goes ahead and the server answers it.
		if (status.kind === 'saved' || status.kind === 'readonly' || status.kind === 'frozen' || status.kind === 'refused') {
			const waiting = savedWaiters;
			savedWaiters = [];
			for (const resolve of waiting) resolve();
		}
	};
	const isSettled = () => refusal !== null || frozen || (connected && synced && unsynced === 0 && provider.unsyncedChanges === 0);

	provider.on('status', ({ status }: { status: string }) => {
		connected = status === 'connected';
		if (status === 'connected') disconnected = false;
		if (status === 'disconnected') {
			disconnected = true;
			synced = false;
		}
		report();
	});
	provider.on('synced', () => {
		synced = true;
		everSynced = true;
		report();
	});
	provider.on('unsyncedChanges', ({ number }: { number: number }) => {
		unsynced = number;
		report();
	});
	provider.on('authenticated', ({ scope }: { scope: string }) => {
		readOnlyScope = scope === 'readonly';
		report();
	});
	const refuse = (message: string) => {
		refusal = message;
		provider.configuration.websocketProvider.disconnect();
		report();
	};
	provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
		refuse(collabReasonMessage(reason));
	});
	provider.on('close', ({ event }: { event: CloseEvent }) => {
		const message = collabCloseMessage(event.code);
		if (message && FINAL_CODES.includes(event.code)) refuse(message);
	});
	provider.on('stateless', ({ payload }: { payload: string }) => {
		try {
			const event = (JSON.parse(payload) as { event?: string }).event;
			if (event === 'draft.frozen') {
				frozen = true;
				report();
				options.onFrozen();
			} else if (event === 'draft.comments') {
				options.onCommentsChanged();
			}
		} catch {
			// Not ours: ignore.
		}
	});
	/**
	 * WeChat suspends a page in the background and its socket dies; the provider's retries back off
	 * to 30 s. Coming back (visible again, or online again) reconnects at once, unless refused.
	 */
	const reconnectNow = () => {
		if (refusal !== null || connected || document.visibilityState === 'hidden') return;
		void provider.configuration.websocketProvider.connect();
	};
	const onOnline = () => {
		online = navigator.onLine;
		report();
		if (online) reconnectNow();
	};
	window.addEventListener('online', onOnline);
	window.addEventListener('offline', onOnline);
	document.addEventListener('visibilitychange', reconnectNow);
	window.addEventListener('pageshow', reconnectNow);

	header.observeDeep(() => options.onHeader(readHeader(doc)));
	editor.on('transaction', () => options.onChange(editor));
	report();

	/** The first and last text positions inside [from, to]: anchors must sit in text (comments.ts resolveAnchor). */
	const textBounds = (from: number, to: number): { from: number; to: number } | null => {
		let first: number | null = null;
		let last: number | null = null;
		editor.state.doc.nodesBetween(from, to, (node, pos) => {
			if (!node.isText) return true;
			const start = Math.max(from, pos);
			const end = Math.min(to, pos + node.nodeSize);
			if (start < end) {
				first ??= start;
				last = end;
			}
			return false;
		});
		return first !== null && last !== null ? { from: first, to: last } : null;
	};

	return {
		editor,
		setHeaderField(key, value) {
			if (header.get(key) !== value) header.set(key, value);
		},
		setCompoundField(key, compoundId, value) {
			// The nested maps are created by the server only (document.ts); a missing one is not ours to make.
			const nested = header.get(key);
			if (nested instanceof Y.Map && nested.get(compoundId) !== value) nested.set(compoundId, value);
		},
		commentAnchor() {
			const { from, to, empty } = editor.state.selection;
			if (empty) return null;
			const bounds = textBounds(from, to);
			const ystate = ySyncPluginKey.getState(editor.state);
			if (!bounds || !ystate?.binding) return null;
			const relative = (pos: number, assoc: number): Y.RelativePosition => {
				const rel = absolutePositionToRelativePosition(pos, ystate.type, ystate.binding.mapping) as Y.RelativePosition;
				const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
				// Same stickiness as the server's own anchors: text typed at either edge stays outside.
				return abs && abs.type instanceof Y.XmlText ? Y.createRelativePositionFromTypeIndex(abs.type, abs.index, assoc) : rel;
			};
			return {
				start: encodeRelativePosition(relative(bounds.from, 0)),
				end: encodeRelativePosition(relative(bounds.to, -1)),
				quote: editor.state.doc.textBetween(bounds.from, bounds.to, '\n')
			};
		},
		whenSaved() {
			if (isSettled()) return Promise.resolve();
			return new Promise<void>((resolve) => savedWaiters.push(resolve));
		},
		setCommentMarks(next) {
			marks = next;
			if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(marksKey, true));
		},
		destroy() {
			for (const resolve of savedWaiters) resolve();
			savedWaiters = [];
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOnline);
			document.removeEventListener('visibilitychange', reconnectNow);
			window.removeEventListener('pageshow', reconnectNow);
			editor.destroy();
			provider.destroy();
			doc.destroy();
		}
	};
}
