/**
 * 业主变更登记 during an open ballot, under double control (like paper double entry): one 业委会
 * member of the unit's compound proposes the change — the unit, the new owner's verified account,
 * a reason such as 房屋已过户 — and a second, different member of the same compound confirms it.
 * Only then does the new owner vote for the unit in this ballot (voters.ts keeps everyone else to
 * the voters fixed at opening).
 *
 * Counting rule (README, "Counting rules"): a ballot the previous owner cast for the unit was valid
 * when cast and stays in the record; the new owner's ballot, cast later, supersedes it under the
 * usual rule (the latest in a channel counts, then bothChannelsRule), even when the ballot does not
 * allow changing a vote. If the new owner does not vote, the previous owner's ballot stands. The
 * export lists every ballot, so a recount reproduces this with no extra input.
 *
 * Confirming ends the previous owners' binding to the unit (for later ballots too), tells them in
 * their inbox (and, through the layout, on the next page they open), and is audited.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { notify } from '../notifications/inbox.ts';
import { compoundScope, requireAccess } from '../access.ts';
import { preparedPerHandle, type Database, type Db } from '../db/client.ts';
import { ballots, countedVotes, electorateUnits, electorateVoters, memberships, notifications, ownerChanges } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken, refuseDuplicate } from '../errors.ts';
import { m as msg } from '../../paraglide/messages.js';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { loadBallot, requireAnyCompound, requireVotingWindow, scopesOf } from './common.ts';

export const OWNER_CHANGE_REASON_MAX = 200;
export const OWNER_CHANGE_NOTICE_KIND = 'owner_change';

async function electorateUnit(database: Database, ballotId: string, unitId: string) {
	const rows = await database.db
		.select({
			compoundId: electorateUnits.compoundId,
			label: sql<string>`${electorateUnits.buildingName} || ' ' || ${electorateUnits.room}`
		})
		.from(electorateUnits)
		.where(and(eq(electorateUnits.ballotId, ballotId), eq(electorateUnits.unitId, unitId)))
		.limit(1);
	return rows[0] ?? null;
}

/** 提议变更: the first 业委会 member names the unit, the new owner's account and the reason. */
export async function proposeOwnerChange(
	database: Database,
	actor: Actor,
	input: { ballotId: string; unitId: string; newUserId: string; reason: string }
): Promise<{ changeId: string }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['ballot.owner_change'], await scopesOf(database, ballot));
	const unit = await electorateUnit(database, ballot.id, input.unitId ?? '');
	if (!unit) throw new InvalidInput(msg.voting_change_unit_missing(), { unitId: msg.voting_change_unit_missing_field() });
	requireAccess(actor, 'ballot.owner_change', { compounds: [await compoundScope(database, unit.compoundId)] });
	const reason = (input.reason ?? '').trim();
	if (reason.length === 0) throw new InvalidInput(msg.voting_change_reason(), { reason: msg.voting_change_reason_field() });
	if (reason.length > OWNER_CHANGE_REASON_MAX)
		throw new InvalidInput(msg.voting_change_reason_too_long({ max: OWNER_CHANGE_REASON_MAX }), {
			reason: msg.voting_field_too_long()
		});
	requireVotingWindow(ballot, clock.now());
	const owner = await database.db
		.select({ id: memberships.id })
		.from(memberships)
		.where(
			and(
				eq(memberships.userId, input.newUserId ?? ''),
				eq(memberships.unitId, input.unitId),
				eq(memberships.relation, 'owner'),
				isNull(memberships.revokedAt)
			)
		)
		.limit(1);
	if (owner.length === 0) throw new InvalidInput(msg.voting_change_not_verified(), { newUserId: msg.voting_change_not_verified_field() });

	const changeId = newId();
	const now = clock.now();
	await database.write(async (tx) => {
		const already = await tx
			.select({ userId: electorateVoters.userId })
			.from(electorateVoters)
			.where(
				and(
					eq(electorateVoters.ballotId, ballot.id),
					eq(electorateVoters.unitId, input.unitId),
					eq(electorateVoters.userId, input.newUserId),
					isNull(electorateVoters.endedAt)
				)
			);
		if (already.length > 0) throw new RuleBroken(msg.voting_change_already_voter(), 'already_voter');
		await refuseDuplicate(
			tx.insert(ownerChanges).values({
				id: changeId,
				ballotId: ballot.id,
				compoundId: unit.compoundId,
				unitId: input.unitId,
				newUserId: input.newUserId,
				reason,
				proposedBy: actor.userId,
				proposedAt: now
			}),
			new RuleBroken(msg.voting_change_pending(), 'change_pending')
		);
		await audit(tx, {
			actorId: actor.userId,
			action: 'ballot.owner_change_propose',
			subjectType: 'ballot',
			subjectId: ballot.id,
			detail: { changeId, unitId: input.unitId, reason }
		});
	});
	return { changeId };
}

/** The ballot and the proposed change an 业委会 member of the unit's own compound may confirm or withdraw. */
async function ownerChangeToHandle(database: Database, actor: Actor, input: { ballotId: string; changeId: string }) {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['ballot.owner_change'], await scopesOf(database, ballot));
	const rows = await database.db
		.select()
		.from(ownerChanges)
		.where(and(eq(ownerChanges.id, input.changeId ?? ''), eq(ownerChanges.ballotId, ballot.id)))
		.limit(1);
	const change = rows[0];
	if (!change) throw new InvalidInput(msg.voting_change_not_found(), { changeId: msg.voting_change_not_found_field() });
	requireAccess(actor, 'ballot.owner_change', { compounds: [await compoundScope(database, change.compoundId)] });
	return { ballot, change };
}

/** 确认变更: a second, different 业委会 member of the unit's compound confirms; the new owner then votes. */
export async function confirmOwnerChange(
	database: Database,
	actor: Actor,
	input: { ballotId: string; changeId: string }
): Promise<{ unitLabel: string }> {
	const { ballot, change } = await ownerChangeToHandle(database, actor, input);
	if (change.proposedBy === actor.userId) throw new RuleBroken(msg.voting_change_same_member(), 'same_member');
	requireVotingWindow(ballot, clock.now());
	const unit = (await electorateUnit(database, ballot.id, change.unitId))!;
	const now = clock.now();
	await database.write(async (tx) => {
		const [{ maxSeq }] = await tx.select({ maxSeq: sql<number | null>`max(seq)` }).from(sql`cast_votes`);
		const done = await tx
			.update(ownerChanges)
			.set({ confirmedBy: actor.userId, confirmedAt: now, confirmedAfterSeq: maxSeq ?? 0 })
			.where(and(eq(ownerChanges.id, change.id), isNull(ownerChanges.confirmedAt), isNull(ownerChanges.withdrawnAt)))
			.returning({ id: ownerChanges.id });
		if (done.length === 0) throw new RuleBroken(msg.voting_change_settled(), 'change_settled');
		const open = await tx.select({ closedAt: ballots.closedAt }).from(ballots).where(eq(ballots.id, ballot.id));
		if (open[0]?.closedAt !== null) throw new RuleBroken(msg.voting_change_count_closed());
		const previous = await tx
			.select({ userId: electorateVoters.userId })
			.from(electorateVoters)
			.where(
				and(eq(electorateVoters.ballotId, ballot.id), eq(electorateVoters.unitId, change.unitId), isNull(electorateVoters.endedAt))
			);
		const previousIds = previous.map((p) => p.userId).filter((id) => id !== change.newUserId);
		await tx
			.update(electorateVoters)
			.set({ endedAt: now, endedByChange: change.id })
			.where(
				and(eq(electorateVoters.ballotId, ballot.id), eq(electorateVoters.unitId, change.unitId), isNull(electorateVoters.endedAt))
			);
		await tx
			.insert(electorateVoters)
			.values({ ballotId: ballot.id, unitId: change.unitId, userId: change.newUserId, basis: 'owner_change', addedAt: now })
			.onConflictDoUpdate({
				target: [electorateVoters.ballotId, electorateVoters.unitId, electorateVoters.userId],
				set: { basis: 'owner_change', addedAt: now, endedAt: null, endedByChange: null }
			});
		// The unit's electronic ballot so far stays in cast_votes (and the export); freeing the one-counted-row
		// key lets the new owner's later ballot supersede it even where changing a vote is not allowed.
		await tx
			.delete(countedVotes)
			.where(
				and(eq(countedVotes.ballotId, ballot.id), eq(countedVotes.unitId, change.unitId), eq(countedVotes.channel, 'electronic'))
			);
		if (previousIds.length > 0) {
			await tx
				.update(memberships)
				.set({ revokedAt: now })
				.where(
					and(
						eq(memberships.unitId, change.unitId),
						eq(memberships.relation, 'owner'),
						inArray(memberships.userId, previousIds),
						isNull(memberships.revokedAt)
					)
				);
			// A stored inbox row: Chinese whatever the reader's language, shown as written.
			await notify(tx, previousIds, {
				kind: OWNER_CHANGE_NOTICE_KIND,
				title: `${unit.label} 已办理业主变更登记`,
				body:
					`业委会已登记 ${unit.label} 的业主变更（原因：${change.reason}），经两位业委会成员确认。` +
					'本次表决中这户改由新业主投票；您之前为这户投的票保留在记录中，新业主投票后以新业主的为准。如有异议，请联系业委会。',
				href: `/vote/${ballot.id}`,
				dedupeKey: `owner-change:${change.id}`
			});
		}
		await audit(tx, {
			actorId: actor.userId,
			action: 'ballot.owner_change_confirm',
			subjectType: 'ballot',
			subjectId: ballot.id,
			detail: { changeId: change.id, unitId: change.unitId, proposedBy: change.proposedBy, previousVoters: previousIds.length }
		});
	});
	return { unitLabel: unit.label };
}

/** 撤回: a pending proposal made in error is withdrawn by any 业委会 member of the unit's compound; it stays on record. */
export async function withdrawOwnerChange(database: Database, actor: Actor, input: { ballotId: string; changeId: string }): Promise<void> {
	const { ballot, change } = await ownerChangeToHandle(database, actor, input);
	await database.write((tx) =>
		changeOnce(
			tx,
			tx
				.update(ownerChanges)
				.set({ withdrawnAt: clock.now() })
				.where(and(eq(ownerChanges.id, change.id), isNull(ownerChanges.confirmedAt), isNull(ownerChanges.withdrawnAt)))
				.returning({ id: ownerChanges.id }),
			new RuleBroken(msg.voting_change_settled_no_withdraw(), 'change_settled'),
			{
				actorId: actor.userId,
				action: 'ballot.owner_change_withdraw',
				subjectType: 'ballot',
				subjectId: ballot.id,
				detail: { changeId: change.id, unitId: change.unitId }
			}
		)
	);
}

export interface OwnerChangeRow {
	id: string;
	unitLabel: string;
	reason: string;
	newOwnerName: string;
	proposedByName: string;
	proposedAt: number;
	confirmedByName: string | null;
	confirmedAt: number | null;
	/** Whether this actor may confirm it (a different 业委会 member of the unit's compound). */
	canConfirm: boolean;
	/** Whether this actor may withdraw it (pending, a 业委会 member of the unit's compound). */
	canWithdraw: boolean;
}

export interface OwnerChangeCandidate {
	unitId: string;
	unitLabel: string;
	/** Verified owner accounts of the unit that do not vote for it in this ballot. */
	accounts: { userId: string; displayName: string }[];
}

/** For the management page: the changes so far, and units with a verified account that does not vote for them. */
export async function ownerChangesOfBallot(
	database: Database,
	actor: Actor,
	ballotId: string
): Promise<{ changes: OwnerChangeRow[]; candidates: OwnerChangeCandidate[] }> {
	const ballot = await loadBallot(database.db, ballotId);
	const scopes = await scopesOf(database, ballot);
	const mine = scopes.filter((s) => decide(actor, 'ballot.owner_change', { compounds: [s] }).allowed).map((s) => s.id);
	const watching = scopes.some((s) => decide(actor, 'count.watch', { compounds: [s] }).allowed);
	if (mine.length === 0 && !watching) throw new AccessDenied(msg.voting_change_view_denied());
	const rows = await database.db.all<{
		id: string;
		compound_id: string;
		building_name: string;
		room: string;
		reason: string;
		proposed_by: string;
		proposed_at: number;
		confirmed_at: number | null;
		new_name: string;
		proposer_name: string;
		confirmer_name: string | null;
	}>(sql`
		SELECT c.id, c.compound_id, e.building_name, e.room, c.reason, c.proposed_by, c.proposed_at, c.confirmed_at,
			n.display_name AS new_name, p.display_name AS proposer_name, k.display_name AS confirmer_name
		FROM owner_changes c
		JOIN electorate_units e ON e.ballot_id = c.ballot_id AND e.unit_id = c.unit_id
		JOIN users n ON n.id = c.new_user_id JOIN users p ON p.id = c.proposed_by LEFT JOIN users k ON k.id = c.confirmed_by
		WHERE c.ballot_id = ${ballot.id} AND c.withdrawn_at IS NULL ORDER BY c.proposed_at`);
	const changes = rows.map((r) => ({
		id: r.id,
		unitLabel: `${r.building_name} ${r.room}`,
		reason: r.reason,
		newOwnerName: r.new_name,
		proposedByName: r.proposer_name,
		proposedAt: Number(r.proposed_at),
		confirmedByName: r.confirmer_name,
		confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
		canConfirm: r.confirmed_at === null && r.proposed_by !== actor.userId && mine.includes(r.compound_id),
		canWithdraw: r.confirmed_at === null && mine.includes(r.compound_id)
	}));
	if (mine.length === 0 || ballot.openedAt === null || ballot.closedAt !== null) return { changes, candidates: [] };
	// Verified owners of a unit who are not among its voters here, where the unit has voters at all. Walks the units that
	// have voters (CROSS JOIN keeps that order), then their accounts: not the ballot's whole electorate (~15 ms at 20,000 units).
	const loose = await database.db.all<{
		unit_id: string;
		building_name: string;
		room: string;
		user_id: string;
		display_name: string;
	}>(sql`
		SELECT e.unit_id, e.building_name, e.room, m.user_id, u.display_name
		FROM (SELECT DISTINCT unit_id FROM electorate_voters WHERE ballot_id = ${ballot.id} AND ended_at IS NULL) w
		CROSS JOIN electorate_units e ON e.ballot_id = ${ballot.id} AND e.unit_id = w.unit_id
		CROSS JOIN memberships m ON m.unit_id = e.unit_id AND m.relation = 'owner' AND m.revoked_at IS NULL
		JOIN users u ON u.id = m.user_id
		WHERE e.compound_id IN (SELECT value FROM json_each(${JSON.stringify(mine)}))
		AND NOT EXISTS (SELECT 1 FROM electorate_voters v
			WHERE v.ballot_id = e.ballot_id AND v.unit_id = e.unit_id AND v.user_id = m.user_id AND v.ended_at IS NULL)
		ORDER BY e.building_name, e.room, m.rowid`);
	const byUnit = new Map<string, OwnerChangeCandidate>();
	for (const r of loose) {
		const entry = byUnit.get(r.unit_id) ?? { unitId: r.unit_id, unitLabel: `${r.building_name} ${r.room}`, accounts: [] };
		entry.accounts.push({ userId: r.user_id, displayName: r.display_name });
		byUnit.set(r.unit_id, entry);
	}
	return { changes, candidates: [...byUnit.values()] };
}

/** What the published record and export say about owner changes: how many, and why. No names, no rooms. */
export async function ownerChangeSummary(reader: Db, ballotId: string): Promise<{ count: number; reasons: string[] }> {
	const rows = await reader
		.select({ reason: ownerChanges.reason })
		.from(ownerChanges)
		.where(and(eq(ownerChanges.ballotId, ballotId), sql`${ownerChanges.confirmedAt} IS NOT NULL`))
		.orderBy(asc(ownerChanges.confirmedAt));
	return { count: rows.length, reasons: rows.map((r) => r.reason) };
}

const unreadOwnerChange = () => and(eq(notifications.kind, OWNER_CHANGE_NOTICE_KIND), isNull(notifications.readAt));

/** Built once per database handle: the root layout reads it on every signed-in page and reload. */
const unreadNoticeQuery = preparedPerHandle((reader) =>
	reader
		.select({ title: notifications.title, body: notifications.body, href: notifications.href })
		.from(notifications)
		.where(and(eq(notifications.userId, sql.placeholder('userId')), unreadOwnerChange()))
		.orderBy(desc(notifications.createdAt))
		.limit(1)
		.prepare()
);

/**
 * For the layout's banner: the latest unread notice that one of this person's units changed owner
 * in an open ballot, so they learn it on the next page they open, not only in the inbox.
 */
export async function unreadOwnerChangeNotice(
	database: Database,
	userId: string
): Promise<{ title: string; body: string; href: string } | null> {
	const rows = await unreadNoticeQuery(database.db).all({ userId });
	return rows[0] ?? null;
}
