import { asc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { CONTENT_FIELD, documentName, initializeDraftDocument } from '../../domain/drafting/document.ts';
import { MAX_ALTERNATIVES, MAX_TITLE_CHARS, type DraftPhase } from '../../domain/drafting/limits.ts';
import type { DraftHeader } from '../../domain/drafting/canonical.ts';
import { compoundScopes } from '../access.ts';
import type { Database, Tx } from '../db/client.ts';
import { draftAlternatives, draftSets } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { compoundIdsOf, compoundNames, loadReadableAlternative, loadSet, requireRead } from './access.ts';
import { renderDocument } from './render.ts';
import { appendUpdate, loadStoredDocument } from './store.ts';
import { m } from '../../paraglide/messages.js';

const LABELS = 'ABCDEF';

export interface CreateDraftInput {
	title: string;
	compoundIds: string[];
	sessionId?: string | null;
	/** The alternatives to draft, e.g. [{ title: '全天开放' }, { title: '限时开放' }, { title: '维持关闭' }]. */
	alternatives: { title: string }[];
}

export interface DraftSetView {
	id: string;
	title: string;
	compoundIds: string[];
	sessionId: string | null;
	phase: DraftPhase;
	frozenAt: number | null;
}

export interface AlternativeSummary {
	id: string;
	label: string;
	title: string;
	position: number;
	/** The wire name for the collaboration provider. */
	documentName: string;
}

function cleanTitle(raw: string, field: string): string {
	const title = raw.trim();
	if (!title) throw new InvalidInput(m.draft_title_missing(), { [field]: m.draft_title_missing() });
	if ([...title].length > MAX_TITLE_CHARS)
		throw new InvalidInput(m.draft_title_too_long({ max: MAX_TITLE_CHARS }), { [field]: m.draft_title_too_long_field() });
	return title;
}

export interface PreparedDraft {
	set: DraftSetView;
	alternatives: AlternativeSummary[];
}

/**
 * The access check and validation of createDraft, without writing: for callers that must create
 * the set inside their own write (a meeting's minutes link their set in the same transaction).
 * Framing the alternatives is agenda work, so it takes `agenda.manage` on every participating
 * compound (or the session).
 */
export async function prepareDraft(database: Database, actor: Actor, input: CreateDraftInput): Promise<PreparedDraft> {
	const compoundIds = [...new Set(input.compoundIds)];
	if (compoundIds.length === 0) throw new InvalidInput(m.draft_pick_compounds(), { compoundIds: m.draft_pick_compounds_field() });
	const target = { compounds: await compoundScopes(database, compoundIds), sessionId: input.sessionId ?? undefined };
	const decision = decide(actor, 'agenda.manage', target);
	if (!decision.allowed) throw new AccessDenied(decision.reason);
	const title = cleanTitle(input.title, 'title');
	if (input.alternatives.length === 0 || input.alternatives.length > MAX_ALTERNATIVES)
		throw new InvalidInput(m.draft_alt_count({ max: MAX_ALTERNATIVES }), { alternatives: m.draft_alt_count_field() });
	const altTitles = input.alternatives.map((a, i) => cleanTitle(a.title, `alternatives.${i}.title`));
	const set: DraftSetView = { id: newId(), title, compoundIds, sessionId: input.sessionId ?? null, phase: 'drafting', frozenAt: null };
	const alternatives: AlternativeSummary[] = altTitles.map((t, i) => {
		const id = newId();
		return { id, label: LABELS[i], title: t, position: i, documentName: documentName(id) };
	});
	return { set, alternatives };
}

/**
 * Writes a prepared set inside the caller's transaction: each alternative with its document header
 * written by the server (see domain/drafting/document.ts for why clients never create it), and,
 * when `bodies` gives one, a starting body of plain paragraphs (one per line).
 */
export async function writeDraftSet(
	tx: Tx,
	actorId: string,
	prepared: PreparedDraft,
	bodies: (string[] | undefined)[] = []
): Promise<void> {
	const { set, alternatives } = prepared;
	const now = clock.now();
	await tx.insert(draftSets).values({
		id: set.id,
		title: set.title,
		compoundIds: JSON.stringify(set.compoundIds),
		sessionId: set.sessionId,
		phase: 'drafting',
		createdBy: actorId,
		createdAt: now
	});
	for (const [i, alt] of alternatives.entries()) {
		await tx
			.insert(draftAlternatives)
			.values({ id: alt.id, setId: set.id, label: alt.label, title: alt.title, position: alt.position, createdAt: now });
		const doc = new Y.Doc();
		initializeDraftDocument(doc, { title: alt.title, compoundIds: set.compoundIds });
		const lines = bodies[i];
		if (lines?.length) {
			doc.transact(() => {
				const content = doc.getXmlFragment(CONTENT_FIELD);
				content.insert(
					0,
					lines.map((line) => {
						const paragraph = new Y.XmlElement('paragraph');
						if (line) paragraph.insert(0, [new Y.XmlText(line)]);
						return paragraph;
					})
				);
			});
		}
		await appendUpdate(tx, alt.id, Y.encodeStateAsUpdate(doc), actorId);
		doc.destroy();
	}
	await audit(tx, {
		actorId,
		action: 'draft.create',
		subjectType: 'draft_set',
		subjectId: set.id,
		detail: { compoundIds: set.compoundIds, alternatives: alternatives.map((a) => a.label) }
	});
}

/** 开始起草: creates a set of alternatives (prepareDraft, then writeDraftSet in one write). */
export async function createDraft(
	database: Database,
	actor: Actor,
	input: CreateDraftInput
): Promise<{ set: DraftSetView; alternatives: AlternativeSummary[] }> {
	const prepared = await prepareDraft(database, actor, input);
	await database.write((tx) => writeDraftSet(tx, actor.userId, prepared));
	return prepared;
}

function setView(row: typeof draftSets.$inferSelect): DraftSetView {
	return {
		id: row.id,
		title: row.title,
		compoundIds: compoundIdsOf(row),
		sessionId: row.sessionId,
		phase: row.phase,
		frozenAt: row.frozenAt
	};
}

export async function listAlternatives(
	database: Database,
	actor: Actor,
	setId: string
): Promise<{ set: DraftSetView; alternatives: AlternativeSummary[]; canEdit: boolean }> {
	const set = await loadSet(database, setId);
	const permissions = await requireRead(database, actor, set);
	const rows = await database.db
		.select()
		.from(draftAlternatives)
		.where(eq(draftAlternatives.setId, setId))
		.orderBy(asc(draftAlternatives.position));
	return {
		set: setView(set),
		canEdit: permissions.canEdit,
		alternatives: rows.map((r) => ({
			id: r.id,
			label: r.label,
			title: r.title,
			position: r.position,
			documentName: documentName(r.id)
		}))
	};
}

export interface AlternativeView extends AlternativeSummary {
	set: DraftSetView;
	header: DraftHeader;
	compounds: { id: string; name: string }[];
	/** Sanitised, read-only rendering of the current stored content. */
	html: string;
	text: string;
	canEdit: boolean;
}

export async function getAlternative(database: Database, actor: Actor, alternativeId: string): Promise<AlternativeView> {
	const { alternative, set, permissions } = await loadReadableAlternative(database, actor, alternativeId);
	const compounds = await compoundNames(database, compoundIdsOf(set));
	const { doc } = await loadStoredDocument(database, alternativeId);
	const rendered = renderDocument(doc, { label: alternative.label, compounds });
	doc.destroy();
	return {
		id: alternative.id,
		label: alternative.label,
		title: rendered.header.title || alternative.title,
		position: alternative.position,
		documentName: documentName(alternative.id),
		set: setView(set),
		header: rendered.header,
		compounds,
		html: rendered.html,
		text: rendered.text,
		canEdit: permissions.canEdit
	};
}
