/**
 * 会议纪要: minutes drafted together in the collaborative editor, then approved.
 *
 * A meeting's minutes are a draft set with one alternative (纪要) over the session's compounds,
 * started by the chair and linked from meetings.minutesDraftSetId. drafting/ decides who may type
 * (participants of those compounds, staff, the session's facilitator) and the collaboration server
 * carries the typing. Approval freezes the set (定稿) and appends the frozen body as a minutes
 * version, with its SHA-256 on the approval, so everything that reads minutes versions — this
 * page, the inbox, published records — reads the approved text as before.
 *
 * Before the editor, minutes were plain-text versions saved from a textarea (saveMinutes, kept for
 * meetings minuted that way). An approved one stays as it is; an unapproved one becomes the
 * starting text of the editor when the draft is started, and from then on the textarea path is closed.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Actor } from '../../domain/access/policy.ts';
import { normalizeText, sha256Hex } from '../../domain/drafting/canonical.ts';
import { documentName } from '../../domain/drafting/document.ts';
import { MAX_TITLE_CHARS, type DraftPhase } from '../../domain/drafting/limits.ts';
import type { Database, Db, Tx } from '../db/client.ts';
import { draftAlternatives, draftFrozenTexts, draftSets, meetings, minutesApprovals, minutesVersions } from '../db/schema/index.ts';
import { freezeDrafting, loadStoredDocument, prepareDraft, writeDraftSet } from '../drafting/index.ts';
import { renderDocument } from '../drafting/render.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { charCount, parseIds, requireSessionAccess, sessionAudience, userNames } from '../agenda/common.ts';
import { chair, loadMeeting } from './meetings.ts';
import { notify } from '../notifications/inbox.ts';
import { m } from '../../paraglide/messages.js';

export const MAX_MINUTES_CHARS = 50_000;
export const MINUTES_ALTERNATIVE_TITLE = '纪要';

function minutesTitle(meetingTitle: string): string {
	return [...`会议纪要：${meetingTitle}`].slice(0, MAX_TITLE_CHARS).join('');
}

async function minutesAlternativeId(handle: Db | Tx, setId: string): Promise<string> {
	const [alt] = await handle
		.select({ id: draftAlternatives.id })
		.from(draftAlternatives)
		.where(eq(draftAlternatives.setId, setId))
		.orderBy(asc(draftAlternatives.position))
		.limit(1);
	if (!alt) throw new NotFound(m.delib_minutes_no_doc());
	return alt.id;
}

async function latestVersion(handle: Db | Tx, meetingId: string) {
	const [latest] = await handle
		.select()
		.from(minutesVersions)
		.where(eq(minutesVersions.meetingId, meetingId))
		.orderBy(desc(minutesVersions.number))
		.limit(1);
	return latest;
}

/** Logs an approval and tells the residents of the session's compounds that the minutes are final (one notice a meeting). */
async function announceApproval(
	tx: Tx,
	actor: Actor,
	session: { id: string; compoundIds: string },
	meetingId: string,
	detail: Record<string, unknown>
): Promise<void> {
	await audit(tx, { actorId: actor.userId, action: 'minutes.approve', subjectType: 'meeting', subjectId: meetingId, detail });
	const audience = await sessionAudience(tx, session);
	await notify(
		tx,
		audience,
		{
			kind: 'minutes',
			title: `会议纪要已审定`,
			href: `/sessions/${session.id}/meetings/${meetingId}`,
			dedupeKey: `minutes:${meetingId}`
		},
		actor.userId
	);
}

async function isApproved(handle: Db | Tx, meetingId: string): Promise<boolean> {
	const [row] = await handle
		.select({ m: minutesApprovals.meetingId })
		.from(minutesApprovals)
		.where(eq(minutesApprovals.meetingId, meetingId));
	return Boolean(row);
}

/**
 * 开始起草纪要: the chair opens the shared minutes. Idempotent: a second start (or two chairs at
 * once — the link is checked and written in the same write as the set) returns the same set.
 */
export async function startMinutesDraft(
	database: Database,
	actor: Actor,
	meetingId: string
): Promise<{ setId: string; alternativeId: string }> {
	const { meeting, session } = await chair(database, actor, meetingId);
	if (meeting.minutesDraftSetId)
		return { setId: meeting.minutesDraftSetId, alternativeId: await minutesAlternativeId(database.db, meeting.minutesDraftSetId) };
	const prepared = await prepareDraft(database, actor, {
		title: minutesTitle(meeting.title),
		compoundIds: parseIds(session.compoundIds),
		sessionId: session.id,
		alternatives: [{ title: MINUTES_ALTERNATIVE_TITLE }]
	});
	const setId = await database.write(async (tx) => {
		const [row] = await tx.select({ setId: meetings.minutesDraftSetId }).from(meetings).where(eq(meetings.id, meetingId)).limit(1);
		if (row?.setId) return row.setId;
		if (await isApproved(tx, meetingId)) throw new RuleBroken(m.delib_minutes_locked());
		// Plain-text minutes saved before the editor carry over as the starting text, line by line.
		const legacy = await latestVersion(tx, meetingId);
		await writeDraftSet(tx, actor.userId, prepared, [legacy?.text.split('\n')]);
		await tx.update(meetings).set({ minutesDraftSetId: prepared.set.id }).where(eq(meetings.id, meetingId));
		await audit(tx, {
			actorId: actor.userId,
			action: 'minutes.start',
			subjectType: 'meeting',
			subjectId: meetingId,
			detail: { draftSetId: prepared.set.id, fromVersion: legacy?.number ?? null }
		});
		return prepared.set.id;
	});
	return {
		setId,
		alternativeId: setId === prepared.set.id ? prepared.alternatives[0].id : await minutesAlternativeId(database.db, setId)
	};
}

/** The body of the frozen minutes (the header fields of an alternative mean nothing here), rendered from the frozen Yjs state. */
async function frozenBody(database: Database, alternativeId: string): Promise<string> {
	const [row] = await database.db
		.select({ state: draftFrozenTexts.state })
		.from(draftFrozenTexts)
		.where(eq(draftFrozenTexts.alternativeId, alternativeId))
		.limit(1);
	if (!row) throw new RuleBroken(m.delib_minutes_not_frozen());
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(row.state));
	const { blocks } = renderDocument(doc, { label: 'A', compounds: [] });
	doc.destroy();
	return normalizeText(blocks.join('\n'));
}

/**
 * 审定纪要 (written in the editor): freezes the draft set, then appends its frozen body as the
 * approved minutes version with the body's SHA-256. Two writes: if the second fails (or another
 * chair approved first), the set simply stays frozen and approving again finishes the job.
 */
export async function approveDraftedMinutes(
	database: Database,
	actor: Actor,
	meetingId: string
): Promise<{ number: number; textHash: string }> {
	const { meeting, session } = await chair(database, actor, meetingId);
	const setId = meeting.minutesDraftSetId;
	if (!setId) throw new RuleBroken(m.delib_minutes_not_started());
	if (await isApproved(database.db, meetingId)) throw new RuleBroken(m.delib_minutes_already_approved());
	const alternativeId = await minutesAlternativeId(database.db, setId);
	const [set] = await database.db.select({ phase: draftSets.phase }).from(draftSets).where(eq(draftSets.id, setId)).limit(1);
	if (set?.phase === 'drafting') {
		const { doc } = await loadStoredDocument(database, alternativeId);
		const { blocks } = renderDocument(doc, { label: 'A', compounds: [] });
		doc.destroy();
		if (!normalizeText(blocks.join('\n')).trim()) throw new RuleBroken(m.delib_minutes_empty_approve());
		try {
			await freezeDrafting(database, actor, setId);
		} catch (e) {
			if (!(e instanceof RuleBroken && e.code === 'draft_frozen')) throw e;
		}
	}
	const text = await frozenBody(database, alternativeId);
	if (charCount(text) > MAX_MINUTES_CHARS) throw new RuleBroken(m.delib_minutes_too_long());
	const textHash = sha256Hex(text);
	return database.write(async (tx) => {
		if (await isApproved(tx, meetingId)) throw new RuleBroken(m.delib_minutes_already_approved());
		const number = ((await latestVersion(tx, meetingId))?.number ?? 0) + 1;
		const versionId = newId();
		const now = clock.now();
		await tx.insert(minutesVersions).values({ id: versionId, meetingId, number, text, authorId: actor.userId, at: now });
		await tx.insert(minutesApprovals).values({ meetingId, versionId, approvedBy: actor.userId, at: now, textHash });
		await announceApproval(tx, actor, session, meetingId, { number, textHash, draftSetId: setId });
		return { number, textHash };
	});
}

/**
 * 保存纪要 (plain text, for meetings minuted before the editor): a new version. `baseNumber` is the version the
 * writer started from (0 for none).
 */
export async function saveMinutes(
	database: Database,
	actor: Actor,
	meetingId: string,
	input: { text: string; baseNumber: number }
): Promise<{ number: number }> {
	const meeting = await loadMeeting(database, meetingId);
	// Drafted together: organisers, the facilitator and participants who were there may write.
	await requireSessionAccess(database, actor, meeting.sessionId, 'deliberation.participate', 'agenda.manage');
	const text = (input.text ?? '').replace(/\r\n/g, '\n').trim();
	if (!text) throw new InvalidInput(m.delib_minutes_empty(), { text: m.delib_please_fill() });
	if (charCount(text) > MAX_MINUTES_CHARS) throw new InvalidInput(m.delib_minutes_too_long(), { text: m.delib_too_long() });
	try {
		return await database.write(async (tx) => {
			if (await isApproved(tx, meetingId)) throw new RuleBroken(m.delib_minutes_locked());
			const [linked] = await tx.select({ setId: meetings.minutesDraftSetId }).from(meetings).where(eq(meetings.id, meetingId));
			if (linked?.setId) throw new RuleBroken(m.delib_minutes_in_editor(), 'minutes_in_editor');
			const current = (await latestVersion(tx, meetingId))?.number ?? 0;
			if (current !== input.baseNumber) throw new RuleBroken(m.delib_minutes_stale({ current }), 'stale');
			await tx
				.insert(minutesVersions)
				.values({ id: newId(), meetingId, number: current + 1, text, authorId: actor.userId, at: clock.now() });
			await audit(tx, {
				actorId: actor.userId,
				action: 'minutes.save',
				subjectType: 'meeting',
				subjectId: meetingId,
				detail: { number: current + 1 }
			});
			return { number: current + 1 };
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(m.delib_minutes_stale_short(), 'stale');
		throw e;
	}
}

/** 审定纪要 (plain text): the organisers approve the latest version; approved minutes are final. */
export async function approveMinutes(database: Database, actor: Actor, meetingId: string, number: number): Promise<void> {
	const { session } = await chair(database, actor, meetingId);
	await database.write(async (tx) => {
		const [linked] = await tx.select({ setId: meetings.minutesDraftSetId }).from(meetings).where(eq(meetings.id, meetingId));
		if (linked?.setId) throw new RuleBroken(m.delib_minutes_approve_in_editor(), 'minutes_in_editor');
		const latest = await latestVersion(tx, meetingId);
		if (!latest) throw new RuleBroken(m.delib_minutes_none());
		if (latest.number !== number) throw new RuleBroken(m.delib_minutes_only_latest({ number: latest.number }));
		const done = await tx
			.insert(minutesApprovals)
			.values({ meetingId, versionId: latest.id, approvedBy: actor.userId, at: clock.now(), textHash: sha256Hex(latest.text) })
			.onConflictDoNothing()
			.returning({ m: minutesApprovals.meetingId });
		if (done.length === 0) throw new RuleBroken(m.delib_minutes_already_approved());
		await announceApproval(tx, actor, session, meetingId, { number });
	});
}

export interface MinutesView {
	versions: { number: number; author: string; at: number }[];
	latest: { number: number; text: string; author: string; at: number } | null;
	approved: {
		number: number;
		by: string;
		at: number;
		/** SHA-256 recorded at approval (null for approvals made before it was kept). */
		textHash: string | null;
		/** The stored text still hashes to the recorded hash (null when none was recorded). */
		intact: boolean | null;
	} | null;
	/** The shared minutes in the editor, once started. */
	draft: { setId: string; alternativeId: string; documentName: string; phase: DraftPhase } | null;
}

export async function minutesOf(database: Database, actor: Actor, meetingId: string): Promise<MinutesView> {
	const meeting = await loadMeeting(database, meetingId);
	await requireSessionAccess(database, actor, meeting.sessionId, 'deliberation.participate', 'agenda.manage');
	const versions = await database.db
		.select()
		.from(minutesVersions)
		.where(eq(minutesVersions.meetingId, meetingId))
		.orderBy(asc(minutesVersions.number));
	const [approval] = await database.db.select().from(minutesApprovals).where(eq(minutesApprovals.meetingId, meetingId));
	const names = await userNames(database.db, [...versions.map((v) => v.authorId), approval?.approvedBy ?? null]);
	const latest = versions[versions.length - 1];
	const approvedVersion = approval ? versions.find((v) => v.id === approval.versionId) : undefined;
	let draft: MinutesView['draft'] = null;
	if (meeting.minutesDraftSetId) {
		const [row] = await database.db
			.select({ alternativeId: draftAlternatives.id, phase: draftSets.phase })
			.from(draftSets)
			.innerJoin(draftAlternatives, eq(draftAlternatives.setId, draftSets.id))
			.where(and(eq(draftSets.id, meeting.minutesDraftSetId), eq(draftAlternatives.position, 0)))
			.limit(1);
		if (row)
			draft = {
				setId: meeting.minutesDraftSetId,
				alternativeId: row.alternativeId,
				documentName: documentName(row.alternativeId),
				phase: row.phase
			};
	}
	return {
		versions: versions.map((v) => ({ number: v.number, author: names.get(v.authorId) ?? '', at: v.at })),
		latest: latest ? { number: latest.number, text: latest.text, author: names.get(latest.authorId) ?? '', at: latest.at } : null,
		approved:
			approval && approvedVersion
				? {
						number: approvedVersion.number,
						by: names.get(approval.approvedBy) ?? '',
						at: approval.at,
						textHash: approval.textHash,
						intact: approval.textHash ? sha256Hex(approvedVersion.text) === approval.textHash : null
					}
				: null,
		draft
	};
}
