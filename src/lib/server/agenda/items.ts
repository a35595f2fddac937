/** 议程事项: adding, editing and ordering the items of an agenda, and what a vote may be taken on. */
import { asc, eq, max } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { DECIDING_RULES, type DecidingRule, type Phase } from '../../domain/agenda/index.ts';
import { checkLimits, type TurnLimits } from '../../domain/deliberation/debate.ts';
import type { Database } from '../db/client.ts';
import { agendaItemImpacts, agendaItems, delibSessions } from '../db/schema/index.ts';
import { InvalidInput, RuleBroken } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { charCount, loadItem, parseIds, requireSessionAccess, type SessionRow } from './common.ts';
import { agendaChanged, editableSession } from './sessions.ts';
import { m } from '../../paraglide/messages.js';

export interface AgendaItemInput {
	title: string;
	question: string;
	rule: string;
	background?: string;
	/** The concern the item frames (only the session's own). */
	concernId?: string | null;
	/** 成本收益 per participating compound. */
	impacts?: { compoundId: string; costs: string; benefits: string }[];
}

/** The checked fields of an item, or InvalidInput naming each problem (add and edit alike). */
function checkedItem(session: SessionRow, input: AgendaItemInput) {
	const compoundIds = parseIds(session.compoundIds);
	const title = (input.title ?? '').trim();
	const question = (input.question ?? '').trim();
	const fields: Record<string, string> = {};
	if (!title || charCount(title) > 80) fields.title = m.agenda_item_title_missing();
	if (!question || charCount(question) > 500) fields.question = m.agenda_item_question_missing();
	if (!DECIDING_RULES.includes(input.rule as DecidingRule)) fields.rule = m.agenda_item_rule_missing();
	if (charCount(input.background ?? '') > 5000) fields.background = m.agenda_item_background_long();
	for (const i of input.impacts ?? []) if (!compoundIds.includes(i.compoundId)) fields.impacts = m.agenda_item_impacts_outside();
	if (Object.keys(fields).length) throw new InvalidInput(Object.values(fields)[0], fields);
	const impacts = (input.impacts ?? [])
		.filter((i) => i.costs.trim() || i.benefits.trim())
		.map((i) => ({ compoundId: i.compoundId, costs: i.costs.trim().slice(0, 2000), benefits: i.benefits.trim().slice(0, 2000) }));
	return { title, question, rule: input.rule as DecidingRule, background: (input.background ?? '').trim(), impacts };
}

/** 添加议程事项: the exact question, the deciding rule, background, cost/benefit per compound. */
export async function addAgendaItem(
	database: Database,
	actor: Actor,
	sessionId: string,
	input: AgendaItemInput
): Promise<{ itemId: string }> {
	const session = await editableSession(database, actor, sessionId);
	const item = checkedItem(session, input);
	const concernId = input.concernId && input.concernId === session.concernId ? input.concernId : null;
	const itemId = newId();
	await database.write(async (tx) => {
		const [{ n }] = await tx
			.select({ n: max(agendaItems.position) })
			.from(agendaItems)
			.where(eq(agendaItems.sessionId, sessionId));
		await tx.insert(agendaItems).values({
			id: itemId,
			sessionId,
			position: (n ?? 0) + 1,
			title: item.title,
			question: item.question,
			rule: item.rule,
			background: item.background,
			concernId,
			createdAt: clock.now()
		});
		if (item.impacts.length) await tx.insert(agendaItemImpacts).values(item.impacts.map((i) => ({ itemId, ...i })));
		await agendaChanged(tx, session, actor, 'agenda.item', { itemId, title: item.title, rule: item.rule });
	});
	return { itemId };
}

/**
 * 修改议题, before the agenda is published: the same checks as adding. Like any change to the
 * agenda it starts a new revision, so the convenors' sign-offs must be given again.
 */
export async function editAgendaItem(database: Database, actor: Actor, itemId: string, input: AgendaItemInput): Promise<void> {
	const existing = await loadItem(database.db, itemId);
	const session = await editableSession(database, actor, existing.sessionId);
	const item = checkedItem(session, input);
	await database.write(async (tx) => {
		await tx
			.update(agendaItems)
			.set({ title: item.title, question: item.question, rule: item.rule, background: item.background })
			.where(eq(agendaItems.id, itemId));
		await tx.delete(agendaItemImpacts).where(eq(agendaItemImpacts.itemId, itemId));
		if (item.impacts.length) await tx.insert(agendaItemImpacts).values(item.impacts.map((i) => ({ itemId, ...i })));
		await agendaChanged(tx, session, actor, 'agenda.item_edit', {
			itemId,
			before: { title: existing.title, question: existing.question, rule: existing.rule },
			after: { title: item.title, question: item.question, rule: item.rule }
		});
	});
}

/** 调整顺序, before the agenda is published: swaps the item with its neighbour above or below. */
export async function moveAgendaItem(database: Database, actor: Actor, itemId: string, direction: string): Promise<void> {
	if (direction !== 'up' && direction !== 'down') throw new InvalidInput(m.agenda_move_direction());
	const item = await loadItem(database.db, itemId);
	const session = await editableSession(database, actor, item.sessionId);
	await database.write(async (tx) => {
		const items = await tx
			.select({ id: agendaItems.id, position: agendaItems.position })
			.from(agendaItems)
			.where(eq(agendaItems.sessionId, session.id))
			.orderBy(asc(agendaItems.position));
		const at = items.findIndex((i) => i.id === itemId);
		const other = items[direction === 'up' ? at - 1 : at + 1];
		if (at < 0 || !other) throw new RuleBroken(direction === 'up' ? m.agenda_move_first() : m.agenda_move_last());
		const mine = items[at];
		// Positions are unique per session: park this item at 0 (positions start at 1) while swapping.
		await tx.update(agendaItems).set({ position: 0 }).where(eq(agendaItems.id, mine.id));
		await tx.update(agendaItems).set({ position: mine.position }).where(eq(agendaItems.id, other.id));
		await tx.update(agendaItems).set({ position: other.position }).where(eq(agendaItems.id, mine.id));
		await agendaChanged(tx, session, actor, 'agenda.item_move', { itemId, direction });
	});
}

/** Sets an item's per-person limits (facilitator's tool); debate already under way keeps its posts. */
export async function setItemLimits(database: Database, actor: Actor, itemId: string, limits: TurnLimits): Promise<void> {
	const item = await loadItem(database.db, itemId);
	await requireSessionAccess(database, actor, item.sessionId, 'deliberation.moderate');
	const problem = checkLimits(limits);
	if (problem) throw new InvalidInput(problem);
	await database.write(async (tx) => {
		await tx
			.update(agendaItems)
			.set({ maxTurns: limits.maxTurns, maxChars: limits.maxChars, speakSeconds: limits.speakSeconds })
			.where(eq(agendaItems.id, itemId));
		await audit(tx, { actorId: actor.userId, action: 'agenda.limits', subjectType: 'agenda_item', subjectId: itemId, detail: limits });
	});
}

/**
 * For the voting module: refuses unless the agenda item is on a PUBLISHED agenda. No vote on
 * anything that was not in the published agenda (DOMAIN.md §4).
 */
export async function assertVotableAgendaItem(
	database: Database,
	agendaItemId: string | null | undefined
): Promise<{ sessionId: string; rule: DecidingRule; compoundIds: string[]; phase: Phase }> {
	const refusal = () => new RuleBroken(m.agenda_vote_not_on_agenda(), 'not_on_agenda');
	if (!agendaItemId) throw refusal();
	const [row] = await database.db
		.select({
			sessionId: agendaItems.sessionId,
			rule: agendaItems.rule,
			publishedAt: delibSessions.agendaPublishedAt,
			compoundIds: delibSessions.compoundIds,
			phase: delibSessions.phase
		})
		.from(agendaItems)
		.innerJoin(delibSessions, eq(delibSessions.id, agendaItems.sessionId))
		.where(eq(agendaItems.id, agendaItemId))
		.limit(1);
	if (!row || row.publishedAt === null) throw refusal();
	return { sessionId: row.sessionId, rule: row.rule, compoundIds: parseIds(row.compoundIds), phase: row.phase as Phase };
}

/**
 * 发起表决 from an agenda item (the session page's button): access to organise the vote, then the
 * published-agenda rule. Returns where the voting module takes over.
 */
export async function requestVoteOnItem(database: Database, actor: Actor, agendaItemId: string): Promise<{ href: string }> {
	const item = await loadItem(database.db, agendaItemId);
	await requireSessionAccess(database, actor, item.sessionId, 'agenda.manage');
	await assertVotableAgendaItem(database, agendaItemId);
	return { href: `/vote/new?agendaItem=${encodeURIComponent(agendaItemId)}` };
}
