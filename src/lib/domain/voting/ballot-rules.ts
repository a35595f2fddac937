/**
 * The rules that decide a ballot's course, pure (no I/O): its phase and voting window, the limits of
 * its schedule, the deciding rule taken from the agenda, and when two typings of one paper ballot are
 * the same ballot (双人录入). The voting services (src/lib/server/voting) read them and map a refusal
 * to their typed errors; the tests are tables (tests/unit/voting/ballot-rules.test.ts).
 */
import { formatDateTime } from '../../i18n/format.ts';
import { m } from '../../paraglide/messages.js';
import { choiceWord } from './words.ts';
import type { Choice, OwnersRuleKind } from './types.ts';

/**
 * The limits of a ballot's schedule and size: the notice (公告) is announced `defaultNoticeDays` before
 * voting opens unless the ballot says otherwise (DOMAIN.md §4); the window lasts 5 to 60 days (Hangzhou's
 * rule for electronic voting).
 */
export const BALLOT_LIMITS = {
	defaultNoticeDays: 15,
	minNoticeDays: 1,
	maxNoticeDays: 60,
	minWindowDays: 5,
	maxWindowDays: 60,
	maxMotions: 10
} as const;

/** A refusal in the voter's words, with the code the service's typed error carries. */
export interface Refusal {
	code: string;
	message: string;
}

/** The stamps and times a ballot's phase is derived from (never stored). */
export interface BallotClock {
	noticePublishedAt: number | null;
	openedAt: number | null;
	closedAt: number | null;
	opensAt: number;
	closesAt: number;
}

/**
 * 草拟 → 已公告 → 投票中 → 已截止（待结束计票）→ 已结束 (labels: voting/common.ts). Voting happens only in
 * 'voting': opened (electorate frozen) and opensAt ≤ now < closesAt.
 */
export type BallotPhase = 'draft' | 'noticed' | 'voting' | 'ended' | 'closed';

export function ballotPhase(ballot: BallotClock, now: number): BallotPhase {
	if (ballot.closedAt !== null) return 'closed';
	if (ballot.openedAt !== null && now >= ballot.closesAt) return 'ended';
	if (ballot.openedAt !== null && now >= ballot.opensAt) return 'voting';
	if (ballot.noticePublishedAt !== null) return 'noticed';
	return 'draft';
}

/** Why a ballot cannot be cast now, saying when the window is; null inside the window. */
export function votingWindowRefusal(ballot: BallotClock, now: number): Refusal | null {
	const phase = ballotPhase(ballot, now);
	if (phase === 'voting') return null;
	if (phase === 'ended' || phase === 'closed')
		return { code: 'window_closed', message: m.voting_rule_closed_no_vote({ at: formatDateTime(ballot.closesAt) }) };
	return { code: 'window_not_open', message: m.voting_rule_not_open_no_vote({ at: formatDateTime(ballot.opensAt) }) };
}

/** Paper ballots signed during the window may still be typed in after the deadline, until the count is closed. */
export function paperEntryRefusal(ballot: BallotClock, now: number): Refusal | null {
	const phase = ballotPhase(ballot, now);
	if (phase === 'voting' || phase === 'ended') return null;
	if (phase === 'closed') return { code: 'window_closed', message: m.voting_rule_closed_no_paper() };
	return { code: 'window_not_open', message: m.voting_rule_not_open_no_paper({ at: formatDateTime(ballot.opensAt) }) };
}

/** The notice period a ballot asks for, whole days within the limits; null when it is acceptable. */
export function noticeDaysProblem(noticeDays: number): string | null {
	const { minNoticeDays, maxNoticeDays } = BALLOT_LIMITS;
	if (Number.isInteger(noticeDays) && noticeDays >= minNoticeDays && noticeDays <= maxNoticeDays) return null;
	return m.voting_rule_notice_days({ min: minNoticeDays, max: maxNoticeDays });
}

/**
 * Publishing the notice now: its period (counted under arts. 201/203, ending at noticeEndsAt) must end
 * by the time voting opens, or the owners would not have had their full notice.
 */
export function noticeTooLateRefusal(noticeEndsAt: number, opensAt: number, noticeDays: number): Refusal | null {
	if (noticeEndsAt <= opensAt) return null;
	return {
		code: 'notice_too_late',
		message: m.voting_rule_notice_too_late({ days: noticeDays })
	};
}

/** Opening (freezing the electorate): after the notice, at its opening time, before its deadline, once. */
export function openRefusal(ballot: BallotClock, now: number): Refusal | null {
	if (ballot.noticePublishedAt === null) return { code: 'rule', message: m.voting_rule_notice_first() };
	if (ballot.openedAt !== null) return { code: 'rule', message: m.voting_rule_already_open() };
	if (now < ballot.opensAt) return { code: 'window_not_open', message: m.voting_rule_too_early({ at: formatDateTime(ballot.opensAt) }) };
	if (now >= ballot.closesAt) return { code: 'window_closed', message: m.voting_rule_too_late_to_open() };
	return null;
}

/** Closing the count: only after the deadline, once. */
export function closeRefusal(ballot: BallotClock, now: number): Refusal | null {
	if (ballot.closedAt !== null) return { code: 'rule', message: m.voting_rule_already_closed() };
	if (ballot.openedAt === null) return { code: 'rule', message: m.voting_rule_close_not_open() };
	if (now < ballot.closesAt)
		return { code: 'window_open', message: m.voting_rule_close_too_early({ at: formatDateTime(ballot.closesAt) }) };
	return null;
}

/**
 * The deciding rule of a new ballot comes from the published agenda item it decides (议程规定的表决规则);
 * without an item only an advisory poll (意见征询) may be held. `chosenItemId` is what the form sent,
 * `item` the votable agenda item of that id (undefined when there is none the actor may use).
 */
export function ballotRuleKind(
	chosenItemId: string,
	item: { agendaItemId: string; rule: OwnersRuleKind } | undefined
): { ok: true; agendaItemId: string | null; ruleKind: OwnersRuleKind } | { ok: false; message: string; field: 'agendaItem' } {
	if (chosenItemId !== '' && item === undefined) return { ok: false, message: m.voting_new_field_item_hint_short(), field: 'agendaItem' };
	return item
		? { ok: true, agendaItemId: item.agendaItemId, ruleKind: item.rule }
		: { ok: true, agendaItemId: null, ruleKind: 'advisory' };
}

/** One member's typing of one paper ballot, as double entry compares it. */
export interface PaperTyping {
	enteredBy: string;
	/** Canonical choices text (keys sorted): equal ballots have equal text. */
	choices: string;
	/** The 委托书 a proxy signed under, or null for the owner's own signature. */
	proxyId: string | null;
}

export type PaperEntryStatus = 'awaiting_second' | 'confirmed' | 'mismatch';

/** Two typings are the same ballot when they agree on every choice and on who signed (owner, or which 委托书). */
export function sameBallot(a: PaperTyping, b: PaperTyping): boolean {
	return a.choices === b.choices && a.proxyId === b.proxyId;
}

/**
 * 双人录入: a new typing against the unit's open (unconfirmed, unwithdrawn) typings, oldest first. The same
 * member can never supply the second typing; the first open typing by another member that agrees confirms
 * both; otherwise the new typing waits alone, or sits beside a disagreeing one as a mismatch.
 */
export function matchPaperTyping<T extends PaperTyping>(
	open: T[],
	typing: PaperTyping
): { kind: 'same_member' } | { kind: 'entered'; status: PaperEntryStatus; match: T | null } {
	if (open.some((e) => e.enteredBy === typing.enteredBy)) return { kind: 'same_member' };
	const match = open.find((e) => sameBallot(e, typing)) ?? null;
	if (match) return { kind: 'entered', status: 'confirmed', match };
	return { kind: 'entered', status: open.length === 0 ? 'awaiting_second' : 'mismatch', match: null };
}

/** 待核对: a unit's open typings disagree (two or more, not all the same ballot). */
export function typingsDisagree(open: PaperTyping[]): boolean {
	return open.length >= 2 && open.some((e) => !sameBallot(e, open[0]));
}

/**
 * A 受托人 votes as the 委托书 instructs (Shanghai art. 18): only on the motions it covers and only as
 * instructed. One rule for a 受托人's electronic ballot and for a paper ballot a 受托人 signed.
 */
export function proxyChoicesRefusal(
	instructions: Readonly<Record<string, Choice>>,
	choices: ReadonlyMap<string, Choice>,
	titleOf: (motionId: string) => string
): Refusal | null {
	for (const [motionId, choice] of choices) {
		const instructed = instructions[motionId];
		if (instructed === undefined) return { code: 'proxy_scope', message: m.voting_rule_proxy_scope({ title: titleOf(motionId) }) };
		if (instructed !== choice) {
			const message = m.voting_rule_proxy_instruction({
				title: titleOf(motionId),
				instructed: choiceWord(instructed),
				choice: choiceWord(choice)
			});
			return { code: 'proxy_instruction', message };
		}
	}
	return null;
}
