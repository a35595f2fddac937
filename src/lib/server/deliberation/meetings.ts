/**
 * 会议: schedule, attendance and the projector's meeting mode (current item, speaker queue, timer,
 * show of hands). The minutes are in minutes.ts.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { isStance, speakingOrder, stanceLabel, type Stance } from '../../domain/deliberation/index.ts';
import { m } from '../../paraglide/messages.js';
import { requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { agendaItems, meetingAttendance, meetings, minutesApprovals, showOfHands, speakerRequests } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import {
	charCount,
	homeIn,
	limitsOf,
	loadItem,
	loadSession,
	nodeNames,
	parseIds,
	requirePhase,
	requireSessionAccess,
	sessionAudience,
	sessionTarget,
	userNames
} from '../agenda/common.ts';
import { notify } from '../notifications/inbox.ts';

export async function loadMeeting(database: Database, meetingId: string) {
	const [row] = await database.db.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
	if (!row) throw new NotFound(m.delib_no_such_meeting());
	return row;
}

/** Chair's actions (attendance, queue, timer, hands, minutes approval) need agenda.manage on the session. */
export async function chair(database: Database, actor: Actor, meetingId: string) {
	const meeting = await loadMeeting(database, meetingId);
	const { session } = await requireSessionAccess(database, actor, meeting.sessionId, 'agenda.manage');
	return { meeting, session };
}

export async function scheduleMeeting(
	database: Database,
	actor: Actor,
	sessionId: string,
	input: { title: string; startsAt: number; place: string }
): Promise<{ meetingId: string }> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	requirePhase(session, 'meetings');
	const title = (input.title ?? '').trim();
	const place = (input.place ?? '').trim();
	if (!title || charCount(title) > 80) throw new InvalidInput(m.delib_meeting_name_missing(), { title: m.delib_please_fill() });
	if (!place || charCount(place) > 100) throw new InvalidInput(m.delib_meeting_place_missing(), { place: m.delib_please_fill() });
	if (!Number.isSafeInteger(input.startsAt) || input.startsAt <= 0)
		throw new InvalidInput(m.delib_meeting_time_missing(), { startsAt: m.delib_please_fill() });
	const meetingId = newId();
	await database.write(async (tx) => {
		await tx
			.insert(meetings)
			.values({ id: meetingId, sessionId, title, startsAt: input.startsAt, place, createdBy: actor.userId, createdAt: clock.now() });
		await audit(tx, {
			actorId: actor.userId,
			action: 'meeting.schedule',
			subjectType: 'session',
			subjectId: sessionId,
			detail: { meetingId, title, startsAt: input.startsAt }
		});
		const audience = await sessionAudience(tx, session);
		await notify(
			tx,
			audience,
			{
				kind: 'meeting',
				title: `会议通知：${title}`,
				body: place,
				href: `/sessions/${sessionId}/meetings/${meetingId}`,
				dedupeKey: `meeting:${meetingId}`
			},
			actor.userId
		);
	});
	return { meetingId };
}

/** One attendance row, written by `actor`; a second sign-in of the same person is refused with `twice`. */
async function signIn(
	database: Database,
	actor: Actor,
	row: { meetingId: string; name: string; userId: string | null; compoundId: string | null },
	twice: string
): Promise<void> {
	try {
		await database.write(async (tx) => {
			await tx.insert(meetingAttendance).values({ id: newId(), ...row, recordedBy: actor.userId, at: clock.now() });
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(twice);
		throw e;
	}
}

/** 签到: the chair writes down who came, with their compound (or checks in an account). */
export async function recordAttendance(
	database: Database,
	actor: Actor,
	meetingId: string,
	input: { name: string; compoundId?: string | null; userId?: string | null }
): Promise<void> {
	const { session } = await chair(database, actor, meetingId);
	const name = (input.name ?? '').trim();
	if (!name || charCount(name) > 40) throw new InvalidInput(m.delib_attendee_missing(), { name: m.delib_please_fill() });
	const compoundIds = parseIds(session.compoundIds);
	if (input.compoundId && !compoundIds.includes(input.compoundId)) throw new InvalidInput(m.delib_pick_compound());
	await signIn(
		database,
		actor,
		{ meetingId, name, userId: input.userId ?? null, compoundId: input.compoundId || null },
		m.delib_already_signed_in_other()
	);
}

/** 我到场了: a participant checks themselves in. */
export async function checkIn(database: Database, actor: Actor, meetingId: string, displayName: string): Promise<void> {
	const meeting = await loadMeeting(database, meetingId);
	const { session } = await requireSessionAccess(database, actor, meeting.sessionId, 'deliberation.participate');
	const home = homeIn(actor, parseIds(session.compoundIds));
	await signIn(
		database,
		actor,
		{ meetingId, name: displayName, userId: actor.userId, compoundId: home?.compoundId ?? null },
		m.delib_already_signed_in()
	);
}

/** 当前议题. */
export async function setCurrentItem(database: Database, actor: Actor, meetingId: string, itemId: string): Promise<void> {
	const { meeting } = await chair(database, actor, meetingId);
	const item = await loadItem(database.db, itemId);
	if (item.sessionId !== meeting.sessionId) throw new InvalidInput(m.delib_item_not_on_agenda());
	await database.write(async (tx) => {
		await tx
			.update(meetings)
			.set({ currentItemId: itemId, currentRequestId: null, timerStartedAt: null, timerSeconds: null })
			.where(eq(meetings.id, meetingId));
		await audit(tx, {
			actorId: actor.userId,
			action: 'meeting.item',
			subjectType: 'meeting',
			subjectId: meetingId,
			detail: { itemId }
		});
	});
}

/** 举手发言: the chair adds a name to the queue of the current item (or a participant adds themselves). */
export async function requestToSpeak(
	database: Database,
	actor: Actor,
	meetingId: string,
	input: { name?: string; compoundId?: string | null; stance: string; self?: boolean }
): Promise<void> {
	const meeting = await loadMeeting(database, meetingId);
	const session = await loadSession(database.db, meeting.sessionId);
	const target = await sessionTarget(database, session);
	if (!meeting.currentItemId) throw new RuleBroken(m.delib_pick_current_first());
	if (!isStance(input.stance)) throw new InvalidInput(m.delib_pick_stance(), { stance: m.delib_please_choose() });
	let speakerKey: string;
	let name: string;
	let compoundId: string | null;
	if (input.self) {
		requireAccess(actor, 'deliberation.participate', target);
		const [me] = [...(await userNames(database.db, [actor.userId])).values()];
		speakerKey = `u:${actor.userId}`;
		name = me ?? '居民';
		compoundId = homeIn(actor, parseIds(session.compoundIds))?.compoundId ?? null;
	} else {
		requireAccess(actor, 'agenda.manage', target);
		name = (input.name ?? '').trim();
		if (!name || charCount(name) > 40) throw new InvalidInput(m.delib_speaker_missing(), { name: m.delib_please_fill() });
		speakerKey = `n:${name}:${input.compoundId ?? ''}`;
		compoundId = input.compoundId || null;
	}
	await database.write(async (tx) => {
		const waiting = await tx
			.select({ id: speakerRequests.id })
			.from(speakerRequests)
			.where(
				and(
					eq(speakerRequests.meetingId, meetingId),
					eq(speakerRequests.itemId, meeting.currentItemId!),
					eq(speakerRequests.speakerKey, speakerKey),
					isNull(speakerRequests.spokeAt)
				)
			);
		if (waiting.length) throw new RuleBroken(m.delib_already_queued({ name }));
		await tx.insert(speakerRequests).values({
			id: newId(),
			meetingId,
			itemId: meeting.currentItemId!,
			speakerKey,
			name,
			compoundId,
			stance: input.stance as Stance,
			requestedAt: clock.now()
		});
	});
}

/** 下一位: gives the floor to the first in speaking order and starts their clock. */
export async function callNextSpeaker(database: Database, actor: Actor, meetingId: string): Promise<{ name: string } | null> {
	const { meeting, session } = await chair(database, actor, meetingId);
	if (!meeting.currentItemId) throw new RuleBroken(m.delib_pick_current_first());
	const item = await loadItem(database.db, meeting.currentItemId);
	const seconds = limitsOf(session, item).speakSeconds;
	return database.write(async (tx) => {
		const all = await tx
			.select()
			.from(speakerRequests)
			.where(and(eq(speakerRequests.meetingId, meetingId), eq(speakerRequests.itemId, item.id)));
		const spoken = new Map<string, number>();
		for (const r of all.filter((r) => r.spokeAt !== null)) spoken.set(r.speakerKey, (spoken.get(r.speakerKey) ?? 0) + 1);
		const last = all.filter((r) => r.spokeAt !== null).sort((a, b) => b.spokeAt! - a.spokeAt!)[0];
		const order = speakingOrder(
			all.filter((r) => r.spokeAt === null),
			spoken,
			last?.stance ?? null
		);
		const turns = spoken.get(order[0]?.speakerKey ?? '') ?? 0;
		if (order.length === 0) {
			await tx
				.update(meetings)
				.set({ currentRequestId: null, timerStartedAt: null, timerSeconds: null })
				.where(eq(meetings.id, meetingId));
			return null;
		}
		const limits = limitsOf(session, item);
		if (turns >= limits.maxTurns)
			throw new RuleBroken(m.delib_speaker_limit({ name: order[0].name, turns, max: limits.maxTurns }), 'turn_limit');
		const now = clock.now();
		await tx.update(speakerRequests).set({ spokeAt: now }).where(eq(speakerRequests.id, order[0].id));
		await tx
			.update(meetings)
			.set({ currentRequestId: order[0].id, timerStartedAt: now, timerSeconds: seconds })
			.where(eq(meetings.id, meetingId));
		return { name: order[0].name };
	});
}

/** 举手表决: the chair enters a show of hands. Appended: a recount is a new row, the latest is shown. */
export async function recordShowOfHands(
	database: Database,
	actor: Actor,
	meetingId: string,
	input: { itemId: string; yes: number; no: number; abstain: number }
): Promise<void> {
	const { meeting } = await chair(database, actor, meetingId);
	const item = await loadItem(database.db, input.itemId);
	if (item.sessionId !== meeting.sessionId) throw new InvalidInput(m.delib_item_not_on_agenda());
	for (const k of ['yes', 'no', 'abstain'] as const) {
		if (!Number.isInteger(input[k]) || input[k] < 0 || input[k] > 100_000)
			throw new InvalidInput(m.delib_hands_whole(), { [k]: m.delib_hands_field() });
	}
	await database.write(async (tx) => {
		await tx.insert(showOfHands).values({
			id: newId(),
			meetingId,
			itemId: input.itemId,
			yes: input.yes,
			no: input.no,
			abstain: input.abstain,
			recordedBy: actor.userId,
			at: clock.now()
		});
		await audit(tx, { actorId: actor.userId, action: 'meeting.hands', subjectType: 'meeting', subjectId: meetingId, detail: input });
	});
}

export interface MeetingState {
	meeting: { id: string; title: string; startsAt: number; place: string; sessionId: string; sessionTitle: string };
	items: { id: string; position: number; title: string }[];
	current: { id: string; title: string; question: string } | null;
	speaker: { name: string; compound: string; stance: string; startedAt: number; seconds: number } | null;
	queue: { name: string; compound: string; stance: string; turns: number }[];
	hands: { itemId: string; yes: number; no: number; abstain: number; at: number } | null;
	attendance: { name: string; compound: string }[];
	attendanceByCompound: { compound: string; count: number }[];
	serverNow: number;
	may: { chair: boolean };
}

/** What the projector shows, read fresh on every poll. */
export async function meetingState(database: Database, actor: Actor, meetingId: string): Promise<MeetingState> {
	const meeting = await loadMeeting(database, meetingId);
	const { session, target } = await requireSessionAccess(database, actor, meeting.sessionId, 'deliberation.participate', 'agenda.manage');
	const isChair = decide(actor, 'agenda.manage', target).allowed;
	const items = await database.db
		.select({ id: agendaItems.id, position: agendaItems.position, title: agendaItems.title, question: agendaItems.question })
		.from(agendaItems)
		.where(eq(agendaItems.sessionId, session.id))
		.orderBy(asc(agendaItems.position));
	const current = items.find((i) => i.id === meeting.currentItemId) ?? null;
	const compounds = await nodeNames(database.db, parseIds(session.compoundIds));
	const cname = (id: string | null) => (id ? (compounds.get(id)?.name ?? '') : '');
	let speaker: MeetingState['speaker'] = null;
	let queue: MeetingState['queue'] = [];
	let hands: MeetingState['hands'] = null;
	if (current) {
		const all = await database.db
			.select()
			.from(speakerRequests)
			.where(and(eq(speakerRequests.meetingId, meetingId), eq(speakerRequests.itemId, current.id)));
		const spoken = new Map<string, number>();
		for (const r of all.filter((r) => r.spokeAt !== null)) spoken.set(r.speakerKey, (spoken.get(r.speakerKey) ?? 0) + 1);
		const onFloor = all.find((r) => r.id === meeting.currentRequestId);
		if (onFloor && meeting.timerStartedAt)
			speaker = {
				name: onFloor.name,
				compound: cname(onFloor.compoundId),
				stance: stanceLabel(onFloor.stance),
				startedAt: meeting.timerStartedAt,
				seconds: meeting.timerSeconds ?? 120
			};
		queue = speakingOrder(
			all.filter((r) => r.spokeAt === null),
			spoken,
			onFloor?.stance ?? null
		).map((r) => {
			const row = all.find((x) => x.id === r.id)!;
			return {
				name: row.name,
				compound: cname(row.compoundId),
				stance: stanceLabel(row.stance),
				turns: spoken.get(row.speakerKey) ?? 0
			};
		});
		const [h] = await database.db
			.select()
			.from(showOfHands)
			.where(and(eq(showOfHands.meetingId, meetingId), eq(showOfHands.itemId, current.id)))
			.orderBy(desc(showOfHands.at), desc(sql`rowid`))
			.limit(1);
		if (h) hands = { itemId: h.itemId, yes: h.yes, no: h.no, abstain: h.abstain, at: h.at };
	}
	const attendance = await database.db
		.select()
		.from(meetingAttendance)
		.where(eq(meetingAttendance.meetingId, meetingId))
		.orderBy(asc(meetingAttendance.at));
	const byCompound = new Map<string, number>();
	for (const a of attendance) {
		const where = cname(a.compoundId) || m.delib_other_compound();
		byCompound.set(where, (byCompound.get(where) ?? 0) + 1);
	}
	return {
		meeting: {
			id: meeting.id,
			title: meeting.title,
			startsAt: meeting.startsAt,
			place: meeting.place,
			sessionId: session.id,
			sessionTitle: session.title
		},
		items: items.map(({ id, position, title }) => ({ id, position, title })),
		current,
		speaker,
		queue,
		hands,
		attendance: attendance.map((a) => ({ name: a.name, compound: cname(a.compoundId) })),
		attendanceByCompound: [...byCompound].map(([compound, count]) => ({ compound, count })),
		serverNow: clock.now(),
		may: { chair: isChair }
	};
}

export async function sessionMeetings(database: Database, sessionId: string) {
	const rows = await database.db.select().from(meetings).where(eq(meetings.sessionId, sessionId)).orderBy(asc(meetings.startsAt));
	const approvals = await database.db.select({ meetingId: minutesApprovals.meetingId }).from(minutesApprovals);
	const approved = new Set(approvals.map((a) => a.meetingId));
	return rows.map((m) => ({ id: m.id, title: m.title, startsAt: m.startsAt, place: m.place, minutesApproved: approved.has(m.id) }));
}
