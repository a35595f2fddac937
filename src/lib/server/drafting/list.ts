/**
 * What the drafting pages need besides the verbs: the sets a person may read, and whether they may
 * freeze one (the same `agenda.manage` decision freezeDrafting makes, so the button and the
 * service can never disagree).
 */
import { desc, isNotNull } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { draftPhaseLabel, type DraftPhase } from '../../domain/drafting/limits.ts';
import { preparedPerHandle, type Database } from '../db/client.ts';
import { draftSets, meetings } from '../db/schema/index.ts';
import { compoundIdsOf, compoundNames, draftPermissions, draftTarget, loadSet } from './access.ts';

export interface DraftSetListItem {
	id: string;
	title: string;
	phase: DraftPhase;
	phaseLabel: string;
	compounds: { id: string; name: string }[];
	canEdit: boolean;
	createdAt: number;
	/** Set when this set holds a meeting's minutes (written together on the meeting's page), not a proposal. */
	minutesOf: { meetingTitle: string; href: string } | null;
	/** The deliberation session the set belongs to, so the session's page can link its drafts. */
	sessionId: string | null;
}

/**
 * 方案列表: every set the actor may read, newest first. Sets are few (one per decided matter), so
 * each is checked with the full policy rather than a second, SQL-shaped copy of it.
 */
export async function listDraftSets(database: Database, actor: Actor): Promise<DraftSetListItem[]> {
	const rows = await database.db.select().from(draftSets).orderBy(desc(draftSets.createdAt));
	const minutes = await database.db
		.select({ setId: meetings.minutesDraftSetId, meetingId: meetings.id, sessionId: meetings.sessionId, title: meetings.title })
		.from(meetings)
		.where(isNotNull(meetings.minutesDraftSetId));
	const meetingOf = new Map(
		minutes.map((m) => [m.setId!, { meetingTitle: m.title, href: `/sessions/${m.sessionId}/meetings/${m.meetingId}` }])
	);
	const out: DraftSetListItem[] = [];
	for (const set of rows) {
		const permissions = await draftPermissions(database, actor, set);
		if (!permissions.canRead) continue;
		out.push({
			id: set.id,
			title: set.title,
			phase: set.phase,
			phaseLabel: draftPhaseLabel(set.phase),
			compounds: await compoundNames(database, compoundIdsOf(set)),
			canEdit: permissions.canEdit,
			createdAt: set.createdAt,
			minutesOf: meetingOf.get(set.id) ?? null,
			sessionId: set.sessionId ?? null
		});
	}
	return out;
}

const allDraftSets = preparedPerHandle((reader) => reader.select().from(draftSets).prepare());

/**
 * Whether listDraftSets would list anything (the menu's 方案 entry, on every page): the same check per set, stopping
 * at the first readable one, without the compound names and meetings the list shows.
 */
export async function hasReadableDraftSet(database: Database, actor: Actor): Promise<boolean> {
	for (const set of await allDraftSets(database.db).all()) if ((await draftPermissions(database, actor, set)).canRead) return true;
	return false;
}

/** True when the actor may freeze the set (定稿): agenda managers of its compounds or session. */
export async function canFreezeDrafting(database: Database, actor: Actor, setId: string): Promise<boolean> {
	const set = await loadSet(database, setId);
	return set.phase === 'drafting' && decide(actor, 'agenda.manage', await draftTarget(database, set)).allowed;
}
