import { describe, expect, it } from 'vitest';
import { formatResultReport, tallyOwnersVote, tallyResidentsMeeting } from '../../../src/lib/domain/voting/index.ts';
import { equalUnits, newBallot, newCompound, newUnit, ownersVote, votes } from './factories.ts';

describe('the printed result report (recount command)', () => {
	it('prints each compound’s figures and the pooled sum of an advisory poll, in area and persons', () => {
		const aijian = newCompound('aijian', equalUnits(4), { name: '爱建小区' });
		const hongqiao = newCompound('hongqiao', [newUnit('u1', { areaHundredths: 5000 }), newUnit('u2', { areaHundredths: 7000 })], {
			name: '虹桥小区'
		});
		const result = tallyOwnersVote(
			ownersVote(
				'advisory',
				[aijian, hongqiao],
				[...votes({ yes: 3, abstain: 1 }, { compoundId: 'aijian' }), newBallot('u1', 'no', { compoundId: 'hongqiao' })]
			)
		);
		expect(formatResultReport(result).split('\n')).toEqual([
			'表决规则：咨询性投票',
			'依据：咨询性，不具法律效力',
			'双渠道规则：同一户既网上投票又书面投票的，以网上投票为准',
			'本次为咨询性投票，不具法律效力',
			'',
			'事项 A：方案A：侧门全天开放',
			'  爱建小区 (aijian)：咨询性，不具法律效力',
			'                              面积      人数',
			'    总数                  400.00㎡         4',
			'    参与表决              400.00㎡         4',
			'    同意                  300.00㎡         3',
			'    反对                    0.00㎡         0',
			'    弃权                  100.00㎡         1',
			'    未参与表决              0.00㎡         0',
			'    倾向（面积/人数）：同意多 / 同意多',
			'    选票：共 4 张，计入 4（网上 4，书面 0，委托 0），被取代 0',
			'  虹桥小区 (hongqiao)：咨询性，不具法律效力',
			'                              面积      人数',
			'    总数                  120.00㎡         2',
			'    参与表决               50.00㎡         1',
			'    同意                    0.00㎡         0',
			'    反对                   50.00㎡         1',
			'    弃权                    0.00㎡         0',
			'    未参与表决             70.00㎡         1',
			'    倾向（面积/人数）：反对多 / 反对多',
			'    选票：共 1 张，计入 1（网上 1，书面 0，委托 0），被取代 0',
			'  合并统计（咨询性，不具法律效力）',
			'                              面积      人数',
			'    总数                  520.00㎡         6',
			'    参与表决              450.00㎡         5',
			'    同意                  300.00㎡         3',
			'    反对                   50.00㎡         1',
			'    弃权                  100.00㎡         1',
			'    未参与表决             70.00㎡         1',
			'  联合结果：咨询性，不具法律效力 — 咨询性，不具法律效力'
		]);
	});

	it('prints a residents’ meeting by heads: attendance and the two more-than-half tests', () => {
		const result = tallyResidentsMeeting({
			ruleKind: 'residents_meeting',
			motions: [{ id: 'm1', title: '加装电梯' }],
			meetings: [
				{
					compoundId: 'c1',
					name: '一居',
					basis: 'households',
					eligible: 200,
					attendees: 101,
					votes: [{ motionId: 'm1', yes: 51, no: 30, abstain: 20 }]
				}
			]
		});
		expect(formatResultReport(result).split('\n')).toEqual([
			'表决规则：居民会议',
			'依据：居民委员会组织法第九条、第十条：过半数的居民（或户代表）参加；到会人员过半数通过',
			'',
			'事项 m1：加装电梯',
			'  一居 (c1)：通过',
			'    应到（户代表）200，实到 101；同意 51，反对 30，弃权 20',
			'    到会人数占应到人数：101人 / 200人 = 50.50%，要求 > 1/2：达到',
			'    同意人数占到会人数：51人 / 101人 = 50.49%，要求 > 1/2：达到',
			'  联合结果：通过 — 各小区分别表决，每个参与小区均通过方为通过'
		]);
	});
});
