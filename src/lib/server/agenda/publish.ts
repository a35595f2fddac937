/** 签字与公布: each convenor signs the current revision, then the agenda is published and the phases advance. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import {
	PHASE_MESSAGES,
	SIGNING_ROLE,
	checkAdvance,
	convenorName,
	isPhase,
	missingSignOffs,
	type Phase
} from '../../domain/agenda/index.ts';
import type { Database } from '../db/client.ts';
import { agendaItems, agendaSignOffs, delibSessions, orgNodes, sessionConvenors, sessionPhaseLog } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { notify, remind } from '../notifications/inbox.ts';
import { grantHolders, loadSession, requirePhase, requireSessionAccess, sessionAudience } from './common.ts';
import { m } from '../../paraglide/messages.js';

/** The convenors the actor may sign for (policy agenda.signoff): the kind's signing role, granted for exactly that organisation. */
export function signsFor(actor: Actor, convenor: { nodeId: string; kind: string }): boolean {
	const role = SIGNING_ROLE[convenor.kind as keyof typeof SIGNING_ROLE];
	return role !== undefined && decide(actor, 'agenda.signoff', { compounds: [], convenor: { nodeId: convenor.nodeId, role } }).allowed;
}

/** 召集方签字: one convenor approves the current agenda revision. */
export async function signOffAgenda(database: Database, actor: Actor, sessionId: string, convenorNodeId: string): Promise<void> {
	const session = await loadSession(database.db, sessionId);
	const convenors = await convenorsOf(database, sessionId);
	const convenor = convenors.find((c) => c.nodeId === convenorNodeId);
	if (!convenor) throw new NotFound(m.agenda_not_convenor());
	if (!signsFor(actor, convenor)) throw new AccessDenied(m.agenda_only_convenor_signs({ name: convenor.name }));
	if (session.agendaPublishedAt !== null) throw new RuleBroken(m.agenda_published_no_signing());
	requirePhase(session, 'agenda.signoff');
	const items = await database.db.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.sessionId, sessionId));
	if (items.length === 0) throw new RuleBroken(m.agenda_no_items_to_sign());
	try {
		await database.write(async (tx) => {
			await tx.insert(agendaSignOffs).values({
				id: newId(),
				sessionId,
				convenorNodeId,
				revision: session.agendaRevision,
				userId: actor.userId,
				at: clock.now()
			});
			// The revision must still be the one signed: an edit in between voids this sign-off.
			const [now] = await tx.select({ r: delibSessions.agendaRevision }).from(delibSessions).where(eq(delibSessions.id, sessionId));
			if (now.r !== session.agendaRevision) throw new RuleBroken(m.agenda_changed_read_again());
			await audit(tx, {
				actorId: actor.userId,
				action: 'agenda.signoff',
				subjectType: 'session',
				subjectId: sessionId,
				detail: { convenorNodeId, revision: session.agendaRevision }
			});
			await notify(
				tx,
				[session.createdBy, ...(session.facilitatorId ? [session.facilitatorId] : [])],
				{ kind: 'signoff', title: `${convenor.name}已签字：${session.title}`, href: `/sessions/${sessionId}` },
				actor.userId
			);
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(m.agenda_already_signed({ name: convenor.name }));
		throw e;
	}
}

/** 公布议程: only when every convenor has signed the current revision. The items are frozen from here on. */
export async function publishAgenda(database: Database, actor: Actor, sessionId: string): Promise<{ publishedAt: number }> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	if (session.agendaPublishedAt !== null) throw new RuleBroken(m.agenda_already_published());
	requirePhase(session, 'agenda.publish');
	const convenors = await convenorsOf(database, sessionId);
	if (convenors.length === 0) throw new RuleBroken(m.agenda_add_convenor_first());
	const items = await database.db.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.sessionId, sessionId));
	if (items.length === 0) throw new RuleBroken(m.agenda_no_items());
	const signed = await signedRevisions(database, sessionId);
	const missing = missingSignOffs(
		convenors.map((c) => c.nodeId),
		signed,
		session.agendaRevision
	);
	if (missing.length) {
		const names = convenors.filter((c) => missing.includes(c.nodeId)).map((c) => c.name);
		throw new RuleBroken(m.agenda_signoffs_missing({ names: names.join(m.agenda_list_separator()) }), 'signoff_missing');
	}
	const now = clock.now();
	await database.write(async (tx) => {
		await changeOnce(
			tx,
			tx
				.update(delibSessions)
				.set({ agendaPublishedAt: now, agendaPublishedBy: actor.userId })
				.where(
					and(
						eq(delibSessions.id, sessionId),
						isNull(delibSessions.agendaPublishedAt),
						eq(delibSessions.agendaRevision, session.agendaRevision)
					)
				)
				.returning({ id: delibSessions.id }),
			new RuleBroken(m.agenda_changed_reload_short()),
			{
				actorId: actor.userId,
				action: 'agenda.publish',
				subjectType: 'session',
				subjectId: sessionId,
				detail: { revision: session.agendaRevision }
			}
		);
		const audience = await sessionAudience(tx, session);
		await notify(
			tx,
			audience,
			{
				kind: 'agenda',
				title: `议程公告：${session.title}`,
				body: '议程已公布，欢迎参加讨论。',
				href: `/sessions/${sessionId}/notice`,
				dedupeKey: `agenda:${sessionId}`
			},
			actor.userId
		);
	});
	return { publishedAt: now };
}

/** 进入下一阶段: forward one step; out of 议题确定 only after publication. */
export async function advancePhase(database: Database, actor: Actor, sessionId: string, to: string): Promise<{ phase: Phase }> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	if (!isPhase(to)) throw new InvalidInput(m.agenda_bad_phase());
	const refusal = checkAdvance(session.phase as Phase, to, session.agendaPublishedAt !== null);
	if (refusal) throw new RuleBroken(refusal, 'phase');
	await database.write(async (tx) => {
		const done = await tx
			.update(delibSessions)
			.set({ phase: to })
			.where(and(eq(delibSessions.id, sessionId), eq(delibSessions.phase, session.phase)))
			.returning({ id: delibSessions.id });
		if (done.length === 0) throw new RuleBroken(m.agenda_phase_raced());
		await tx.insert(sessionPhaseLog).values({ id: newId(), sessionId, phase: to, actorId: actor.userId, at: clock.now() });
		await audit(tx, {
			actorId: actor.userId,
			action: 'session.phase',
			subjectType: 'session',
			subjectId: sessionId,
			detail: { from: session.phase, to }
		});
		const audience = await sessionAudience(tx, session);
		await notify(
			tx,
			audience,
			{
				kind: 'agenda',
				title: `${session.title}进入“${PHASE_MESSAGES[to]({}, { locale: 'zh-CN' })}”阶段`,
				href: `/sessions/${sessionId}`,
				dedupeKey: `phase:${sessionId}:${to}`
			},
			actor.userId
		);
	});
	return { phase: to };
}

/** Reminds each convenor that has not signed the current revision (once per revision). */
export async function remindSignOffs(database: Database, actor: Actor, sessionId: string): Promise<number> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	const convenors = await convenorsOf(database, sessionId);
	const missing = missingSignOffs(
		convenors.map((c) => c.nodeId),
		await signedRevisions(database, sessionId),
		session.agendaRevision
	);
	return database.write(async (tx) => {
		let sent = 0;
		for (const c of convenors.filter((c) => missing.includes(c.nodeId))) {
			const role = SIGNING_ROLE[c.kind as keyof typeof SIGNING_ROLE];
			const holders = role === 'admin' ? [] : await grantHolders(tx, role, [c.nodeId]);
			sent += await remind(tx, holders, [], {
				kind: 'reminder',
				title: `请为议程签字：${session.title}`,
				body: `${c.name}尚未签字，议程公布前需要每个召集方签字。`,
				href: `/sessions/${sessionId}`,
				dedupeKey: `remind:signoff:${sessionId}:${session.agendaRevision}:${c.nodeId}`
			});
		}
		return sent;
	});
}

export async function convenorsOf(database: Database, sessionId: string): Promise<{ nodeId: string; kind: string; name: string }[]> {
	const rows = await database.db
		.select({ nodeId: sessionConvenors.nodeId, kind: orgNodes.kind, name: orgNodes.name })
		.from(sessionConvenors)
		.innerJoin(orgNodes, eq(orgNodes.id, sessionConvenors.nodeId))
		.where(eq(sessionConvenors.sessionId, sessionId))
		.orderBy(asc(sessionConvenors.position));
	return rows.map((r) => ({ ...r, name: convenorName(r.kind, r.name) }));
}

export async function signedRevisions(database: Database, sessionId: string): Promise<Map<string, number>> {
	const rows = await database.db
		.select({ nodeId: agendaSignOffs.convenorNodeId, revision: agendaSignOffs.revision })
		.from(agendaSignOffs)
		.where(eq(agendaSignOffs.sessionId, sessionId));
	const latest = new Map<string, number>();
	for (const r of rows) latest.set(r.nodeId, Math.max(latest.get(r.nodeId) ?? -1, r.revision));
	return latest;
}
