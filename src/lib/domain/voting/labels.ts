/**
 * Chinese display labels. They are part of the result (and so of the frozen export), which
 * means changing one changes what a recount of an old export expects: add, don't reword.
 */
import type { BothChannelsRule, Choice, MeetingBasis, NonVoterRule, Outcome, RuleKind, ThresholdId } from './types.ts';

/** What an owner answers on a motion, in the order a ballot offers it. */
export const CHOICE_LABELS: Record<Choice, string> = { yes: '同意', no: '反对', abstain: '弃权' };

export const RULE_LABELS: Record<RuleKind, string> = {
	ordinary: '普通事项',
	major: '重大事项 (民法典第二百七十八条第一款第六至八项)',
	unanimous_affected: '全体受影响业主一致同意',
	residents_meeting: '居民会议',
	advisory: '咨询性投票'
};

export const LEGAL_BASIS: Record<RuleKind, string> = {
	ordinary:
		'民法典第二百七十八条第二款：专有部分面积和人数均三分之二以上的业主参与表决；参与表决专有部分面积过半数且参与表决人数过半数的业主同意',
	major: '民法典第二百七十八条第二款：专有部分面积和人数均三分之二以上的业主参与表决；参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意',
	unanimous_affected: '民法典第二百七十九条：应当经有利害关系的业主一致同意',
	residents_meeting: '居民委员会组织法第九条、第十条：过半数的居民（或户代表）参加；到会人员过半数通过',
	advisory: '咨询性，不具法律效力'
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
	passed: '通过',
	not_passed: '未通过',
	quorum_not_met: '未达参与门槛',
	advisory: '咨询性，不具法律效力'
};

export const THRESHOLD_LABELS: Record<ThresholdId, string> = {
	participation_area: '参与表决专有部分面积占比',
	participation_persons: '参与表决人数占比',
	approval_area: '同意面积占参与表决面积',
	approval_persons: '同意人数占参与表决人数',
	unanimous_consent: '受影响业主同意人数',
	meeting_quorum: '到会人数占应到人数',
	meeting_approval: '同意人数占到会人数'
};

export const BOTH_CHANNELS_RULE_LABELS: Record<BothChannelsRule, string> = {
	electronic_prevails: '同一户既网上投票又书面投票的，以网上投票为准',
	paper_prevails: '同一户既网上投票又书面投票的，以书面投票为准'
};

export const NON_VOTER_RULE_LABELS: Record<NonVoterRule, string> = {
	off: '未参与表决的业主不计入多数',
	follow_majority: '未参与表决的业主计入已表决的多数（指导规则第二十六条）'
};

export const MEETING_BASIS_LABELS: Record<MeetingBasis, string> = {
	adult_residents: '十八周岁以上居民',
	households: '户代表'
};

export const JOINT_LABELS = {
	concurrent_majority: '各小区分别表决，每个参与小区均通过方为通过',
	advisory: '咨询性，不具法律效力'
} as const;

export const POOLED_LABEL = '合并统计（咨询性，不具法律效力）';
