/**
 * 落实反馈 → 评议 → 销项. Tasks of a decided item, each with a responsible organisation, a due
 * date and appended status updates (with photos, metadata stripped); residents rate the result
 * once every task is done; the 居委 closes the item only when the closure rule allows.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import {
	RATINGS,
	TASK_STATUSES,
	TASK_STATUS_LABELS,
	RATING_LABELS,
	closureCheck,
	dashboardStats,
	daysBetween,
	isOverdue,
	maskPersonalNumbers,
	mayRate,
	type DashboardStats,
	type Rating,
	type TaskStatus
} from '../../domain/records/index.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import {
	followupPhotos,
	followupTasks,
	followupUpdates,
	itemClosures,
	outcomeRatings,
	outcomeRecordPlaces,
	outcomeRecords,
	orgNodes
} from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, NotFound, RuleBroken, refuseDuplicate } from '../errors.ts';
import { cleanPhotos, MAX_PHOTOS } from '../concerns/photos.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { requireChinaDay } from '../util/dates.ts';
import { m } from '../../paraglide/messages.js';
import { newId } from '../util/ids.ts';
import { itemVersionMetas, requireMember, requirePublisher, verifiedDocument, type RecordMeta, type RecordRow } from './common.ts';

/** The item's versions (stamps only; the large texts are not needed here) and its compounds. */
async function itemOf(
	database: Database,
	itemId: string,
	known?: RecordMeta[]
): Promise<{ versions: RecordMeta[]; final: RecordMeta | null; compoundIds: string[] }> {
	const versions = known ?? (await itemVersionMetas(database.db, itemId));
	if (versions.length === 0) throw new NotFound(m.records_error_no_item());
	const final = versions.find((v) => v.stage === 'final') ?? null;
	const { doc } = await verifiedDocument(database.db, versions[0]);
	return { versions, final, compoundIds: doc.content.compounds.map((c) => c.compoundId) };
}

async function closedAt(database: Database, itemId: string): Promise<number | null> {
	const [row] = await database.db
		.select({ at: itemClosures.closedAt })
		.from(itemClosures)
		.where(eq(itemClosures.itemId, itemId))
		.limit(1);
	return row?.at ?? null;
}

function text(value: unknown, field: string, label: string, max: number, required = true): string {
	const v = typeof value === 'string' ? value.trim() : '';
	if (required && v.length === 0)
		throw new InvalidInput(m.records_error_fill_in({ label }), { [field]: m.records_error_field_fill_in() });
	if (v.length > max)
		throw new InvalidInput(m.records_error_too_long({ what: label, max }), { [field]: m.records_error_field_too_long() });
	return v;
}

/** 新建落实任务: once the decision is final (正式公告), by the 居委. */
export async function createTask(
	database: Database,
	actor: Actor,
	input: { itemId: string; title: string; organisation: string; dueDate: string }
): Promise<{ taskId: string }> {
	const item = await itemOf(database, String(input.itemId ?? ''));
	requirePublisher(actor, await compoundScopes(database, item.compoundIds));
	if (!item.final) throw new RuleBroken(m.records_error_tasks_after_final(), 'not_final');
	if ((await closedAt(database, input.itemId)) !== null) throw new RuleBroken(m.records_error_closed_no_tasks());
	const title = text(input.title, 'title', m.records_manage_task_title(), 200);
	const organisation = text(input.organisation, 'organisation', m.records_manage_task_org(), 100);
	const dueDate = String(input.dueDate ?? '').trim();
	if (!dueDate) throw new InvalidInput(m.records_error_choose_due(), { dueDate: m.records_error_field_choose() });
	requireChinaDay(dueDate, 'dueDate', m.records_manage_task_due());
	const taskId = newId();
	const now = clock.now();
	await database.write(async (tx) => {
		await tx
			.insert(followupTasks)
			.values({ id: taskId, itemId: input.itemId, title, organisation, dueDate, createdBy: actor.userId, createdAt: now });
		await tx
			.insert(followupUpdates)
			.values({ id: newId(), taskId, itemId: input.itemId, status: 'planned', note: '任务已安排', by: actor.userId, at: now });
		await audit(tx, {
			actorId: actor.userId,
			action: 'followup.task',
			subjectType: 'item',
			subjectId: input.itemId,
			detail: { taskId, title, organisation, dueDate }
		});
	});
	return { taskId };
}

/** 更新进展: a new status with a note and up to 4 photos; appended, never overwritten. */
export async function updateTask(
	database: Database,
	actor: Actor,
	input: { taskId: string; status: string; note: string; photos?: Uint8Array[] }
): Promise<{ updateId: string }> {
	const [task] = await database.db
		.select()
		.from(followupTasks)
		.where(eq(followupTasks.id, String(input.taskId ?? '')))
		.limit(1);
	if (!task) throw new NotFound(m.records_error_no_task());
	const item = await itemOf(database, task.itemId);
	requirePublisher(actor, await compoundScopes(database, item.compoundIds));
	if ((await closedAt(database, task.itemId)) !== null) throw new RuleBroken(m.records_error_closed_no_updates());
	if (!TASK_STATUSES.includes(input.status as TaskStatus))
		throw new InvalidInput(m.records_error_choose_status(), { status: m.records_error_field_choose() });
	const note = maskPersonalNumbers(text(input.note, 'note', m.records_manage_note(), 1000));
	const photos = (input.photos ?? []).filter((p) => p.length > 0);
	if (photos.length > MAX_PHOTOS)
		throw new InvalidInput(m.records_error_too_many_photos({ max: MAX_PHOTOS }), { photos: m.records_error_field_too_many() });
	const cleaned = await cleanPhotos(photos);
	const updateId = newId();
	const now = clock.now();
	await database.write(async (tx) => {
		await tx.insert(followupUpdates).values({
			id: updateId,
			taskId: task.id,
			itemId: task.itemId,
			status: input.status as TaskStatus,
			note,
			by: actor.userId,
			at: now
		});
		for (const photo of cleaned) {
			await tx.insert(followupPhotos).values({
				id: newId(),
				updateId,
				taskId: task.id,
				mime: photo.contentType,
				bytes: Buffer.from(photo.bytes),
				createdAt: now
			});
		}
		await audit(tx, {
			actorId: actor.userId,
			action: 'followup.update',
			subjectType: 'item',
			subjectId: task.itemId,
			detail: { taskId: task.id, status: input.status, photos: cleaned.length }
		});
	});
	return { updateId };
}

export interface TaskView {
	id: string;
	title: string;
	organisation: string;
	dueDate: string;
	status: TaskStatus;
	statusLabel: string;
	overdue: boolean;
	updates: { id: string; status: TaskStatus; statusLabel: string; note: string; at: number; photoIds: string[] }[];
}

export interface FollowThrough {
	itemId: string;
	final: boolean;
	tasks: TaskView[];
	ratings: { rating: Rating; label: string; count: number }[];
	ratingCount: number;
	comments: { rating: string; ratingKey: Rating; comment: string; at: number }[];
	closedAt: number | null;
	mayRate: boolean;
	closure: { ok: boolean; reasons: string[] };
}

/** The public follow-through of an item: tasks, updates, photo ids, the rating tally, closure. */
/** `versions`: the item's versions when the caller has just read them (saves a query). */
export async function getFollowThrough(database: Database, itemId: string, versions?: RecordMeta[]): Promise<FollowThrough> {
	const item = await itemOf(database, itemId, versions);
	const [tasks, updates, photos, ratings, closed] = await Promise.all([
		database.db
			.select()
			.from(followupTasks)
			.where(eq(followupTasks.itemId, itemId))
			.orderBy(asc(followupTasks.createdAt), asc(followupTasks.id)),
		database.db
			.select()
			.from(followupUpdates)
			.where(eq(followupUpdates.itemId, itemId))
			.orderBy(asc(followupUpdates.at), asc(followupUpdates.id)),
		database.db
			.select({ id: followupPhotos.id, updateId: followupPhotos.updateId })
			.from(followupPhotos)
			.innerJoin(followupTasks, eq(followupTasks.id, followupPhotos.taskId))
			.where(eq(followupTasks.itemId, itemId)),
		database.db.select().from(outcomeRatings).where(eq(outcomeRatings.itemId, itemId)).orderBy(asc(outcomeRatings.at)),
		closedAt(database, itemId)
	]);
	const now = clock.now();
	const views: TaskView[] = tasks.map((t) => {
		const mine = updates.filter((u) => u.taskId === t.id);
		const status = (mine.at(-1)?.status ?? 'planned') as TaskStatus;
		return {
			id: t.id,
			title: t.title,
			organisation: t.organisation,
			dueDate: t.dueDate,
			status,
			statusLabel: TASK_STATUS_LABELS[status],
			overdue: isOverdue({ status, dueDate: t.dueDate }, now),
			updates: mine.map((u) => ({
				id: u.id,
				status: u.status,
				statusLabel: TASK_STATUS_LABELS[u.status],
				note: u.note,
				at: u.at,
				photoIds: photos.filter((p) => p.updateId === u.id).map((p) => p.id)
			}))
		};
	});
	const states = views.map((v) => ({ status: v.status, dueDate: v.dueDate }));
	const check = closureCheck({ tasks: states, ratings: ratings.length, closed: closed !== null });
	return {
		itemId,
		final: item.final !== null,
		tasks: views,
		ratings: RATINGS.map((r) => ({ rating: r, label: RATING_LABELS[r], count: ratings.filter((x) => x.rating === r).length })),
		ratingCount: ratings.length,
		comments: ratings
			.filter((r) => r.comment.length > 0)
			.map((r) => ({ rating: RATING_LABELS[r.rating], ratingKey: r.rating, comment: maskPersonalNumbers(r.comment), at: r.at })),
		closedAt: closed,
		mayRate: mayRate({ tasks: states, closed: closed !== null }),
		closure: check.ok ? { ok: true, reasons: [] } : { ok: false, reasons: check.reasons }
	};
}

/** 评议: one rating per verified owner or resident of a participating compound, once every task is done. */
export async function rateOutcome(
	database: Database,
	actor: Actor | null,
	input: { itemId: string; rating: string; comment?: string }
): Promise<void> {
	const item = await itemOf(database, String(input.itemId ?? ''));
	const member = await requireMember(database, actor, 'record.rate', item.compoundIds);
	if (!RATINGS.includes(input.rating as Rating))
		throw new InvalidInput(m.records_error_choose_rating(), { rating: m.records_error_field_choose() });
	const comment = text(input.comment ?? '', 'comment', m.records_error_what_comment(), 500, false);
	const follow = await getFollowThrough(database, input.itemId);
	if (!follow.mayRate)
		throw new RuleBroken(follow.closedAt !== null ? m.records_error_item_closed() : m.records_error_rate_after_done(), 'not_done');
	await refuseDuplicate(
		database.write(async (tx) => {
			await tx.insert(outcomeRatings).values({
				itemId: input.itemId,
				userId: actor!.userId,
				compoundId: member.compoundId,
				rating: input.rating as Rating,
				comment,
				at: clock.now()
			});
			await audit(tx, {
				actorId: actor!.userId,
				action: 'followup.rate',
				subjectType: 'item',
				subjectId: input.itemId,
				detail: { rating: input.rating }
			});
		}),
		new RuleBroken(m.records_error_already_rated())
	);
}

/** 销项: only when every task is done and residents have rated (closureCheck). */
export async function closeItem(database: Database, actor: Actor, input: { itemId: string; note?: string }): Promise<{ closedAt: number }> {
	const item = await itemOf(database, String(input.itemId ?? ''));
	requirePublisher(actor, await compoundScopes(database, item.compoundIds));
	const follow = await getFollowThrough(database, input.itemId);
	if (!follow.closure.ok)
		throw new RuleBroken(
			`${m.records_manage_cannot_close()}${follow.closure.reasons.join(m.records_list_motion_separator())}`,
			'not_closable'
		);
	const note = text(input.note ?? '', 'note', m.records_error_what_close_note(), 500, false);
	const now = clock.now();
	await refuseDuplicate(
		database.write(async (tx) => {
			await tx.insert(itemClosures).values({ itemId: input.itemId, closedBy: actor.userId, closedAt: now, note });
			await audit(tx, { actorId: actor.userId, action: 'followup.close', subjectType: 'item', subjectId: input.itemId });
		}),
		new RuleBroken(m.records_error_already_closed())
	);
	return { closedAt: now };
}

export async function getPhoto(database: Database, photoId: string): Promise<{ mime: string; bytes: Uint8Array }> {
	const [row] = await database.db
		.select({ mime: followupPhotos.mime, bytes: followupPhotos.bytes })
		.from(followupPhotos)
		.where(eq(followupPhotos.id, photoId))
		.limit(1);
	if (!row) throw new NotFound(m.records_error_no_photo());
	return { mime: row.mime, bytes: new Uint8Array(row.bytes) };
}

export interface DashboardPanel {
	scopeId: string | null;
	scopeName: string;
	stats: DashboardStats;
	items: {
		itemId: string;
		title: string;
		recordId: string;
		openTasks: number;
		overdueTasks: number;
		closedAt: number | null;
		daysToClose: number | null;
	}[];
}

/**
 * 落实看板 for each 居委 or 片区 the actor serves (admin: everything). Reads only, but only for
 * staff: the figures are public anyway through the record pages; the board is a work tool.
 */
export async function dashboard(database: Database, actor: Actor): Promise<DashboardPanel[]> {
	const scopes = actor.grants.filter((g) => g.role === 'committee_staff' || g.role === 'cluster_coordinator' || g.role === 'admin');
	if (scopes.length === 0) throw new AccessDenied(m.records_error_dashboard_denied());
	const panels: DashboardPanel[] = [];
	const seen = new Set<string>();
	for (const grant of scopes) {
		const key = grant.scopeId ?? '*';
		if (seen.has(key)) continue;
		seen.add(key);
		const itemIds = grant.scopeId
			? (
					await database.db
						.select({ itemId: outcomeRecordPlaces.itemId })
						.from(outcomeRecordPlaces)
						.where(eq(outcomeRecordPlaces.nodeId, grant.scopeId))
				).map((r) => r.itemId)
			: (await database.db.selectDistinct({ itemId: outcomeRecords.itemId }).from(outcomeRecords)).map((r) => r.itemId);
		const [node] = grant.scopeId
			? await database.db.select({ name: orgNodes.name }).from(orgNodes).where(eq(orgNodes.id, grant.scopeId)).limit(1)
			: [{ name: m.records_dashboard_all() }];
		// A grant on a node the tree does not have covers nothing: no panel.
		if (!node) continue;
		const finals = itemIds.length
			? await database.db
					.select()
					.from(outcomeRecords)
					.where(and(inArray(outcomeRecords.itemId, itemIds), eq(outcomeRecords.stage, 'final')))
					.orderBy(desc(outcomeRecords.versionNo))
			: [];
		const firstFinal = new Map<string, RecordRow>();
		for (const f of [...finals].sort((a, b) => a.versionNo - b.versionNo)) if (!firstFinal.has(f.itemId)) firstFinal.set(f.itemId, f);
		const latestFinal = new Map<string, RecordRow>();
		for (const f of finals) if (!latestFinal.has(f.itemId)) latestFinal.set(f.itemId, f);
		const items = [];
		const forStats = [];
		const now = clock.now();
		for (const [itemId, start] of firstFinal) {
			const follow = await getFollowThrough(database, itemId);
			const tasks = follow.tasks.map((t) => ({ status: t.status, dueDate: t.dueDate }));
			forStats.push({ startedAt: start.publishedAt, closedAt: follow.closedAt, tasks });
			items.push({
				itemId,
				title: start.title,
				recordId: latestFinal.get(itemId)!.id,
				openTasks: follow.tasks.filter((t) => t.status !== 'done').length,
				overdueTasks: follow.tasks.filter((t) => t.overdue).length,
				closedAt: follow.closedAt,
				daysToClose: follow.closedAt === null ? null : daysBetween(start.publishedAt, follow.closedAt)
			});
		}
		panels.push({ scopeId: grant.scopeId, scopeName: node?.name ?? grant.scopeId ?? '', stats: dashboardStats(forStats, now), items });
	}
	return panels;
}
