/** What the pages show of sessions: the list, one session with its agenda, and the choices of the forms. */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import {
	PHASES,
	PHASE_LABELS,
	convenorName,
	nextPhase,
	phaseAllows,
	type DecidingRule,
	type Phase,
	type SessionKind
} from '../../domain/agenda/index.ts';
import type { TurnLimits } from '../../domain/deliberation/debate.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { rowsForIds } from '../db/where-in.ts';
import {
	agendaItemImpacts,
	agendaItems,
	agendaSignOffs,
	concerns,
	delibSessions,
	orgNodes,
	sessionDepartments,
	sessionTimetable,
	users
} from '../db/schema/index.ts';
import { AccessDenied } from '../errors.ts';
import { compoundsByName, loadSession, nodeNames, parseIds, sessionTarget } from './common.ts';
import type { TimetableRow } from './sessions.ts';
import { convenorsOf, signsFor } from './publish.ts';
import { m } from '../../paraglide/messages.js';

export interface ConvenorView {
	nodeId: string;
	kind: string;
	name: string;
	signedAt: number | null;
	signedBy: string | null;
	/** Whether the viewer may sign for this convenor. */
	mine: boolean;
}

export interface SessionSummary {
	id: string;
	title: string;
	kind: SessionKind;
	phase: Phase;
	phaseLabel: string;
	compounds: string[];
	published: boolean;
}

/** Sessions the actor takes part in or manages. */
export async function listSessions(database: Database, actor: Actor): Promise<SessionSummary[]> {
	const rows = await database.db.select().from(delibSessions).orderBy(desc(delibSessions.createdAt)).limit(100);
	const names = await nodeNames(
		database.db,
		rows.flatMap((r) => parseIds(r.compoundIds))
	);
	const out: SessionSummary[] = [];
	for (const r of rows) {
		const target = await sessionTarget(database, r);
		if (!decide(actor, 'deliberation.participate', target).allowed && !decide(actor, 'agenda.manage', target).allowed) continue;
		out.push({
			id: r.id,
			title: r.title,
			kind: r.kind,
			phase: r.phase as Phase,
			phaseLabel: PHASE_LABELS[r.phase as Phase],
			compounds: parseIds(r.compoundIds).map((id) => names.get(id)?.name ?? id),
			published: r.agendaPublishedAt !== null
		});
	}
	return out;
}

export interface ItemView {
	id: string;
	position: number;
	title: string;
	question: string;
	rule: DecidingRule;
	background: string;
	impacts: { compoundId: string; compound: string; costs: string; benefits: string }[];
	limits: TurnLimits;
}

export interface SessionView {
	id: string;
	title: string;
	kind: SessionKind;
	phase: Phase;
	next: Phase | null;
	compounds: { id: string; name: string }[];
	concernId: string | null;
	/** The concern's text, offered as the first item's draft while the agenda has none from it. */
	concernDraft: { title: string; body: string } | null;
	facilitator: string | null;
	revision: number;
	publishedAt: number | null;
	convenors: ConvenorView[];
	missingSignOffs: string[];
	departments: { id: string; name: string; response: string | null; respondedAt: number | null }[];
	timetable: TimetableRow[];
	items: ItemView[];
	may: { manage: boolean; moderate: boolean; participate: boolean };
	/** The phase table's answers for this phase, so the page shows only what is open. */
	allows: Record<string, boolean>;
}

export async function sessionView(database: Database, actor: Actor, sessionId: string): Promise<SessionView> {
	const session = await loadSession(database.db, sessionId);
	const target = await sessionTarget(database, session);
	const may = {
		manage: decide(actor, 'agenda.manage', target).allowed,
		moderate: decide(actor, 'deliberation.moderate', target).allowed,
		participate: decide(actor, 'deliberation.participate', target).allowed
	};
	// The agenda of a joint session is public to its participants; drafts only to its organisers.
	if (!may.manage && !may.participate) throw new AccessDenied(m.agenda_session_residents_only());
	const compoundIds = parseIds(session.compoundIds);
	const names = await nodeNames(database.db, compoundIds);
	const convenors = await convenorsOf(database, sessionId);
	const signs = await database.db
		.select()
		.from(agendaSignOffs)
		.where(and(eq(agendaSignOffs.sessionId, sessionId), eq(agendaSignOffs.revision, session.agendaRevision)));
	const signers = await rowsForIds(
		signs.map((s) => s.userId),
		(ids) => database.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids))
	);
	const items = await database.db
		.select()
		.from(agendaItems)
		.where(eq(agendaItems.sessionId, sessionId))
		.orderBy(asc(agendaItems.position));
	const impacts = await rowsForIds(
		items.map((i) => i.id),
		(ids) => database.db.select().from(agendaItemImpacts).where(inArray(agendaItemImpacts.itemId, ids))
	);
	const departments = await database.db
		.select()
		.from(sessionDepartments)
		.where(eq(sessionDepartments.sessionId, sessionId))
		.orderBy(asc(sessionDepartments.invitedAt));
	const timetable = await database.db.select().from(sessionTimetable).where(eq(sessionTimetable.sessionId, sessionId));
	const [facilitator] = session.facilitatorId
		? await database.db.select({ name: users.displayName }).from(users).where(eq(users.id, session.facilitatorId))
		: [];
	const signedMap = new Map(signs.map((s) => [s.convenorNodeId, s]));
	const [concern] =
		session.concernId && !items.some((i) => i.concernId === session.concernId)
			? await database.db
					.select({ title: concerns.title, body: concerns.body })
					.from(concerns)
					.where(eq(concerns.id, session.concernId))
			: [];
	const phase = session.phase as Phase;
	return {
		id: session.id,
		title: session.title,
		kind: session.kind,
		phase,
		next: nextPhase(phase),
		compounds: compoundIds.map((id) => ({ id, name: names.get(id)?.name ?? id })),
		concernId: session.concernId,
		concernDraft: concern ?? null,
		facilitator: facilitator?.name ?? null,
		revision: session.agendaRevision,
		publishedAt: session.agendaPublishedAt,
		convenors: convenors.map((c) => {
			const s = signedMap.get(c.nodeId);
			return {
				...c,
				signedAt: s?.at ?? null,
				signedBy: s ? (signers.find((u) => u.id === s.userId)?.name ?? null) : null,
				mine: signsFor(actor, c)
			};
		}),
		missingSignOffs: convenors.filter((c) => !signedMap.has(c.nodeId)).map((c) => c.name),
		departments: departments.map((d) => ({ id: d.id, name: d.name, response: d.response, respondedAt: d.respondedAt })),
		timetable: timetable
			.map((t) => ({ phase: t.phase as Phase, startsOn: t.startsOn, endsOn: t.endsOn }))
			.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase)),
		items: items.map((i) => ({
			id: i.id,
			position: i.position,
			title: i.title,
			question: i.question,
			rule: i.rule,
			background: i.background,
			impacts: impacts
				.filter((x) => x.itemId === i.id)
				.map((x) => ({
					compoundId: x.compoundId,
					compound: names.get(x.compoundId)?.name ?? x.compoundId,
					costs: x.costs,
					benefits: x.benefits
				})),
			limits: {
				maxTurns: i.maxTurns ?? session.maxTurns,
				maxChars: i.maxChars ?? session.maxChars,
				speakSeconds: i.speakSeconds ?? session.speakSeconds
			}
		})),
		may,
		allows: Object.fromEntries(
			(['agenda.edit', 'agenda.signoff', 'agenda.publish', 'debate.post', 'statements', 'polls', 'meetings'] as const).map((c) => [
				c,
				phaseAllows(phase, c)
			])
		)
	};
}

/** What may start a session: accepted concerns without one yet, and the compounds the actor manages together. */
export async function sessionForm(database: Database, actor: Actor) {
	const accepted = await database.db
		.select({ id: concerns.id, title: concerns.title, compoundIds: concerns.compoundIds })
		.from(concerns)
		.where(eq(concerns.status, 'accepted'));
	const taken = new Set((await database.db.select({ c: delibSessions.concernId }).from(delibSessions)).map((r) => r.c));
	const compounds = await compoundsByName(database.db);
	const manageable = [];
	for (const c of compounds)
		if (decide(actor, 'agenda.manage', { compounds: await compoundScopes(database, [c.id]) }).allowed) manageable.push(c);
	const concernsOpen = [];
	for (const c of accepted) {
		if (taken.has(c.id)) continue;
		if (decide(actor, 'agenda.manage', { compounds: await compoundScopes(database, parseIds(c.compoundIds)) }).allowed)
			concernsOpen.push({ id: c.id, title: c.title, compoundIds: parseIds(c.compoundIds) });
	}
	return { compounds: manageable, concerns: concernsOpen };
}

/** Organisations that could convene a session of these compounds: each compound (业委会) and its ancestors. */
export async function convenorChoices(database: Database, sessionId: string) {
	const session = await loadSession(database.db, sessionId);
	const scopes = await compoundScopes(database, parseIds(session.compoundIds));
	const ids = [...new Set(scopes.flatMap((s) => s.chain))];
	const rows = await database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name })
		.from(orgNodes)
		.where(inArray(orgNodes.id, ids));
	return rows.map((r) => ({ id: r.id, name: convenorName(r.kind, r.name) }));
}
