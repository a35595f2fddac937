import { describe, expect, it } from 'vitest';
import {
	ballotPhase,
	ballotRuleKind,
	closeRefusal,
	matchPaperTyping,
	noticeDaysProblem,
	noticeTooLateRefusal,
	openRefusal,
	paperEntryRefusal,
	typingsDisagree,
	votingWindowRefusal,
	type BallotClock,
	type BallotPhase
} from '../../../src/lib/domain/voting/ballot-rules.ts';

const HOUR = 3600_000;
/** 2026-03-10 08:00 and 2026-03-20 00:00, China time. */
const OPENS = Date.UTC(2026, 2, 10, 0);
const CLOSES = Date.UTC(2026, 2, 19, 16);
const ballot = (over: Partial<BallotClock> = {}): BallotClock => ({
	noticePublishedAt: null,
	openedAt: null,
	closedAt: null,
	opensAt: OPENS,
	closesAt: CLOSES,
	...over
});
const noticed = ballot({ noticePublishedAt: OPENS - 20 * 24 * HOUR });
const opened = ballot({ noticePublishedAt: OPENS - 20 * 24 * HOUR, openedAt: OPENS });
const closed = ballot({ noticePublishedAt: OPENS - 20 * 24 * HOUR, openedAt: OPENS, closedAt: CLOSES + HOUR });

describe('the ballot phase, from its stamps', () => {
	it.each<[string, BallotClock, number, BallotPhase]>([
		['created, nothing published', ballot(), OPENS, 'draft'],
		['noticed, before opening time', noticed, OPENS - 1, 'noticed'],
		['noticed, opening time passed but the electorate not frozen yet', noticed, OPENS + HOUR, 'noticed'],
		['opened at its time', opened, OPENS, 'voting'],
		['opened, the last millisecond of the window', opened, CLOSES - 1, 'voting'],
		['opened, the deadline itself (24:00 ends the day)', opened, CLOSES, 'ended'],
		['opened early by hand, before its opening time', opened, OPENS - HOUR, 'noticed'],
		['closed', closed, CLOSES + 2 * HOUR, 'closed'],
		['closed wins over every time', closed, OPENS, 'closed']
	])('%s → %s', (_name, b, now, phase) => {
		expect(ballotPhase(b, now)).toBe(phase);
	});
});

describe('the voting window and paper entry', () => {
	it.each<[string, BallotClock, number, string | null, string | null]>([
		['inside the window', opened, OPENS + HOUR, null, null],
		['before it opens', noticed, OPENS - HOUR, 'window_not_open', 'window_not_open'],
		['after the deadline, count still open: paper signed in time may still be typed in', opened, CLOSES + HOUR, 'window_closed', null],
		['after the count closed', closed, CLOSES + 2 * HOUR, 'window_closed', 'window_closed'],
		['a draft', ballot(), OPENS + HOUR, 'window_not_open', 'window_not_open']
	])('%s', (_name, b, now, cast, paper) => {
		expect(votingWindowRefusal(b, now)?.code ?? null).toBe(cast);
		expect(paperEntryRefusal(b, now)?.code ?? null).toBe(paper);
	});

	it('says when the window is, in China time', () => {
		expect(votingWindowRefusal(noticed, OPENS - HOUR)!.message).toBe('表决尚未开始（开始时间：2026年3月10日 08:00），现在不能投票');
		expect(votingWindowRefusal(opened, CLOSES)!.message).toBe('表决已于2026年3月20日 00:00截止，不能再投票');
		expect(paperEntryRefusal(closed, CLOSES + 2 * HOUR)!.message).toBe('计票已经结束，不能再录入纸质票');
	});
});

describe('opening and closing', () => {
	it.each<[string, BallotClock, number, string | null]>([
		['open a draft', ballot(), OPENS, '须先发布表决公告，才能开始投票'],
		['open before the time', noticed, OPENS - 1, '未到公告的投票开始时间（2026年3月10日 08:00）'],
		['open at the time', noticed, OPENS, null],
		['open after the deadline', noticed, CLOSES, '投票截止时间已过，不能再开始投票'],
		['open twice', opened, OPENS + HOUR, '投票已经开始了']
	])('%s', (_name, b, now, message) => {
		expect(openRefusal(b, now)?.message ?? null).toBe(message);
	});

	it.each<[string, BallotClock, number, string | null]>([
		['close before opening', noticed, CLOSES + 1, '投票还没有开始，不能结束计票'],
		['close before the deadline', opened, CLOSES - 1, '投票截止时间（2026年3月20日 00:00）未到，不能提前结束计票'],
		['close at the deadline', opened, CLOSES, null],
		['close twice', closed, CLOSES + 3 * HOUR, '计票已经结束了']
	])('%s', (_name, b, now, message) => {
		expect(closeRefusal(b, now)?.message ?? null).toBe(message);
	});
});

describe('the schedule limits', () => {
	it.each<[number, boolean]>([
		[15, true],
		[1, true],
		[60, true],
		[0, false],
		[61, false],
		[7.5, false],
		[Number.NaN, false],
		[-15, false]
	])('a notice of %s days is acceptable: %s', (days, ok) => {
		expect(noticeDaysProblem(days) === null).toBe(ok);
	});

	it.each<[string, number, boolean]>([
		['the notice period ends before opening', OPENS - 1, false],
		['ends exactly at opening', OPENS, false],
		['ends after opening: too late to publish', OPENS + 1, true]
	])('%s', (_name, noticeEndsAt, tooLate) => {
		const refusal = noticeTooLateRefusal(noticeEndsAt, OPENS, 15);
		expect(refusal !== null).toBe(tooLate);
		if (refusal) expect(refusal).toMatchObject({ code: 'notice_too_late', message: expect.stringContaining('至少 15 天发布公告') });
	});
});

describe('the deciding rule of a new ballot', () => {
	const item = { agendaItemId: 'gate', rule: 'major' as const };
	it.each([
		['the agenda item’s rule', 'gate', item, { ok: true, agendaItemId: 'gate', ruleKind: 'major' }],
		['no item chosen: an advisory poll', '', undefined, { ok: true, agendaItemId: null, ruleKind: 'advisory' }],
		[
			'an item not votable (unpublished, not theirs)',
			'other',
			undefined,
			{ ok: false, message: '只能对已公布议程中的议题表决', field: 'agendaItem' }
		]
	] as const)('%s', (_name, chosen, found, result) => {
		expect(ballotRuleKind(chosen, found)).toEqual(result);
	});
});

describe('paper double entry (双人录入)', () => {
	const yes = '{"A":"yes"}';
	const no = '{"A":"no"}';
	const typing = (id: string, enteredBy: string, choices: string, proxyId: string | null = null) => ({ id, enteredBy, choices, proxyId });

	it.each([
		['the first typing waits for a second', [], typing('n', 'b', yes), 'awaiting_second', null],
		['a second member agreeing confirms both', [typing('1', 'a', yes)], typing('n', 'b', yes), 'confirmed', '1'],
		['a second member disagreeing is a mismatch', [typing('1', 'a', yes)], typing('n', 'b', no), 'mismatch', null],
		['a third member settles a mismatch', [typing('1', 'a', yes), typing('2', 'b', no)], typing('n', 'c', no), 'confirmed', '2'],
		['the same 委托书 on both typings agrees', [typing('1', 'a', yes, 'p1')], typing('n', 'b', yes, 'p1'), 'confirmed', '1'],
		['one typing with a 委托书, one without, is a mismatch', [typing('1', 'a', yes, 'p1')], typing('n', 'b', yes), 'mismatch', null],
		['two different 委托书 are a mismatch', [typing('1', 'a', yes, 'p1')], typing('n', 'b', yes, 'p2'), 'mismatch', null]
	] as const)('%s', (_name, open, entry, status, matchId) => {
		const result = matchPaperTyping([...open], entry);
		expect(result).toMatchObject({ kind: 'entered', status });
		expect(result.kind === 'entered' && result.match ? result.match.id : null).toBe(matchId);
	});

	it('the same member can never supply the second typing, whatever they type', () => {
		expect(matchPaperTyping([typing('1', 'a', yes)], typing('n', 'a', yes))).toEqual({ kind: 'same_member' });
		expect(matchPaperTyping([typing('1', 'b', no), typing('2', 'a', yes)], typing('n', 'a', no))).toEqual({ kind: 'same_member' });
	});

	it.each([
		['one typing', [typing('1', 'a', yes)], false],
		['two that agree', [typing('1', 'a', yes), typing('2', 'b', yes)], false],
		['two that differ', [typing('1', 'a', yes), typing('2', 'b', no)], true],
		['two that differ only in the 委托书', [typing('1', 'a', yes, 'p1'), typing('2', 'b', yes)], true]
	] as const)('listed for reconciliation — %s: %s', (_name, open, listed) => {
		expect(typingsDisagree([...open])).toBe(listed);
	});
});
