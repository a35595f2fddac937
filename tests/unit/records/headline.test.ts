import { describe, expect, it } from 'vitest';
import { decideJointly, decideOwnersCompound } from '../../../src/lib/domain/voting/decide.ts';
import { emptyBallotCounts } from '../../../src/lib/domain/voting/counting.ts';
import { disputeLine, headlineOf, monthDay } from '../../../src/routes/records/[id]/headline.ts';
import { motionOutcomeWords } from '../../../src/lib/domain/records/outcome.ts';

const fig = (area: number, persons: number) => ({ areaHundredths: area * 100, persons });
const xianxia = { compoundId: 'xianxia', name: '仙霞小区', nonVoterRule: 'off' as const };

function motion(yes: [number, number], no: [number, number], total: [number, number] = [10_000, 100]) {
	const tally = decideOwnersCompound('ordinary', xianxia, {
		total: fig(...total),
		yes: fig(...yes),
		no: fig(...no),
		abstain: fig(0, 0),
		consentingPersons: 0,
		ballots: emptyBallotCounts()
	});
	return { compounds: [tally], joint: decideJointly('ordinary', [tally]) };
}

describe('the record headline', () => {
	it('a missed quorum says so first, with the share that took part and the share of voters who agreed', () => {
		// 50 of 100 owners voted (50% < 2/3); 39 of them (78%) agreed.
		const h = headlineOf(motion([3_900, 39], [1_100, 11]));
		expect(h.passed).toBe(false);
		expect(h.outcome).toBe('未达到参与门槛，不能通过');
		expect(h.reasons).toEqual([
			'仙霞小区参与表决的业主不够（面积只有 50%、人数只有 50%，需要三分之二以上），同意的再多也不能通过；参与表决的 50 人中 39 人同意（78%）'
		]);
	});

	it('a quorum met but too few agreeing says which test failed', () => {
		const h = headlineOf(motion([3_000, 30], [5_000, 50]));
		expect(h.outcome).toBe('未通过');
		expect(h.reasons[0]).toMatch(/^仙霞小区同意的不够（同意面积占参与表决面积 37%，需要超过半数/);
	});

	it('a pass needs no explanation', () => {
		expect(headlineOf(motion([6_000, 60], [1_000, 10]))).toEqual({ outcome: '通过', passed: true, reasons: [] });
	});
});

describe('the outcome words of a list entry (records list, home)', () => {
	it('say 未达到参与门槛 for a missed quorum, 未通过 for too few agreeing, 通过 for a pass', () => {
		expect(motionOutcomeWords(motion([3_900, 39], [1_100, 11]))).toBe('未达到参与门槛，不能通过');
		expect(motionOutcomeWords(motion([3_000, 30], [5_000, 50]))).toBe('未通过');
		expect(motionOutcomeWords(motion([6_000, 60], [1_000, 10]))).toBe('通过');
	});
});

describe('the dispute window line', () => {
	it('reads as a sentence, with the days still left to object', () => {
		expect(disputeLine({ firstDay: '2026-12-08', lastDay: '2026-12-14' }, true, 8, 2026)).toBe(
			'公示期 12月8日至12月14日，还有 8 天可以提出异议。'
		);
		expect(disputeLine({ firstDay: '2026-12-08', lastDay: '2026-12-14' }, true, 1, 2026)).toBe(
			'公示期 12月8日至12月14日，今天是最后一天可以提出异议。'
		);
		expect(disputeLine({ firstDay: '2025-12-08', lastDay: '2025-12-14' }, false, 0, 2026)).toBe(
			'公示期 2025年12月8日至2025年12月14日，已经结束。'
		);
	});

	it('names the year only when it is not this one', () => {
		expect(monthDay('2026-01-05', 2026)).toBe('1月5日');
		expect(monthDay('2027-01-05', 2026)).toBe('2027年1月5日');
	});
});
