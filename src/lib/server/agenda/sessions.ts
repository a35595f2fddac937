/**
 * 协商会: starting one with its participating compounds and facilitator, its co-convenors, invited
 * departments and the timetable of phases. Items are in items.ts, sign-off and publication in publish.ts.
 */
import { and, eq, isNull, max } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { PHASES, PHASE_LABELS, SESSION_KINDS, isPhase, type Phase, type SessionKind } from '../../domain/agenda/index.ts';
import { DEFAULT_LIMITS, checkLimits, type TurnLimits } from '../../domain/deliberation/debate.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import { normaliseLogin } from '../auth/accounts.ts';
import type { Database, Tx } from '../db/client.ts';
import {
	concerns,
	delibSessions,
	orgNodes,
	roleGrants,
	sessionConvenors,
	sessionDepartments,
	sessionPhaseLog,
	sessionTimetable,
	users
} from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { requireChinaDay } from '../util/dates.ts';
import { newId } from '../util/ids.ts';
import { notify } from '../notifications/inbox.ts';
import { charCount, requirePhase, requireSessionAccess, type SessionRow } from './common.ts';
import { m } from '../../paraglide/messages.js';

export interface CreateSessionInput {
	/** Optional fixed id (the demo uses 'gate-case'); a random one otherwise. */
	id?: string;
	title: string;
	kind: string;
	compoundIds: string[];
	/** The concern this session takes up; the page offers its text as the first item's draft. */
	concernId?: string | null;
	/** Login of the facilitator (主持人); they get a facilitator grant scoped to this session. */
	facilitatorLogin?: string | null;
	limits?: Partial<TurnLimits>;
}

/** 发起协商会. Needs agenda.manage over every participating compound (a 片区 for a joint one). */
export async function createSession(database: Database, actor: Actor, input: CreateSessionInput): Promise<{ sessionId: string }> {
	const compoundIds = [...new Set(input.compoundIds ?? [])];
	if (compoundIds.length === 0) throw new InvalidInput(m.agenda_pick_compounds(), { compoundIds: m.agenda_pick_one_compound() });
	requireAccess(actor, 'agenda.manage', { compounds: await compoundScopes(database, compoundIds) });
	const title = (input.title ?? '').trim();
	if (!title || charCount(title) > 80) throw new InvalidInput(m.agenda_session_name_missing(), { title: m.agenda_fill_in() });
	if (!SESSION_KINDS.includes(input.kind as SessionKind)) throw new InvalidInput(m.agenda_pick_kind(), { kind: m.agenda_choose() });
	const limits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
	const limitProblem = checkLimits(limits);
	if (limitProblem) throw new InvalidInput(limitProblem);
	let facilitatorId: string | null = null;
	if (input.facilitatorLogin?.trim()) {
		const [u] = await database.db
			.select({ id: users.id })
			.from(users)
			.where(eq(users.login, normaliseLogin(input.facilitatorLogin) ?? input.facilitatorLogin.trim().toLowerCase()))
			.limit(1);
		if (!u) throw new InvalidInput(m.agenda_no_facilitator(), { facilitator: m.agenda_facilitator_field() });
		facilitatorId = u.id;
	}
	let concern: typeof concerns.$inferSelect | null = null;
	if (input.concernId) {
		[concern] = await database.db.select().from(concerns).where(eq(concerns.id, input.concernId)).limit(1);
		if (!concern) throw new NotFound(m.agenda_concern_not_found());
		if (concern.status !== 'accepted') throw new RuleBroken(m.agenda_concern_not_accepted());
	}
	const sessionId = input.id ?? newId();
	const now = clock.now();
	try {
		await database.write(async (tx) => {
			await tx.insert(delibSessions).values({
				id: sessionId,
				title,
				kind: input.kind as SessionKind,
				compoundIds: JSON.stringify(compoundIds),
				concernId: concern?.id ?? null,
				facilitatorId,
				phase: 'agenda',
				maxTurns: limits.maxTurns,
				maxChars: limits.maxChars,
				speakSeconds: limits.speakSeconds,
				createdBy: actor.userId,
				createdAt: now
			});
			await tx.insert(sessionPhaseLog).values({ id: newId(), sessionId, phase: 'agenda', actorId: actor.userId, at: now });
			if (facilitatorId) await grantFacilitator(tx, sessionId, facilitatorId, actor.userId);
			if (concern) {
				await notify(
					tx,
					[concern.raisedBy],
					{ kind: 'agenda', title: `您的议题进入协商会：${title}`, href: `/sessions/${sessionId}` },
					actor.userId
				);
			}
			await audit(tx, {
				actorId: actor.userId,
				action: 'session.create',
				subjectType: 'session',
				subjectId: sessionId,
				detail: { compoundIds, kind: input.kind, concernId: concern?.id }
			});
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(m.agenda_session_exists());
		throw e;
	}
	return { sessionId };
}

async function grantFacilitator(tx: Tx, sessionId: string, userId: string, by: string) {
	await tx
		.insert(roleGrants)
		.values({ id: newId(), userId, role: 'facilitator', scopeId: sessionId, grantedBy: by, grantedAt: clock.now() })
		.onConflictDoNothing();
}

/** Every agenda change bumps the revision, which voids earlier sign-offs: each convenor signs what is published. */
export async function bumpRevision(tx: Tx, session: SessionRow): Promise<void> {
	const done = await tx
		.update(delibSessions)
		.set({ agendaRevision: session.agendaRevision + 1 })
		.where(
			and(
				eq(delibSessions.id, session.id),
				eq(delibSessions.agendaRevision, session.agendaRevision),
				isNull(delibSessions.agendaPublishedAt)
			)
		)
		.returning({ id: delibSessions.id });
	if (done.length === 0) throw new RuleBroken(m.agenda_changed_reload());
}

/** An agenda change, inside its write: the revision moves on (bumpRevision) and the audit log says who changed what. */
export async function agendaChanged(tx: Tx, session: SessionRow, actor: Actor, action: string, detail: unknown): Promise<void> {
	await bumpRevision(tx, session);
	await audit(tx, { actorId: actor.userId, action, subjectType: 'session', subjectId: session.id, detail });
}

/** The session, if the actor may still change its agenda: before publication, in a phase that allows editing. */
export async function editableSession(database: Database, actor: Actor, sessionId: string): Promise<SessionRow> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	if (session.agendaPublishedAt !== null) throw new RuleBroken(m.agenda_published_locked());
	requirePhase(session, 'agenda.edit');
	return session;
}

/** 召集方: a 小区 (its 业委会 signs), a 居委 (its staff), a 片区 (its coordinator). */
export async function addConvenor(database: Database, actor: Actor, sessionId: string, nodeId: string): Promise<void> {
	const session = await editableSession(database, actor, sessionId);
	const [node] = await database.db
		.select({ id: orgNodes.id, kind: orgNodes.kind })
		.from(orgNodes)
		.where(eq(orgNodes.id, nodeId))
		.limit(1);
	if (!node || node.kind === 'building') throw new InvalidInput(m.agenda_pick_convenor(), { convenor: m.agenda_choose() });
	await database.write(async (tx) => {
		const [{ n }] = await tx
			.select({ n: max(sessionConvenors.position) })
			.from(sessionConvenors)
			.where(eq(sessionConvenors.sessionId, sessionId));
		const added = await tx
			.insert(sessionConvenors)
			.values({ sessionId, nodeId, position: (n ?? 0) + 1 })
			.onConflictDoNothing()
			.returning({ nodeId: sessionConvenors.nodeId });
		if (added.length === 0) throw new RuleBroken(m.agenda_convenor_listed());
		await agendaChanged(tx, session, actor, 'session.convenor', { nodeId });
	});
}

export interface TimetableRow {
	phase: Phase;
	startsOn: string;
	endsOn: string;
}

/** 时间表: planned dates per phase, printed on the notice. */
export async function setTimetable(database: Database, actor: Actor, sessionId: string, typed: TimetableRow[]): Promise<void> {
	const session = await editableSession(database, actor, sessionId);
	const rows = typed.map((r) => ({ ...r, startsOn: r.startsOn.trim(), endsOn: r.endsOn.trim() }));
	for (const r of rows) {
		if (!isPhase(r.phase)) throw new InvalidInput(m.agenda_bad_phase());
		if (!r.startsOn || !r.endsOn)
			throw new InvalidInput(m.agenda_phase_dates_missing({ phase: PHASE_LABELS[r.phase] }), { [r.phase]: m.agenda_fill_in() });
		requireChinaDay(r.startsOn, r.phase, m.agenda_phase_start({ phase: PHASE_LABELS[r.phase] }));
		requireChinaDay(r.endsOn, r.phase, m.agenda_phase_end({ phase: PHASE_LABELS[r.phase] }));
		if (r.endsOn < r.startsOn)
			throw new InvalidInput(m.agenda_phase_end_before_start({ phase: PHASE_LABELS[r.phase] }), {
				[r.phase]: m.agenda_dates_order()
			});
	}
	const ordered = [...rows].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
	for (let i = 1; i < ordered.length; i++) {
		if (ordered[i].startsOn < ordered[i - 1].endsOn)
			throw new InvalidInput(
				m.agenda_phase_overlap({ phase: PHASE_LABELS[ordered[i].phase], previous: PHASE_LABELS[ordered[i - 1].phase] })
			);
	}
	await database.write(async (tx) => {
		await tx.delete(sessionTimetable).where(eq(sessionTimetable.sessionId, sessionId));
		if (ordered.length) await tx.insert(sessionTimetable).values(ordered.map((r) => ({ sessionId, ...r })));
		await agendaChanged(tx, session, actor, 'session.timetable', ordered);
	});
}

/** 条块约请: invite a department (交警、房管局 …). */
export async function inviteDepartment(
	database: Database,
	actor: Actor,
	sessionId: string,
	name: string
): Promise<{ departmentId: string }> {
	await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	const clean = (name ?? '').trim();
	if (!clean || charCount(clean) > 60) throw new InvalidInput(m.agenda_department_missing(), { department: m.agenda_fill_in() });
	const departmentId = newId();
	await database.write(async (tx) => {
		await tx
			.insert(sessionDepartments)
			.values({ id: departmentId, sessionId, name: clean, invitedBy: actor.userId, invitedAt: clock.now() });
		await audit(tx, {
			actorId: actor.userId,
			action: 'session.department',
			subjectType: 'session',
			subjectId: sessionId,
			detail: { name: clean }
		});
	});
	return { departmentId };
}

/** Attaches a department's written response (书面回复), once; a correction is a new invitation. */
export async function recordDepartmentResponse(database: Database, actor: Actor, departmentId: string, response: string): Promise<void> {
	const [dept] = await database.db.select().from(sessionDepartments).where(eq(sessionDepartments.id, departmentId)).limit(1);
	if (!dept) throw new NotFound(m.agenda_department_not_found());
	const { session } = await requireSessionAccess(database, actor, dept.sessionId, 'agenda.manage');
	const text = (response ?? '').trim();
	if (!text || charCount(text) > 5000) throw new InvalidInput(m.agenda_response_missing(), { response: m.agenda_fill_in() });
	await database.write((tx) =>
		changeOnce(
			tx,
			tx
				.update(sessionDepartments)
				.set({ response: text, respondedAt: clock.now(), recordedBy: actor.userId })
				.where(and(eq(sessionDepartments.id, departmentId), isNull(sessionDepartments.response)))
				.returning({ id: sessionDepartments.id }),
			new RuleBroken(m.agenda_response_recorded()),
			{
				actorId: actor.userId,
				action: 'session.department_response',
				subjectType: 'session',
				subjectId: session.id,
				detail: { departmentId }
			}
		)
	);
}
