/**
 * 表决流程: create → publish the notice (公告, ≥ noticeDays ahead) → open (the electorate is
 * frozen) → close after the deadline (the tally and all its inputs are frozen into the export).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, countDistinct, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { formatDateTime } from '../../domain/time/china-date.ts';
import { type BothChannelsRule, type NonVoterRule, type OwnersRuleKind } from '../../domain/voting/index.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import { assertVotableAgendaItem } from '../agenda/items.ts';
import type { Database, Tx } from '../db/client.ts';
import { ballotCompounds, ballotMotions, ballots, electorateUnits, paperEntries, rosterVersions } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, RuleBroken } from '../errors.ts';
import { m as msg } from '../../paraglide/messages.js';
import { ruleWord } from '../../domain/voting/words.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { loadBallot, newSalt, refuseWith, scopesOf, type BallotRecord } from './common.ts';
import { buildVoteExport } from './tally-input.ts';
import { freezeVoters } from './voters.ts';
import { versionEntries } from '../roster/units.ts';
import { requireSettledChoices, settlementDelayText, settlementsConfirmedAfter } from './settlements.ts';
import { loadCalendar } from '../scheduler/calendar.ts';
import { noticePeriod, votingPeriods, withNotice } from '../../domain/time/ballot-periods.ts';
import { closeRefusal, noticeDaysProblem, noticeTooLateRefusal, openRefusal, BALLOT_LIMITS } from '../../domain/voting/ballot-rules.ts';

export const { defaultNoticeDays: DEFAULT_NOTICE_DAYS, minWindowDays: MIN_WINDOW_DAYS, maxWindowDays: MAX_WINDOW_DAYS } = BALLOT_LIMITS;
const MAX_MOTIONS = BALLOT_LIMITS.maxMotions;
const OWNERS_RULE_KINDS: readonly OwnersRuleKind[] = ['ordinary', 'major', 'unanimous_affected', 'advisory'];

export interface CreateBallotInput {
	title: string;
	/** The agenda item decided; nullable until the agenda module requires it. */
	agendaItemId?: string | null;
	ruleKind: OwnersRuleKind;
	/** Ids default to A, B, C…; text and textHash come frozen from the drafting module. */
	motions: { id?: string; title: string; text?: string | null; textHash?: string | null }[];
	/** Participating compounds; a joint decision passes only if every one passes. */
	compounds: { compoundId: string; nonVoterRule?: NonVoterRule }[];
	bothChannelsRule?: BothChannelsRule;
	countsVisibility?: 'secret' | 'open';
	allowChange?: boolean;
	noticeDays?: number;
	opensAt: number;
	closesAt: number;
}

/** Creates a ballot in draft. Everything that decides the count is fixed here and never edited. */
export async function createBallot(database: Database, actor: Actor, input: CreateBallotInput): Promise<{ ballotId: string }> {
	const compoundIds = (input.compounds ?? []).map((c) => c.compoundId);
	requireAccess(actor, 'ballot.manage', { compounds: await compoundScopes(database, compoundIds) });
	if (compoundIds.length === 0) throw new InvalidInput(msg.voting_create_choose_compound());
	if (new Set(compoundIds).size !== compoundIds.length) throw new InvalidInput(msg.voting_create_compound_twice());
	const title = (input.title ?? '').trim();
	if (title.length === 0 || title.length > 200) throw new InvalidInput(msg.voting_create_title(), { title: msg.voting_field_fill() });
	if ((input.ruleKind as string) === 'residents_meeting')
		throw new InvalidInput(msg.voting_create_residents_meeting(), { ruleKind: msg.voting_create_not_applicable() });
	if (!OWNERS_RULE_KINDS.includes(input.ruleKind))
		throw new InvalidInput(msg.voting_create_choose_rule(), { ruleKind: msg.voting_field_choose() });
	// No vote on anything that was not in the published agenda (DOMAIN.md §4). Binding owners'
	// decisions must name their agenda item; an advisory poll may stand alone.
	if (input.ruleKind !== 'advisory' || input.agendaItemId) {
		const item = await assertVotableAgendaItem(database, input.agendaItemId);
		if (item.rule !== input.ruleKind)
			throw new InvalidInput(msg.voting_create_rule_mismatch({ rule: ruleWord(item.rule) }), {
				ruleKind: msg.voting_create_rule_mismatch_field()
			});
		const outside = compoundIds.filter((id) => !item.compoundIds.includes(id));
		if (outside.length > 0)
			throw new InvalidInput(msg.voting_create_compound_not_on_agenda(), { compound: msg.voting_create_not_on_agenda_field() });
	}
	const bothChannelsRule = input.bothChannelsRule ?? 'electronic_prevails';
	if (bothChannelsRule !== 'electronic_prevails' && bothChannelsRule !== 'paper_prevails')
		throw new InvalidInput(msg.voting_create_both_channels());
	const countsVisibility = input.countsVisibility ?? 'secret';
	if (countsVisibility !== 'secret' && countsVisibility !== 'open') throw new InvalidInput(msg.voting_create_visibility());
	for (const c of input.compounds) {
		if (c.nonVoterRule !== undefined && c.nonVoterRule !== 'off' && c.nonVoterRule !== 'follow_majority')
			throw new InvalidInput(msg.voting_create_non_voter_rule());
	}

	const motions = (input.motions ?? []).map((m, i) => ({
		motionId: (m.id ?? String.fromCharCode(65 + i)).trim(),
		position: i,
		title: (m.title ?? '').trim(),
		text: m.text ?? null,
		textHash: m.textHash ?? null
	}));
	if (motions.length === 0 || motions.length > MAX_MOTIONS)
		throw new InvalidInput(msg.voting_create_motion_count({ max: MAX_MOTIONS }), { motions: msg.voting_create_motion_count_field() });
	if (new Set(motions.map((m) => m.motionId)).size !== motions.length || motions.some((m) => m.motionId === ''))
		throw new InvalidInput(msg.voting_create_motion_ids());
	for (const m of motions) {
		if (m.title.length === 0)
			throw new InvalidInput(msg.voting_create_motion_title({ id: m.motionId }), { [m.motionId]: msg.voting_field_fill() });
		// The hash proves which text owners voted on; a text that does not match it is not that text.
		if (
			m.text !== null &&
			m.textHash !== null &&
			encodeHexLowerCase(sha256(new TextEncoder().encode(m.text))) !== m.textHash.toLowerCase()
		) {
			throw new InvalidInput(msg.voting_create_motion_hash({ id: m.motionId }), {
				[m.motionId]: msg.voting_create_motion_hash_field()
			});
		}
	}

	const noticeDays = input.noticeDays ?? DEFAULT_NOTICE_DAYS;
	const noticeProblem = noticeDaysProblem(noticeDays);
	if (noticeProblem) throw new InvalidInput(noticeProblem, { noticeDays: msg.voting_create_notice_days_field() });
	if (!Number.isSafeInteger(input.opensAt) || !Number.isSafeInteger(input.closesAt)) throw new InvalidInput(msg.voting_create_times());
	const now = clock.now();
	// Both periods under 民法典 arts. 201/203 over the installation's rest-day calendar; see ballot-periods.ts.
	const periods = votingPeriods(await loadCalendar(database.db), {
		noticeFrom: now,
		noticeDays,
		opensAt: input.opensAt,
		closesAt: input.closesAt,
		minWindowDays: MIN_WINDOW_DAYS,
		maxWindowDays: MAX_WINDOW_DAYS
	});
	if (!periods.ok) throw new InvalidInput(periods.message, periods.fields);

	const ballotId = newId();
	await database.write(async (tx) => {
		await tx.insert(ballots).values({
			id: ballotId,
			title,
			agendaItemId: input.agendaItemId ?? null,
			ruleKind: input.ruleKind,
			bothChannelsRule,
			countsVisibility,
			allowChange: input.allowChange ?? false,
			noticeDays,
			opensAt: input.opensAt,
			closesAt: input.closesAt,
			periodsJson: JSON.stringify(periods.periods),
			salt: newSalt(),
			createdBy: actor.userId,
			createdAt: now
		});
		await tx
			.insert(ballotCompounds)
			.values(
				input.compounds.map((c, i) => ({ ballotId, compoundId: c.compoundId, position: i, nonVoterRule: c.nonVoterRule ?? 'off' }))
			);
		await tx.insert(ballotMotions).values(motions.map((m) => ({ ballotId, ...m })));
		await audit(tx, {
			actorId: actor.userId,
			action: 'ballot.create',
			subjectType: 'ballot',
			subjectId: ballotId,
			detail: { title, ruleKind: input.ruleKind, compounds: compoundIds }
		});
	});
	return { ballotId };
}

/** 公告: publishes the notice, at least noticeDays before voting opens (DOMAIN.md §4). */
export async function publishNotice(database: Database, actor: Actor, input: { ballotId: string }): Promise<{ publishedAt: number }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAccess(actor, 'ballot.manage', { compounds: await scopesOf(database, ballot) });
	const now = clock.now();
	if (ballot.noticePublishedAt !== null) throw new RuleBroken(msg.voting_notice_already_published());
	const notice = noticePeriod(await loadCalendar(database.db), now, ballot.noticeDays);
	refuseWith(noticeTooLateRefusal(notice.endsAt, ballot.opensAt, ballot.noticeDays));
	await database.write(async (tx) => {
		await changeOnce(
			tx,
			tx
				.update(ballots)
				// The notice period as it actually ran, counted from the publication (not the creation).
				.set({
					noticePublishedAt: now,
					noticePublishedBy: actor.userId,
					periodsJson: ballot.periodsJson ? JSON.stringify(withNotice(JSON.parse(ballot.periodsJson), notice)) : null
				})
				.where(and(eq(ballots.id, ballot.id), isNull(ballots.noticePublishedAt)))
				.returning({ id: ballots.id }),
			new RuleBroken(msg.voting_notice_already_published()),
			{ actorId: actor.userId, action: 'ballot.notice', subjectType: 'ballot', subjectId: ballot.id }
		);
	});
	return { publishedAt: now };
}

/**
 * 开始投票: freezes the electorate. Each participating compound's latest roster version is copied
 * into electorate_units in the same transaction that stamps openedAt, so no ballot can be cast
 * against a half-copied roster, and later roster versions never move the denominator. Each unit's
 * verified owner accounts are fixed as its voters in the same write (voters.ts).
 */
export async function openBallot(
	database: Database,
	actor: Actor,
	input: { ballotId: string }
): Promise<{ openedAt: number; units: number }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAccess(actor, 'ballot.manage', { compounds: await scopesOf(database, ballot) });
	return openLoadedBallot(database, ballot, actor.userId);
}

/** Opening itself, by a manager (openBallot) or by the scheduler at opensAt (actorId null). */
export async function openLoadedBallot(
	database: Database,
	ballot: BallotRecord,
	actorId: string | null
): Promise<{ openedAt: number; units: number }> {
	const now = clock.now();
	refuseWith(openRefusal(ballot, now));

	return database.write(async (tx) => {
		// Re-read inside the write: another process (a second scheduler) may have opened it meanwhile.
		const [state] = await tx.select({ openedAt: ballots.openedAt }).from(ballots).where(eq(ballots.id, ballot.id));
		if (state.openedAt !== null) throw new RuleBroken(msg.voting_already_open(), 'already_open');
		let total = 0;
		for (const compound of ballot.compounds) {
			const versions = await tx
				.select({ id: rosterVersions.id })
				.from(rosterVersions)
				.where(eq(rosterVersions.compoundId, compound.compoundId))
				.orderBy(desc(rosterVersions.versionNo))
				.limit(1);
			if (versions.length === 0) throw new RuleBroken(msg.voting_open_no_roster({ compound: compound.name }), 'no_roster');
			const rows = await versionEntries(tx, versions[0].id);
			// Owners' names and phones stay in the roster: the electorate keeps only the pseudonymous owner key.
			for (let i = 0; i < rows.length; i += 500) {
				await tx
					.insert(electorateUnits)
					.values(
						rows
							.slice(i, i + 500)
							.map(({ owners: _owners, ...r }) => ({ ...r, ballotId: ballot.id, compoundId: compound.compoundId }))
					);
			}
			await tx
				.update(ballotCompounds)
				.set({ rosterVersionId: versions[0].id })
				.where(and(eq(ballotCompounds.ballotId, ballot.id), eq(ballotCompounds.compoundId, compound.compoundId)));
			total += rows.length;
		}
		await freezeVoters(tx, ballot.id, now);
		await changeOnce(
			tx,
			tx
				.update(ballots)
				.set({ openedAt: now, openedBy: actorId })
				.where(and(eq(ballots.id, ballot.id), isNull(ballots.openedAt)))
				.returning({ id: ballots.id }),
			new RuleBroken(msg.voting_already_open()),
			{
				actorId,
				action: 'ballot.open',
				subjectType: 'ballot',
				subjectId: ballot.id,
				detail: { units: total, by: actorId === null ? 'scheduler' : 'person' }
			}
		);
		return { openedAt: now, units: total };
	});
}

/**
 * 结束计票: after the deadline, one participating compound's 业委会 (or whoever may manage the
 * ballot) closes the count. Closing is not a judgement call — the deadline decided — so any one
 * of them may do it for the whole ballot. The tally and every input are frozen into exportJson
 * in the same transaction that stamps closedAt: what is published is exactly what was counted.
 *
 * Paper entries still waiting for a second entry, or in a mismatch, do not count; how many there
 * were is returned and written to the audit trail.
 */
export async function closeBallot(
	database: Database,
	actor: Actor,
	input: { ballotId: string }
): Promise<{ closedAt: number; unresolvedPaperEntries: number }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	const scopes = await scopesOf(database, ballot);
	const mayClose =
		decide(actor, 'ballot.manage', { compounds: scopes }).allowed ||
		scopes.some((scope) => decide(actor, 'count.close', { compounds: [scope] }).allowed);
	if (!mayClose) throw new AccessDenied(msg.voting_close_only_committee());
	return closeLoadedBallot(database, ballot, actor.userId, { waitForPaper: false });
}

export interface CloseOptions {
	/**
	 * The scheduler waits while paper entries await their second entry (it retries, and the 业委会
	 * is told); a person closing by hand closes with them left uncounted, as before.
	 */
	waitForPaper: boolean;
}

/**
 * Closing itself. The close time recorded is the true one: the deadline (closesAt) when nothing held
 * the count open — even when the server was down at the deadline and closes it at start-up — or the
 * moment it actually closed, with the reason, when paper entries held it open (or a person closed later).
 * Two processes never both close: the transaction re-reads the row and the UPDATE is conditional.
 */
export async function closeLoadedBallot(
	database: Database,
	ballot: BallotRecord,
	actorId: string | null,
	options: CloseOptions
): Promise<{ closedAt: number; unresolvedPaperEntries: number }> {
	const now = clock.now();
	refuseWith(closeRefusal(ballot, now));

	return database.write(async (tx: Tx) => {
		const current = await loadBallot(tx, ballot.id);
		if (current.closedAt !== null) throw new RuleBroken(msg.voting_count_already_closed());
		const pending = await tx
			.select({ id: paperEntries.id })
			.from(paperEntries)
			.where(and(eq(paperEntries.ballotId, ballot.id), isNull(paperEntries.confirmedAt), isNull(paperEntries.withdrawnAt)));
		if (options.waitForPaper && pending.length > 0) {
			throw new RuleBroken(msg.voting_close_paper_pending({ count: pending.length }), 'paper_pending');
		}
		// By hand or by the scheduler: a person whose units voted differently is settled by the 业委会 first.
		await requireSettledChoices(tx, current);
		// By hand: the moment the person closed, as before. By the scheduler: the deadline, unless
		// paper entries were still being confirmed after it — then the moment it closed, and why.
		let closedAt = now;
		let delayReason: string | null = null;
		if (actorId === null) {
			const [late] = await tx
				.select({ n: countDistinct(paperEntries.unitId) })
				.from(paperEntries)
				.where(
					and(
						eq(paperEntries.ballotId, ballot.id),
						or(gt(paperEntries.confirmedAt, current.closesAt), gt(paperEntries.withdrawnAt, current.closesAt))
					)
				);
			// The delay reason is stored and hashed into the record: Chinese whatever the reader's language.
			if (late.n > 0)
				delayReason = `截止时仍有纸质票等待第二次录入或核对（截止后 ${late.n} 户的纸质票完成核对），全部完成后于${formatDateTime(now)}自动结束计票`;
			const settledLate = await settlementsConfirmedAfter(tx, ballot.id, current.closesAt);
			if (settledLate > 0) delayReason = [delayReason, settlementDelayText(settledLate, now)].filter(Boolean).join('；');
			if (delayReason === null) closedAt = current.closesAt;
		}
		const doc = await buildVoteExport(tx, current, closedAt);
		await changeOnce(
			tx,
			tx
				.update(ballots)
				.set({ closedAt, closedBy: actorId, exportJson: JSON.stringify(doc), closeDelayReason: delayReason })
				.where(and(eq(ballots.id, ballot.id), isNull(ballots.closedAt)))
				.returning({ id: ballots.id }),
			new RuleBroken(msg.voting_count_already_closed()),
			{
				actorId,
				action: 'ballot.close',
				subjectType: 'ballot',
				subjectId: ballot.id,
				detail: {
					by: actorId === null ? 'scheduler' : 'person',
					processedAt: now,
					delayReason,
					unresolvedPaperEntries: pending.length,
					passed: doc.result.motions.map((m) => ({ motionId: m.motionId, outcome: m.joint.outcome }))
				}
			}
		);
		return { closedAt, unresolvedPaperEntries: pending.length };
	});
}
