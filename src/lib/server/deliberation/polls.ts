/**
 * 意见征询: advisory polls open to every resident of the participating compounds, tenants
 * included, one answer each. Counted per compound and pooled, always labelled advisory.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { ADVISORY_LABEL, percent, tallyAdvisory, type AdvisoryTally } from '../../domain/deliberation/index.ts';
import { m } from '../../paraglide/messages.js';
import type { Database } from '../db/client.ts';
import { advisoryAnswers, advisoryPolls } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { charCount, homeIn, nodeNames, parseIds, requirePhase, requireSessionAccess, sessionAudience } from '../agenda/common.ts';
import { notify, remind } from '../notifications/inbox.ts';

export async function createAdvisoryPoll(
	database: Database,
	actor: Actor,
	sessionId: string,
	input: { question: string; options: string[] }
): Promise<{ pollId: string }> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	requirePhase(session, 'polls');
	const question = (input.question ?? '').trim();
	const options = (input.options ?? []).map((o) => o.trim()).filter(Boolean);
	if (!question || charCount(question) > 200)
		throw new InvalidInput(m.delib_poll_question_missing(), { question: m.delib_please_fill() });
	if (options.length < 2 || options.length > 8)
		throw new InvalidInput(m.delib_poll_option_count(), { options: m.delib_poll_option_count_field() });
	if (new Set(options).size !== options.length)
		throw new InvalidInput(m.delib_poll_option_repeat(), { options: m.delib_poll_option_repeat_field() });
	if (options.some((o) => charCount(o) > 60)) throw new InvalidInput(m.delib_poll_option_too_long(), { options: m.delib_too_long() });
	const pollId = newId();
	await database.write(async (tx) => {
		await tx
			.insert(advisoryPolls)
			.values({ id: pollId, sessionId, question, options: JSON.stringify(options), createdBy: actor.userId, createdAt: clock.now() });
		await audit(tx, {
			actorId: actor.userId,
			action: 'poll.create',
			subjectType: 'session',
			subjectId: sessionId,
			detail: { pollId, question }
		});
		const audience = await sessionAudience(tx, session);
		await notify(
			tx,
			audience,
			{
				kind: 'poll',
				title: `意见征询：${question}`,
				body: ADVISORY_LABEL,
				href: `/sessions/${sessionId}/polls#poll-${pollId}`,
				dedupeKey: `poll:${pollId}`
			},
			actor.userId
		);
	});
	return { pollId };
}

async function loadPoll(database: Database, pollId: string): Promise<typeof advisoryPolls.$inferSelect> {
	const [poll] = await database.db.select().from(advisoryPolls).where(eq(advisoryPolls.id, pollId)).limit(1);
	if (!poll) throw new NotFound(m.delib_no_such_poll());
	return poll;
}

export async function answerAdvisoryPoll(database: Database, actor: Actor, pollId: string, option: number): Promise<void> {
	const poll = await loadPoll(database, pollId);
	const { session } = await requireSessionAccess(database, actor, poll.sessionId, 'deliberation.participate');
	requirePhase(session, 'polls');
	if (poll.closedAt !== null) throw new RuleBroken(m.delib_poll_over());
	const options = parseIds(poll.options);
	if (!Number.isInteger(option) || option < 0 || option >= options.length)
		throw new InvalidInput(m.delib_poll_pick(), { option: m.delib_please_choose() });
	const home = homeIn(actor, parseIds(session.compoundIds));
	if (!home) throw new RuleBroken(m.delib_poll_members_only());
	try {
		await database.write(async (tx) => {
			await tx.insert(advisoryAnswers).values({ pollId, userId: actor.userId, compoundId: home.compoundId, option, at: clock.now() });
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(m.delib_poll_answered_already());
		throw e;
	}
}

export interface PollView {
	id: string;
	question: string;
	options: string[];
	tally: AdvisoryTally;
	rows: { name: string; total: number; cells: { count: number; percent: number }[] }[];
	answered: number | null;
	closed: boolean;
}

export async function advisoryResult(database: Database, actor: Actor, pollId: string): Promise<PollView> {
	const poll = await loadPoll(database, pollId);
	const { session } = await requireSessionAccess(database, actor, poll.sessionId, 'deliberation.participate', 'agenda.manage');
	const compoundIds = parseIds(session.compoundIds);
	const options = parseIds(poll.options);
	const answers = await database.db.select().from(advisoryAnswers).where(eq(advisoryAnswers.pollId, pollId));
	const tally = tallyAdvisory(compoundIds, options.length, answers);
	const names = await nodeNames(database.db, compoundIds);
	const row = (name: string, c: AdvisoryTally['pooled']) => ({
		name,
		total: c.total,
		cells: c.counts.map((n) => ({ count: n, percent: percent(n, c.total) }))
	});
	return {
		id: poll.id,
		question: poll.question,
		options,
		tally,
		rows: [...tally.perCompound.map((c) => row(names.get(c.compoundId!)?.name ?? '', c)), row(m.delib_poll_total(), tally.pooled)],
		answered: answers.find((a) => a.userId === actor.userId)?.option ?? null,
		closed: poll.closedAt !== null
	};
}

export async function sessionPolls(database: Database, actor: Actor, sessionId: string): Promise<PollView[]> {
	const polls = await database.db
		.select({ id: advisoryPolls.id })
		.from(advisoryPolls)
		.where(eq(advisoryPolls.sessionId, sessionId))
		.orderBy(asc(advisoryPolls.createdAt));
	const out: PollView[] = [];
	for (const p of polls) out.push(await advisoryResult(database, actor, p.id));
	return out;
}

/** 结束征询: no more answers; the result stays readable, still labelled advisory. */
export async function closeAdvisoryPoll(database: Database, actor: Actor, pollId: string): Promise<void> {
	const poll = await loadPoll(database, pollId);
	const { session } = await requireSessionAccess(database, actor, poll.sessionId, 'agenda.manage');
	await database.write((tx) =>
		changeOnce(
			tx,
			tx
				.update(advisoryPolls)
				.set({ closedAt: clock.now() })
				.where(and(eq(advisoryPolls.id, pollId), isNull(advisoryPolls.closedAt)))
				.returning({ id: advisoryPolls.id }),
			new RuleBroken(m.delib_poll_over_already()),
			{ actorId: actor.userId, action: 'poll.close', subjectType: 'session', subjectId: session.id, detail: { pollId } }
		)
	);
}

/** Reminds residents who have not answered (once per poll). */
export async function remindPoll(database: Database, actor: Actor, pollId: string): Promise<number> {
	const poll = await loadPoll(database, pollId);
	const { session } = await requireSessionAccess(database, actor, poll.sessionId, 'agenda.manage');
	if (poll.closedAt !== null) throw new RuleBroken(m.delib_poll_over_no_remind());
	const audience = await sessionAudience(database.db, session);
	const acted = (
		await database.db.select({ userId: advisoryAnswers.userId }).from(advisoryAnswers).where(eq(advisoryAnswers.pollId, pollId))
	).map((r) => r.userId);
	return database.write((tx) =>
		remind(tx, audience, acted, {
			kind: 'reminder',
			title: `还没回答的征询：${poll.question}`,
			body: ADVISORY_LABEL,
			href: `/sessions/${session.id}/polls#poll-${pollId}`,
			dedupeKey: `remind:poll:${pollId}`
		})
	);
}
