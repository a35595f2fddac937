/**
 * Who may read or edit a draft set: the access policy (decide) on the set's compounds and
 * session, combined with the phase table. Used by every drafting service and by the
 * collaboration server's auth extension, so the two can never disagree.
 */
import { eq, inArray } from 'drizzle-orm';
import { decide, type Actor, type Target } from '../../domain/access/policy.ts';
import { DRAFT_PHASE_RULES } from '../../domain/drafting/limits.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { draftAlternatives, draftSets, orgNodes } from '../db/schema/index.ts';
import { AccessDenied, NotFound, RuleBroken } from '../errors.ts';
import { m } from '../../paraglide/messages.js';

export type DraftSetRow = typeof draftSets.$inferSelect;
export type AlternativeRow = typeof draftAlternatives.$inferSelect;

export function compoundIdsOf(set: DraftSetRow): string[] {
	const ids: unknown = JSON.parse(set.compoundIds);
	return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

export async function loadSet(database: Database, setId: string): Promise<DraftSetRow> {
	const [set] = await database.db.select().from(draftSets).where(eq(draftSets.id, setId)).limit(1);
	if (!set) throw new NotFound(m.draft_no_such_set());
	return set;
}

export async function loadAlternative(
	database: Database,
	alternativeId: string
): Promise<{ alternative: AlternativeRow; set: DraftSetRow }> {
	const [row] = await database.db
		.select({ alternative: draftAlternatives, set: draftSets })
		.from(draftAlternatives)
		.innerJoin(draftSets, eq(draftSets.id, draftAlternatives.setId))
		.where(eq(draftAlternatives.id, alternativeId))
		.limit(1);
	if (!row) throw new NotFound(m.draft_no_such_alt());
	return row;
}

export async function draftTarget(database: Database, set: DraftSetRow): Promise<Target> {
	return { compounds: await compoundScopes(database, compoundIdsOf(set)), sessionId: set.sessionId ?? undefined };
}

export interface DraftPermissions {
	canRead: boolean;
	/** Allowed by role AND by the phase: false for everyone once frozen. */
	canEdit: boolean;
	/** Allowed by role, whatever the phase (to tell "frozen" from "not yours"). */
	isEditor: boolean;
	readRefusal: string | null;
}

export async function draftPermissions(database: Database, actor: Actor | null, set: DraftSetRow): Promise<DraftPermissions> {
	const target = await draftTarget(database, set);
	const edit = decide(actor, 'draft.edit', target);
	const read = decide(actor, 'draft.read', target);
	return {
		isEditor: edit.allowed,
		canEdit: edit.allowed && DRAFT_PHASE_RULES[set.phase].edit,
		canRead: read.allowed || edit.allowed,
		readRefusal: read.allowed || edit.allowed ? null : read.allowed === false ? read.reason : null
	};
}

export async function requireRead(database: Database, actor: Actor, set: DraftSetRow): Promise<DraftPermissions> {
	const p = await draftPermissions(database, actor, set);
	if (!p.canRead) throw new AccessDenied(p.readRefusal ?? m.draft_no_read());
	return p;
}

/** Editing verbs: the role check first, then the phase ("定稿后不能再修改" is a rule, not a permission). */
export async function requireEdit(
	database: Database,
	actor: Actor,
	set: DraftSetRow,
	verb: keyof (typeof DRAFT_PHASE_RULES)['drafting']
): Promise<DraftPermissions> {
	const p = await draftPermissions(database, actor, set);
	if (!p.isEditor) throw new AccessDenied(p.canRead ? m.draft_read_not_edit() : (p.readRefusal ?? m.draft_no_edit()));
	if (!DRAFT_PHASE_RULES[set.phase][verb]) throw new RuleBroken(m.draft_is_frozen(), 'draft_frozen');
	return p;
}

/** Loads an alternative, refused unless the actor may read its set; with the actor's permissions there. */
export async function loadReadableAlternative(database: Database, actor: Actor, alternativeId: string) {
	const { alternative, set } = await loadAlternative(database, alternativeId);
	return { alternative, set, permissions: await requireRead(database, actor, set) };
}

/** Loads an alternative, refused unless the actor may `verb` it now (see requireEdit). */
export async function loadEditableAlternative(
	database: Database,
	actor: Actor,
	alternativeId: string,
	verb: keyof (typeof DRAFT_PHASE_RULES)['drafting']
) {
	const { alternative, set } = await loadAlternative(database, alternativeId);
	return { alternative, set, permissions: await requireEdit(database, actor, set, verb) };
}

export async function compoundNames(database: Database, ids: string[]): Promise<{ id: string; name: string }[]> {
	if (ids.length === 0) return [];
	const rows = await database.db.select({ id: orgNodes.id, name: orgNodes.name }).from(orgNodes).where(inArray(orgNodes.id, ids));
	const byId = new Map(rows.map((r) => [r.id, r.name]));
	return ids.map((id) => ({ id, name: byId.get(id) ?? id }));
}
