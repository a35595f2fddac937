/**
 * 站内消息: an in-app inbox and a digest. No e-mail or SMS: people look here (and the digest page
 * lists what is waiting for them). Reminders go only to those who have not acted yet, once.
 */
import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { pendingRecipients } from '../../domain/notifications/reminders.ts';
import { preparedPerHandle, type Database, type Tx } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { m } from '../../paraglide/messages.js';

export interface NotificationInput {
	kind: string;
	title: string;
	body?: string;
	href: string;
	/** Same key for the same person: delivered once (a reminder is never repeated). */
	dedupeKey?: string;
}

/** Delivers inside the caller's write, so the event and its notices commit together. */
export async function notify(
	tx: Tx,
	userIds: readonly string[],
	input: NotificationInput,
	exceptUserId: string | null = null
): Promise<number> {
	const recipients = [...new Set(userIds)].filter((id) => id !== exceptUserId);
	if (recipients.length === 0) return 0;
	const now = clock.now();
	const rows = recipients.map((userId) => ({
		id: newId(),
		userId,
		kind: input.kind,
		title: input.title,
		body: input.body ?? '',
		href: input.href,
		dedupeKey: input.dedupeKey ?? null,
		createdAt: now
	}));
	const inserted = await tx.insert(notifications).values(rows).onConflictDoNothing().returning({ id: notifications.id });
	return inserted.length;
}

/**
 * Sends a reminder to the audience members who have not acted and were not reminded of this
 * before (the dedupe key is per reminder). Returns how many were reminded.
 */
export async function remind(
	tx: Tx,
	audience: readonly string[],
	acted: readonly string[],
	input: NotificationInput & { dedupeKey: string }
): Promise<number> {
	const already = audience.length
		? (
				await tx
					.select({ userId: notifications.userId })
					.from(notifications)
					.where(and(eq(notifications.dedupeKey, input.dedupeKey), inArray(notifications.userId, [...audience])))
			).map((r) => r.userId)
		: [];
	return notify(tx, pendingRecipients(audience, acted, already), input);
}

export interface InboxEntry {
	id: string;
	kind: string;
	title: string;
	body: string;
	href: string;
	createdAt: number;
	read: boolean;
}

/** A stored notice as the reader sees it: read once it has a read time. */
function toEntry(r: typeof notifications.$inferSelect): InboxEntry {
	return { id: r.id, kind: r.kind, title: r.title, body: r.body, href: r.href, createdAt: r.createdAt, read: r.readAt !== null };
}

export async function inbox(database: Database, actor: Actor, limit = 100): Promise<{ entries: InboxEntry[]; unread: number }> {
	const rows = await database.db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, actor.userId))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
	const entries = rows.map(toEntry);
	return { entries, unread: entries.filter((e) => !e.read).length };
}

/** Built once per database handle: the menu of every signed-in page reads it. */
const unreadQuery = preparedPerHandle((reader) =>
	reader
		.select({ id: notifications.id })
		.from(notifications)
		.where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
		.limit(100)
		.prepare()
);

export async function unreadCount(database: Database, userId: string): Promise<number> {
	return (await unreadQuery(database.db).all({ userId })).length;
}

/** Marks the actor's own notices read (all of them, or one). Only ever their own rows. */
export async function markRead(database: Database, actor: Actor, notificationId?: string): Promise<void> {
	await database.write(async (tx) => {
		const mine = and(eq(notifications.userId, actor.userId), isNull(notifications.readAt));
		await tx
			.update(notifications)
			.set({ readAt: clock.now() })
			.where(notificationId ? and(mine, eq(notifications.id, notificationId)) : mine);
	});
}

/** The digest's group headings, in the reader's language. */
const KIND_LABELS: Record<string, () => string> = {
	concern: m.inbox_kind_concern,
	triage: m.inbox_kind_triage,
	signoff: m.inbox_kind_signoff,
	agenda: m.inbox_kind_agenda,
	debate: m.inbox_kind_debate,
	meeting: m.inbox_kind_meeting,
	minutes: m.inbox_kind_minutes,
	poll: m.inbox_kind_poll,
	reminder: m.inbox_kind_reminder
};

export interface DigestGroup {
	kind: string;
	label: string;
	entries: InboxEntry[];
}

/** 摘要: the last days' notices grouped by kind, newest first, for a once-a-day look. */
export async function digest(database: Database, actor: Actor, days = 7): Promise<{ since: number; groups: DigestGroup[] }> {
	const since = clock.now() - days * 86_400_000;
	const rows = await database.db
		.select()
		.from(notifications)
		.where(and(eq(notifications.userId, actor.userId), gte(notifications.createdAt, since)))
		.orderBy(desc(notifications.createdAt));
	const groups = new Map<string, DigestGroup>();
	for (const r of rows) {
		const g = groups.get(r.kind) ?? { kind: r.kind, label: (KIND_LABELS[r.kind] ?? m.inbox_kind_other)(), entries: [] };
		g.entries.push(toEntry(r));
		groups.set(r.kind, g);
	}
	return { since, groups: [...groups.values()] };
}
