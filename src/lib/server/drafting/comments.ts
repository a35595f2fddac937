/**
 * 批注: comments on a text range of an alternative, stored in the database (append-only), anchored
 * with Yjs relative positions so they follow the text as collaborators edit around it.
 *
 * The editor computes anchors itself from its binding (@tiptap/y-tiptap
 * absolutePositionToRelativePosition on the 'content' fragment, then Y.encodeRelativePosition,
 * base64) and sends them with the quoted text; callers without an editor may send a plain-text
 * range instead (offsets into domain/drafting/document.ts textSegments).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { anchorFromTextRange, decodeRelativePosition, documentName, resolveAnchor } from '../../domain/drafting/document.ts';
import { MAX_COMMENT_CHARS, MAX_QUOTE_CHARS } from '../../domain/drafting/limits.ts';
import { textToHtml } from '../../domain/drafting/sanitize.ts';
import { tellCommentsChanged } from '../collab/live.ts';
import type { Database } from '../db/client.ts';
import { rowsForIds } from '../db/where-in.ts';
import { draftCommentResolutions, draftComments, users } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { loadEditableAlternative, loadReadableAlternative } from './access.ts';
import { loadStoredDocument } from './store.ts';
import { m } from '../../paraglide/messages.js';

export interface CommentAnchor {
	/** base64 of Y.encodeRelativePosition */
	start: string;
	end: string;
}

export type AddCommentInput =
	| { alternativeId: string; body: string; anchor: CommentAnchor; quote: string }
	| { alternativeId: string; body: string; range: { from: number; to: number } };

function cleanBody(raw: string): string {
	const body = raw.trim();
	if (!body) throw new InvalidInput(m.draft_comment_missing(), { body: m.draft_comment_missing() });
	if ([...body].length > MAX_COMMENT_CHARS)
		throw new InvalidInput(m.draft_comment_too_long({ max: MAX_COMMENT_CHARS }), { body: m.draft_comment_too_long_field() });
	return body;
}

/** Stores a comment (a thread's root with its anchor and quote, or a reply without) and tells open editors. */
async function writeComment(
	database: Database,
	actor: Actor,
	comment: { alternativeId: string; parentId: string | null; body: string; anchor: CommentAnchor | null; quote: string | null }
): Promise<string> {
	const id = newId();
	const { anchor, ...rest } = comment;
	await database.write((tx) =>
		tx.insert(draftComments).values({
			id,
			...rest,
			authorId: actor.userId,
			anchorStart: anchor?.start ?? null,
			anchorEnd: anchor?.end ?? null,
			createdAt: clock.now()
		})
	);
	tellCommentsChanged(database, documentName(comment.alternativeId));
	return id;
}

export async function addComment(database: Database, actor: Actor, input: AddCommentInput): Promise<{ id: string; quote: string }> {
	await loadEditableAlternative(database, actor, input.alternativeId, 'comment');
	const body = cleanBody(input.body);
	const { doc } = await loadStoredDocument(database, input.alternativeId);
	let anchor: CommentAnchor;
	let quote: string;
	try {
		if ('range' in input) {
			const made = anchorFromTextRange(doc, input.range.from, input.range.to);
			if (!made) throw new InvalidInput(m.draft_select_first());
			anchor = made;
		} else {
			decodeRelativePosition(input.anchor.start);
			decodeRelativePosition(input.anchor.end);
			anchor = input.anchor;
		}
		// The anchor must point at text that exists now; the quote is what it points at.
		const resolved = resolveAnchor(doc, anchor);
		if (!resolved) throw new InvalidInput(m.draft_selection_gone());
		quote = 'quote' in input && input.quote ? input.quote : resolved.text;
	} catch (error) {
		if (error instanceof InvalidInput) throw error;
		throw new InvalidInput(m.draft_anchor_invalid());
	} finally {
		doc.destroy();
	}
	quote = [...quote].slice(0, MAX_QUOTE_CHARS).join('');
	const id = await writeComment(database, actor, { alternativeId: input.alternativeId, parentId: null, body, anchor, quote });
	return { id, quote };
}

async function loadComment(database: Database, commentId: string) {
	const [comment] = await database.db.select().from(draftComments).where(eq(draftComments.id, commentId)).limit(1);
	if (!comment) throw new NotFound(m.draft_no_such_comment());
	return comment;
}

export async function replyToComment(database: Database, actor: Actor, commentId: string, rawBody: string): Promise<{ id: string }> {
	const parent = await loadComment(database, commentId);
	await loadEditableAlternative(database, actor, parent.alternativeId, 'comment');
	const body = cleanBody(rawBody);
	// Replies hang off the thread's root, so threads stay one level deep.
	const rootId = parent.parentId ?? parent.id;
	const id = await writeComment(database, actor, {
		alternativeId: parent.alternativeId,
		parentId: rootId,
		body,
		anchor: null,
		quote: null
	});
	return { id };
}

/** 标记已解决: a resolution row; a second resolution of the same thread is refused by the unique index. */
export async function resolveComment(database: Database, actor: Actor, commentId: string, note?: string): Promise<void> {
	const comment = await loadComment(database, commentId);
	await loadEditableAlternative(database, actor, comment.alternativeId, 'comment');
	if (comment.parentId) throw new InvalidInput(m.draft_resolve_on_thread());
	const cleanNote = note?.trim() ? [...note.trim()].slice(0, MAX_COMMENT_CHARS).join('') : null;
	try {
		await database.write((tx) =>
			tx
				.insert(draftCommentResolutions)
				.values({ id: newId(), commentId, resolvedBy: actor.userId, note: cleanNote, resolvedAt: clock.now() })
		);
	} catch (error) {
		if (isUniqueViolation(error)) throw new RuleBroken(m.draft_already_resolved(), 'already_resolved');
		throw error;
	}
	tellCommentsChanged(database, documentName(comment.alternativeId));
}

export interface CommentView {
	id: string;
	authorId: string;
	authorName: string | null;
	body: string;
	/** The body escaped for display; never render `body` as HTML. */
	bodyHtml: string;
	createdAt: number;
}

export interface CommentThread extends CommentView {
	anchor: CommentAnchor;
	quote: string;
	/** Where the quoted text is now (plain-text offsets), or null if it was deleted. */
	position: { from: number; to: number; text: string } | null;
	resolved: { by: string; at: number; note: string | null } | null;
	replies: CommentView[];
}

export async function listComments(database: Database, actor: Actor, alternativeId: string): Promise<CommentThread[]> {
	await loadReadableAlternative(database, actor, alternativeId);
	const rows = await database.db
		.select({ c: draftComments, authorName: users.displayName })
		.from(draftComments)
		.leftJoin(users, eq(users.id, draftComments.authorId))
		.where(eq(draftComments.alternativeId, alternativeId))
		.orderBy(asc(draftComments.createdAt), asc(draftComments.id));
	const rootIds = rows.filter((r) => !r.c.parentId).map((r) => r.c.id);
	const resolutions = await rowsForIds(rootIds, (ids) =>
		database.db.select().from(draftCommentResolutions).where(inArray(draftCommentResolutions.commentId, ids))
	);
	const resolvedBy = new Map(resolutions.map((r) => [r.commentId, { by: r.resolvedBy, at: r.resolvedAt, note: r.note }]));
	const { doc } = await loadStoredDocument(database, alternativeId);
	const view = (r: (typeof rows)[number]): CommentView => ({
		id: r.c.id,
		authorId: r.c.authorId,
		authorName: r.authorName,
		body: r.c.body,
		bodyHtml: textToHtml(r.c.body),
		createdAt: r.c.createdAt
	});
	const threads = new Map<string, CommentThread>();
	for (const r of rows) {
		if (r.c.parentId) continue;
		const anchor = { start: r.c.anchorStart ?? '', end: r.c.anchorEnd ?? '' };
		let position: CommentThread['position'];
		try {
			position = resolveAnchor(doc, anchor);
		} catch {
			position = null;
		}
		threads.set(r.c.id, {
			...view(r),
			anchor,
			quote: r.c.quote ?? '',
			position,
			resolved: resolvedBy.get(r.c.id) ?? null,
			replies: []
		});
	}
	for (const r of rows) if (r.c.parentId) threads.get(r.c.parentId)?.replies.push(view(r));
	doc.destroy();
	return [...threads.values()];
}
