/**
 * 讨论: arguments tagged 支持 / 反对 / 补充 with the author's compound shown, replies, the pro/con
 * view, and the facilitator's tools: turn and length limits per item, hiding a post with a public
 * reason. A hidden post is never deleted: the moderation log keeps who hid it and why.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { checkHideReason, checkTurn, isStance, stanceLabel, type Stance, type TurnLimits } from '../../domain/deliberation/index.ts';
import { m } from '../../paraglide/messages.js';
import type { Database } from '../db/client.ts';
import { rowsForIds } from '../db/where-in.ts';
import { debatePosts, moderationActions } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import {
	homeIn,
	limitsOf,
	loadItem,
	nodeNames,
	parseIds,
	requirePhase,
	requireSessionAccess,
	roleLabelOf,
	userNames
} from '../agenda/common.ts';
import { notify } from '../notifications/inbox.ts';

async function openItem(database: Database, actor: Actor, itemId: string) {
	const item = await loadItem(database.db, itemId);
	const { session } = await requireSessionAccess(database, actor, item.sessionId, 'deliberation.participate');
	if (session.agendaPublishedAt === null) throw new RuleBroken(m.delib_after_agenda());
	requirePhase(session, 'debate.post');
	return { item, session };
}

/**
 * One post, under the turn limit. The count and the insert run in one write task, and the write
 * queue runs tasks one at a time, so two quick posts cannot both slip under the limit.
 */
async function post(
	database: Database,
	actor: Actor,
	itemId: string,
	input: { stance: Stance | null; body: string; parentId: string | null }
): Promise<{ postId: string }> {
	const { item, session } = await openItem(database, actor, itemId);
	const limits = limitsOf(session, item);
	const home = homeIn(actor, parseIds(session.compoundIds));
	const postId = newId();
	await database.write(async (tx) => {
		const [{ n }] = await tx
			.select({ n: sql<number>`count(*)` })
			.from(debatePosts)
			.where(and(eq(debatePosts.itemId, itemId), eq(debatePosts.authorId, actor.userId)));
		const refusal = checkTurn(Number(n), input.body ?? '', limits);
		if (refusal) throw new RuleBroken(refusal, 'turn_limit');
		await tx.insert(debatePosts).values({
			id: postId,
			sessionId: session.id,
			itemId,
			parentId: input.parentId,
			authorId: actor.userId,
			compoundId: home?.compoundId ?? null,
			roleLabel: home ? null : roleLabelOf(actor, session.id),
			stance: input.stance,
			body: input.body.trim(),
			createdAt: clock.now()
		});
		await audit(tx, {
			actorId: actor.userId,
			action: input.parentId ? 'debate.reply' : 'debate.argue',
			subjectType: 'agenda_item',
			subjectId: itemId,
			detail: { postId, stance: input.stance }
		});
		if (input.parentId) {
			const [parent] = await tx
				.select({ authorId: debatePosts.authorId })
				.from(debatePosts)
				.where(eq(debatePosts.id, input.parentId));
			if (parent)
				await notify(
					tx,
					[parent.authorId],
					{
						kind: 'debate',
						title: `有人回复了您在“${item.title}”的发言`,
						href: `/sessions/${session.id}/items/${itemId}#p-${input.parentId}`
					},
					actor.userId
				);
		}
	});
	return { postId };
}

/** 发表意见: an argument with a stance. */
export async function postArgument(
	database: Database,
	actor: Actor,
	itemId: string,
	input: { stance: string; body: string }
): Promise<{ postId: string }> {
	if (!isStance(input.stance)) throw new InvalidInput(m.delib_pick_stance(), { stance: m.delib_please_choose() });
	return post(database, actor, itemId, { stance: input.stance, body: input.body ?? '', parentId: null });
}

/** 回复: counts against the same per-person turn limit as arguments. */
export async function replyToArgument(database: Database, actor: Actor, parentId: string, body: string): Promise<{ postId: string }> {
	const [parent] = await database.db
		.select({ itemId: debatePosts.itemId, parentId: debatePosts.parentId })
		.from(debatePosts)
		.where(eq(debatePosts.id, parentId))
		.limit(1);
	if (!parent) throw new NotFound(m.delib_no_such_post());
	// Replies stay one level deep: a reply to a reply attaches to the same argument.
	return post(database, actor, parent.itemId, { stance: null, body: body ?? '', parentId: parent.parentId ?? parentId });
}

/** 隐藏发言: the facilitator hides a post with a public reason. Logged; the text is kept, never deleted. */
export async function hidePost(database: Database, actor: Actor, postId: string, reason: string): Promise<void> {
	await moderatePost(database, actor, postId, reason, 'hide');
}

/** 恢复发言: undoes a hide, also logged with a reason. */
export async function restorePost(database: Database, actor: Actor, postId: string, reason: string): Promise<void> {
	await moderatePost(database, actor, postId, reason, 'restore');
}

/**
 * Appends one moderation action (never edits the post). The latest action decides whether the post is hidden now,
 * so hiding a hidden post or restoring a shown one is refused; only a hide tells the author.
 */
async function moderatePost(database: Database, actor: Actor, postId: string, reason: string, action: 'hide' | 'restore'): Promise<void> {
	const [row] = await database.db.select().from(debatePosts).where(eq(debatePosts.id, postId)).limit(1);
	if (!row) throw new NotFound(m.delib_no_such_post());
	await requireSessionAccess(database, actor, row.sessionId, 'deliberation.moderate');
	const refusal = checkHideReason(reason ?? '', action);
	if (refusal) throw new InvalidInput(refusal, { reason: refusal });
	await database.write(async (tx) => {
		const [latest] = await tx
			.select({ action: moderationActions.action })
			.from(moderationActions)
			.where(eq(moderationActions.postId, postId))
			.orderBy(sql`${moderationActions.at} desc, rowid desc`)
			.limit(1);
		if (action === 'hide' && latest?.action === 'hide') throw new RuleBroken(m.delib_already_hidden());
		if (action === 'restore' && latest?.action !== 'hide') throw new RuleBroken(m.delib_not_hidden());
		await tx.insert(moderationActions).values({
			id: newId(),
			sessionId: row.sessionId,
			postId,
			action,
			reason: reason.trim(),
			actorId: actor.userId,
			at: clock.now()
		});
		await audit(tx, {
			actorId: actor.userId,
			action: `debate.${action}`,
			subjectType: 'debate_post',
			subjectId: postId,
			detail: { reason: reason.trim() }
		});
		if (action !== 'hide') return;
		await notify(
			tx,
			[row.authorId],
			{
				kind: 'debate',
				title: '您的一条发言被主持人隐藏',
				body: `理由：${reason.trim()}`,
				href: `/sessions/${row.sessionId}/items/${row.itemId}#p-${postId}`
			},
			actor.userId
		);
	});
}

export interface PostView {
	id: string;
	stance: Stance | null;
	stanceLabel: string | null;
	author: string;
	/** The author's compound (小区) or, without one, their role. */
	from: string;
	body: string | null;
	hidden: { reason: string; at: number } | null;
	createdAt: number;
	mine: boolean;
	replies: PostView[];
}

export interface DebateView {
	item: { id: string; title: string; question: string; sessionId: string };
	limits: TurnLimits;
	turnsUsed: number;
	arguments: PostView[];
	/** 正反方: arguments by stance, counted per compound. */
	columns: { stance: Stance; label: string; posts: PostView[]; byCompound: { compound: string; count: number }[] }[];
	/** People of the session who have posted on this item, and how often: the facilitator's overview. */
	speakers: { name: string; from: string; turns: number }[];
	may: { post: boolean; moderate: boolean };
	closedReason: string | null;
}

export async function itemDebate(database: Database, actor: Actor, itemId: string): Promise<DebateView> {
	const item = await loadItem(database.db, itemId);
	const { session, target } = await requireSessionAccess(
		database,
		actor,
		item.sessionId,
		'deliberation.participate',
		'agenda.manage',
		'deliberation.moderate'
	);
	const participate = decide(actor, 'deliberation.participate', target).allowed;
	const moderate = decide(actor, 'deliberation.moderate', target).allowed;
	const rows = await database.db
		.select()
		.from(debatePosts)
		.where(eq(debatePosts.itemId, itemId))
		.orderBy(asc(debatePosts.createdAt), asc(sql`rowid`));
	const mods = await rowsForIds(
		rows.map((r) => r.id),
		(ids) =>
			database.db
				.select()
				.from(moderationActions)
				.where(inArray(moderationActions.postId, ids))
				.orderBy(asc(moderationActions.at), asc(sql`rowid`))
	);
	const latestMod = new Map<string, (typeof mods)[number]>();
	for (const m of mods) latestMod.set(m.postId, m);
	const names = await userNames(
		database.db,
		rows.map((r) => r.authorId)
	);
	const compounds = await nodeNames(
		database.db,
		rows.map((r) => r.compoundId).filter((x): x is string => !!x)
	);
	const view = (r: (typeof rows)[number]): PostView => {
		const mod = latestMod.get(r.id);
		const hidden = mod?.action === 'hide' ? { reason: mod.reason, at: mod.at } : null;
		return {
			id: r.id,
			stance: r.stance,
			stanceLabel: r.stance ? stanceLabel(r.stance) : null,
			author: names.get(r.authorId) ?? m.delib_resident(),
			from: r.compoundId ? (compounds.get(r.compoundId)?.name ?? '') : (r.roleLabel ?? ''),
			body: hidden && !moderate ? null : r.body,
			hidden,
			createdAt: r.createdAt,
			mine: r.authorId === actor.userId,
			replies: []
		};
	};
	const top = rows.filter((r) => !r.parentId).map(view);
	const byId = new Map(top.map((p) => [p.id, p]));
	for (const r of rows.filter((r) => r.parentId)) byId.get(r.parentId!)?.replies.push(view(r));
	const limits = limitsOf(session, item);
	const turnsUsed = rows.filter((r) => r.authorId === actor.userId).length;
	const columns = (['pro', 'con', 'info'] as const).map((stance) => {
		const posts = top.filter((p) => p.stance === stance);
		const counts = new Map<string, number>();
		for (const p of posts.filter((p) => !p.hidden)) counts.set(p.from, (counts.get(p.from) ?? 0) + 1);
		return { stance, label: stanceLabel(stance), posts, byCompound: [...counts].map(([compound, count]) => ({ compound, count })) };
	});
	const speakerMap = new Map<string, { name: string; from: string; turns: number }>();
	for (const r of rows) {
		const s = speakerMap.get(r.authorId) ?? {
			name: names.get(r.authorId) ?? m.delib_resident(),
			from: r.compoundId ? (compounds.get(r.compoundId)?.name ?? '') : (r.roleLabel ?? ''),
			turns: 0
		};
		s.turns++;
		speakerMap.set(r.authorId, s);
	}
	let closedReason: string | null = null;
	if (session.agendaPublishedAt === null) closedReason = m.delib_after_agenda();
	else if (!['deliberation', 'drafting'].includes(session.phase)) closedReason = m.delib_debate_closed();
	return {
		item: { id: item.id, title: item.title, question: item.question, sessionId: session.id },
		limits,
		turnsUsed,
		arguments: top,
		columns,
		speakers: [...speakerMap.values()].sort((a, b) => a.turns - b.turns),
		may: { post: participate && closedReason === null, moderate },
		closedReason
	};
}

export interface ModerationEntry {
	id: string;
	action: 'hide' | 'restore';
	reason: string;
	actor: string;
	at: number;
	post: { id: string; itemId: string; itemTitle: string; author: string };
}

/** 管理记录: every hide and restore in a session, public to its participants. */
export async function moderationLog(database: Database, actor: Actor, sessionId: string): Promise<ModerationEntry[]> {
	await requireSessionAccess(database, actor, sessionId, 'deliberation.participate', 'agenda.manage');
	const rows = await database.db
		.select()
		.from(moderationActions)
		.where(eq(moderationActions.sessionId, sessionId))
		.orderBy(asc(moderationActions.at), asc(sql`rowid`));
	if (rows.length === 0) return [];
	const posts = await database.db
		.select({ id: debatePosts.id, itemId: debatePosts.itemId, authorId: debatePosts.authorId })
		.from(debatePosts)
		.where(
			inArray(
				debatePosts.id,
				rows.map((r) => r.postId)
			)
		);
	const items = await database.db.query.agendaItems.findMany({
		where: (t, { inArray: inA }) => inA(t.id, [...new Set(posts.map((p) => p.itemId))])
	});
	const names = await userNames(database.db, [...rows.map((r) => r.actorId), ...posts.map((p) => p.authorId)]);
	return rows.map((r) => {
		const p = posts.find((x) => x.id === r.postId)!;
		return {
			id: r.id,
			action: r.action,
			reason: r.reason,
			actor: names.get(r.actorId) ?? '',
			at: r.at,
			post: {
				id: p.id,
				itemId: p.itemId,
				itemTitle: items.find((i) => i.id === p.itemId)?.title ?? '',
				author: names.get(p.authorId) ?? ''
			}
		};
	});
}
