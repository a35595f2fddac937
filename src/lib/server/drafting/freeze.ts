/**
 * 定稿: fixes the exact text of every alternative before voting. One write transaction renders
 * each alternative from its stored rows, stores HTML + canonical text + SHA-256, and flips the
 * phase. Because client updates are appended only after a phase check in their own write
 * transaction (store.ts appendClientUpdate), and the write queue runs transactions one at a
 * time, every update is either inside the frozen text or refused — none can slip in between.
 */
import { asc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { CANONICAL_FORM, sha256Hex } from '../../domain/drafting/canonical.ts';
import { documentName } from '../../domain/drafting/document.ts';
import { lockLiveDocument } from '../collab/live.ts';
import type { Database } from '../db/client.ts';
import { draftAlternatives, draftFrozenTexts, draftSets } from '../db/schema/index.ts';
import { AccessDenied, NotFound, RuleBroken } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { compoundIdsOf, compoundNames, draftTarget, loadReadableAlternative, loadSet } from './access.ts';
import { renderDocument } from './render.ts';
import { readStoredDocument } from './store.ts';
import { m } from '../../paraglide/messages.js';

export interface FrozenSummary {
	alternativeId: string;
	label: string;
	textHash: string;
	htmlHash: string;
}

export async function freezeDrafting(
	database: Database,
	actor: Actor,
	setId: string
): Promise<{ frozenAt: number; alternatives: FrozenSummary[] }> {
	const set = await loadSet(database, setId);
	const decision = decide(actor, 'agenda.manage', await draftTarget(database, set));
	if (!decision.allowed) throw new AccessDenied(m.draft_only_manager_freezes());
	const compounds = await compoundNames(database, compoundIdsOf(set));
	const frozenAt = clock.now();
	const frozen = await database.write(async (tx) => {
		const [current] = await tx.select({ phase: draftSets.phase }).from(draftSets).where(eq(draftSets.id, setId)).limit(1);
		if (current?.phase !== 'drafting') throw new RuleBroken(m.draft_set_already_frozen(), 'draft_frozen');
		const alternatives = await tx
			.select()
			.from(draftAlternatives)
			.where(eq(draftAlternatives.setId, setId))
			.orderBy(asc(draftAlternatives.position));
		const out: FrozenSummary[] = [];
		for (const alt of alternatives) {
			const { doc } = await readStoredDocument(tx, alt.id);
			const state = Y.encodeStateAsUpdate(doc);
			const rendered = renderDocument(doc, { label: alt.label, compounds });
			doc.destroy();
			await tx.insert(draftFrozenTexts).values({
				id: newId(),
				setId,
				alternativeId: alt.id,
				label: alt.label,
				html: rendered.html,
				text: rendered.text,
				textHash: rendered.textHash,
				htmlHash: rendered.htmlHash,
				canonicalForm: CANONICAL_FORM,
				state: Buffer.from(state),
				frozenBy: actor.userId,
				frozenAt
			});
			out.push({ alternativeId: alt.id, label: alt.label, textHash: rendered.textHash, htmlHash: rendered.htmlHash });
		}
		await tx.update(draftSets).set({ phase: 'frozen', frozenAt, frozenBy: actor.userId }).where(eq(draftSets.id, setId));
		await audit(tx, {
			actorId: actor.userId,
			action: 'draft.freeze',
			subjectType: 'draft_set',
			subjectId: setId,
			detail: { alternatives: out }
		});
		return out;
	});
	// After COMMIT, open editors turn read-only at once; the phase check above already refuses their updates.
	for (const alt of frozen) lockLiveDocument(database, documentName(alt.alternativeId));
	return { frozenAt, alternatives: frozen };
}

export interface FrozenText {
	alternativeId: string;
	label: string;
	html: string;
	text: string;
	textHash: string;
	htmlHash: string;
	canonicalForm: string;
	frozenAt: number;
	/** The stored text still hashes to the stored hash. */
	intact: boolean;
}

export async function getFrozenText(database: Database, actor: Actor, alternativeId: string): Promise<FrozenText> {
	await loadReadableAlternative(database, actor, alternativeId);
	const [row] = await database.db.select().from(draftFrozenTexts).where(eq(draftFrozenTexts.alternativeId, alternativeId)).limit(1);
	if (!row) throw new NotFound(m.draft_not_frozen_yet());
	return {
		alternativeId,
		label: row.label,
		html: row.html,
		text: row.text,
		textHash: row.textHash,
		htmlHash: row.htmlHash,
		canonicalForm: row.canonicalForm,
		frozenAt: row.frozenAt,
		intact: sha256Hex(row.text) === row.textHash && sha256Hex(row.html) === row.htmlHash
	};
}
