/** The ballot page sends the turnout card, not the whole turnout: what TurnoutPanel shows, and nothing more. */
import { describe, expect, it } from 'vitest';
import { turnoutCard, type Turnout } from '../../../src/lib/server/voting/results.ts';

const figures = (areaHundredths: number, persons: number) => ({ areaHundredths, persons });
const check = {
	id: 'participation_area' as const,
	label: '参与表决专有部分面积占比',
	actual: { numerator: 600, denominator: 900 },
	required: { numerator: 2, denominator: 3 },
	comparison: 'at_least' as const,
	met: true,
	display: '6.00㎡ / 9.00㎡ = 66.66% ≥ 2/3：达到'
};
const compound = (counts: Turnout['motions'][number]['compounds'][number]['counts']) => ({
	compoundId: 'aijian',
	compoundName: '爱建',
	total: figures(900, 9),
	participating: figures(600, 6),
	nonVoting: figures(300, 3),
	thresholds: [check],
	counts
});
const turnout = (countsVisible: boolean): Turnout => ({
	ballotId: 'b1',
	title: '侧门',
	phase: 'voting',
	phaseLabel: '投票中',
	closesAt: 1,
	msLeft: 3_600_000,
	timeLeft: '1 小时',
	countsVisible,
	motions: ['A', 'B'].map((motionId) => ({
		motionId,
		title: `方案${motionId}`,
		compounds: [compound(countsVisible ? { yes: figures(400, 4), no: figures(100, 1), abstain: figures(100, 1) } : null)]
	}))
});

describe('the turnout card', () => {
	it('keeps the first motion’s participation and thresholds, and only persons of the open counts', () => {
		const card = turnoutCard(turnout(true));
		const shown = (thresholds: (typeof check)[]) => ({
			compoundId: 'aijian',
			compoundName: '爱建',
			participating: { areaHundredths: 600 },
			total: { areaHundredths: 900 },
			thresholds,
			counts: { yes: { persons: 4 }, no: { persons: 1 }, abstain: { persons: 1 } }
		});
		expect(card).toEqual({
			phase: 'voting',
			msLeft: 3_600_000,
			countsVisible: true,
			motions: [
				{ motionId: 'A', title: '方案A', compounds: [shown([check])] },
				{ motionId: 'B', title: '方案B', compounds: [shown([])] }
			]
		});
	});

	it('carries no counts of a secret ballot', () => {
		expect(turnoutCard(turnout(false)).motions.every((m) => m.compounds.every((c) => c.counts === null))).toBe(true);
	});
});
