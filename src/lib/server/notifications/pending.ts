/** 待办: what is waiting for a person, computed from the data (the digest's first section). */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Database } from '../db/client.ts';
import { advisoryAnswers, advisoryPolls, delibSessions } from '../db/schema/index.ts';
import { triageQueue } from '../concerns/concerns.ts';
import { listSessions, sessionView } from '../agenda/read.ts';
import { m } from '../../paraglide/messages.js';

export interface PendingAction {
	title: string;
	href: string;
}

export async function pendingActions(database: Database, actor: Actor): Promise<PendingAction[]> {
	const out: PendingAction[] = [];
	for (const c of await triageQueue(database, actor))
		out.push({ title: m.pending_triage({ title: c.title }), href: `/concerns/${c.id}` });
	const sessions = await listSessions(database, actor);
	for (const s of sessions) {
		if (s.published) continue;
		const view = await sessionView(database, actor, s.id);
		for (const c of view.convenors)
			if (c.mine && !c.signedAt) out.push({ title: m.pending_signoff({ name: c.name, title: s.title }), href: `/sessions/${s.id}` });
	}
	const ids = sessions.map((s) => s.id);
	if (ids.length && actor.memberships.length) {
		const open = await database.db
			.select({ id: advisoryPolls.id, question: advisoryPolls.question, sessionId: advisoryPolls.sessionId })
			.from(advisoryPolls)
			.innerJoin(delibSessions, eq(delibSessions.id, advisoryPolls.sessionId))
			.where(and(inArray(advisoryPolls.sessionId, ids), isNull(advisoryPolls.closedAt)));
		const answered = open.length
			? new Set(
					(
						await database.db
							.select({ p: advisoryAnswers.pollId })
							.from(advisoryAnswers)
							.where(
								and(
									eq(advisoryAnswers.userId, actor.userId),
									inArray(
										advisoryAnswers.pollId,
										open.map((p) => p.id)
									)
								)
							)
					).map((r) => r.p)
				)
			: new Set();
		for (const p of open)
			if (!answered.has(p.id))
				out.push({ title: m.pending_poll({ question: p.question }), href: `/sessions/${p.sessionId}/polls#poll-${p.id}` });
	}
	return out;
}
