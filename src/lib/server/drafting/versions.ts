/**
 * 版本: named snapshots of an alternative (第一稿, 第二稿 …), their read-only rendering, diffs
 * between them, and restoring one — which appends a NEW version and changes the live document
 * by ordinary operations, so no history is rewritten.
 */
import { desc, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Actor } from '../../domain/access/policy.ts';
import { diffBlocks, diffStats, renderDiffHtml } from '../../domain/drafting/diff.ts';
import { documentName, replaceDocumentContent } from '../../domain/drafting/document.ts';
import { MAX_VERSION_NAME_CHARS } from '../../domain/drafting/limits.ts';
import type { DraftHeader } from '../../domain/drafting/canonical.ts';
import { applyToLiveDocument } from '../collab/live.ts';
import type { Database, Tx } from '../db/client.ts';
import { draftVersions, users } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import {
	compoundIdsOf,
	compoundNames,
	loadAlternative,
	loadEditableAlternative,
	loadReadableAlternative,
	requireEdit,
	requireRead,
	type AlternativeRow,
	type DraftSetRow
} from './access.ts';
import { diffableBlocks, renderDocument, type RenderContext } from './render.ts';
import { changeStoredDocument, loadStoredDocument, phaseOf, readStoredDocument } from './store.ts';
import { m } from '../../paraglide/messages.js';

export interface VersionSummary {
	id: string;
	alternativeId: string;
	number: number;
	name: string;
	restoredFrom: string | null;
	createdBy: string;
	createdByName: string | null;
	createdAt: number;
}

type VersionRow = typeof draftVersions.$inferSelect;

function cleanName(raw: string): string {
	const name = raw.trim();
	if (!name) throw new InvalidInput(m.draft_version_name_missing(), { name: m.draft_version_name_missing_field() });
	if ([...name].length > MAX_VERSION_NAME_CHARS)
		throw new InvalidInput(m.draft_version_name_too_long({ max: MAX_VERSION_NAME_CHARS }), {
			name: m.draft_version_name_too_long_field()
		});
	return name;
}

async function nextNumber(tx: Tx, alternativeId: string): Promise<number> {
	const [row] = await tx
		.select({ n: sql<number>`coalesce(max(${draftVersions.number}), 0)` })
		.from(draftVersions)
		.where(eq(draftVersions.alternativeId, alternativeId));
	return Number(row?.n ?? 0) + 1;
}

async function assertDraftingIn(tx: Tx, alternativeId: string): Promise<void> {
	// Re-checked inside the write: a freeze committed after our permission check still wins.
	if ((await phaseOf(tx, alternativeId)) !== 'drafting') throw new RuleBroken(m.draft_is_frozen(), 'draft_frozen');
}

/** Appends the document's state as the alternative's next numbered version (and destroys the document). */
async function appendVersion(
	tx: Tx,
	actor: Actor,
	alternativeId: string,
	doc: Y.Doc,
	name: string,
	restoredFrom: string | null
): Promise<VersionRow> {
	const row = {
		id: newId(),
		alternativeId,
		number: await nextNumber(tx, alternativeId),
		name,
		state: Buffer.from(Y.encodeStateAsUpdate(doc)),
		restoredFrom,
		createdBy: actor.userId,
		createdAt: clock.now()
	};
	doc.destroy();
	await tx.insert(draftVersions).values(row);
	return row;
}

/** 保存版本: stores the current stored state under a name. */
export async function saveVersion(database: Database, actor: Actor, alternativeId: string, rawName: string): Promise<VersionSummary> {
	await loadEditableAlternative(database, actor, alternativeId, 'saveVersion');
	const name = cleanName(rawName);
	return database.write(async (tx) => {
		await assertDraftingIn(tx, alternativeId);
		const { doc } = await readStoredDocument(tx, alternativeId);
		const row = await appendVersion(tx, actor, alternativeId, doc, name, null);
		await audit(tx, {
			actorId: actor.userId,
			action: 'draft.version.save',
			subjectType: 'draft_alternative',
			subjectId: alternativeId,
			detail: { versionId: row.id, number: row.number, name }
		});
		return { ...summary(row), createdByName: null };
	});
}

function summary(row: VersionRow): Omit<VersionSummary, 'createdByName'> {
	return {
		id: row.id,
		alternativeId: row.alternativeId,
		number: row.number,
		name: row.name,
		restoredFrom: row.restoredFrom,
		createdBy: row.createdBy,
		createdAt: row.createdAt
	};
}

export async function listVersions(database: Database, actor: Actor, alternativeId: string): Promise<VersionSummary[]> {
	await loadReadableAlternative(database, actor, alternativeId);
	const rows = await database.db
		.select({ v: draftVersions, createdByName: users.displayName })
		.from(draftVersions)
		.leftJoin(users, eq(users.id, draftVersions.createdBy))
		.where(eq(draftVersions.alternativeId, alternativeId))
		.orderBy(desc(draftVersions.number));
	return rows.map((r) => ({ ...summary(r.v), createdByName: r.createdByName }));
}

async function loadVersion(
	database: Database,
	versionId: string
): Promise<{ version: VersionRow; alternative: AlternativeRow; set: DraftSetRow }> {
	const [version] = await database.db.select().from(draftVersions).where(eq(draftVersions.id, versionId)).limit(1);
	if (!version) throw new NotFound(m.draft_no_such_version());
	return { version, ...(await loadAlternative(database, version.alternativeId)) };
}

function docOf(state: Buffer | Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(state));
	return doc;
}

async function renderContext(database: Database, alternative: AlternativeRow, set: DraftSetRow): Promise<RenderContext> {
	return { label: alternative.label, compounds: await compoundNames(database, compoundIdsOf(set)) };
}

/** A version rendered read-only: sanitised HTML and canonical text. */
export async function getVersionContent(
	database: Database,
	actor: Actor,
	versionId: string
): Promise<{ version: VersionSummary; header: DraftHeader; html: string; text: string }> {
	const { version, alternative, set } = await loadVersion(database, versionId);
	await requireRead(database, actor, set);
	const doc = docOf(version.state);
	const rendered = renderDocument(doc, await renderContext(database, alternative, set));
	doc.destroy();
	return { version: { ...summary(version), createdByName: null }, header: rendered.header, html: rendered.html, text: rendered.text };
}

/**
 * 版本对比: `to` may be 'current' for the stored live document. The HTML marks insertions with
 * <ins> and deletions with <del>; all text in it is escaped.
 */
export async function diffVersions(
	database: Database,
	actor: Actor,
	fromVersionId: string,
	toVersionId: string | 'current'
): Promise<{ html: string; insertedChars: number; deletedChars: number; changedBlocks: number }> {
	const from = await loadVersion(database, fromVersionId);
	await requireRead(database, actor, from.set);
	const ctx = await renderContext(database, from.alternative, from.set);
	let toDoc: Y.Doc;
	if (toVersionId === 'current') toDoc = (await loadStoredDocument(database, from.alternative.id)).doc;
	else {
		const to = await loadVersion(database, toVersionId);
		if (to.version.alternativeId !== from.version.alternativeId) throw new InvalidInput(m.draft_compare_same_alt());
		toDoc = docOf(to.version.state);
	}
	const fromDoc = docOf(from.version.state);
	const before = diffableBlocks(renderDocument(fromDoc, ctx), ctx);
	const after = diffableBlocks(renderDocument(toDoc, ctx), ctx);
	fromDoc.destroy();
	toDoc.destroy();
	const blocks = diffBlocks(before, after);
	return { html: renderDiffHtml(blocks), ...diffStats(blocks) };
}

/**
 * 恢复版本: the live document is changed to show the version (as new operations, durably appended
 * before anyone sees them), and the result is saved as a new version that records its source.
 */
export async function restoreVersion(database: Database, actor: Actor, versionId: string, rawName?: string): Promise<VersionSummary> {
	const { version, alternative, set } = await loadVersion(database, versionId);
	await requireEdit(database, actor, set, 'restore');
	const name = cleanName(rawName ?? `恢复自「${version.name}」`);
	const result = await database.write(async (tx) => {
		await assertDraftingIn(tx, alternative.id);
		const source = docOf(version.state);
		const { update, doc } = await changeStoredDocument(tx, alternative.id, actor.userId, (live) =>
			replaceDocumentContent(live, source)
		);
		source.destroy();
		const row = await appendVersion(tx, actor, alternative.id, doc, name, version.id);
		await audit(tx, {
			actorId: actor.userId,
			action: 'draft.version.restore',
			subjectType: 'draft_alternative',
			subjectId: alternative.id,
			detail: { from: version.id, versionId: row.id }
		});
		return { row, update };
	});
	// After COMMIT: editors see the restore only once it is durable.
	if (result.update) await applyToLiveDocument(database, documentName(alternative.id), result.update);
	return { ...summary(result.row), createdByName: null };
}
