/**
 * Types of the tally engine (计票). Everything here is plain data: the engine is pure, runs in
 * the server, the browser and the recount command, and its output is JSON-serialisable so the
 * stated result can be frozen into an export and re-derived later (see EXPORT.md).
 *
 * Units of measure, everywhere: areas are integer hundredths of ㎡ (89.50 ㎡ → 8950); persons are
 * integer counts. No float ever decides anything (STYLE.md 7).
 */

/**
 * ordinary: 民法典 art. 278 ¶1 items 1–5, 9. major: items 6–8. unanimous_affected: art. 279.
 * residents_meeting: 居民委员会组织法 arts. 9–10. advisory: a poll with no legal effect.
 */
export type RuleKind = 'ordinary' | 'major' | 'unanimous_affected' | 'residents_meeting' | 'advisory';

/** Rule kinds that count owners' ballots against a unit roster. */
export type OwnersRuleKind = Exclude<RuleKind, 'residents_meeting'>;

/** Same values as the roster module's AreaSource (registered → surveyed → contract, SPC art. 8). */
export type AreaSource = 'registered' | 'surveyed' | 'contract';

/** developer_unsold and sold_undelivered units together count as one person: the developer (SPC art. 9). */
export type UnitStatus = 'owned' | 'developer_unsold' | 'sold_undelivered';

/** 同意 / 反对 / 弃权. */
export type Choice = 'yes' | 'no' | 'abstain';

export type Channel = 'electronic' | 'paper';

/** Which ballot counts when a unit voted both electronically and on paper; fixed before opening. */
export type BothChannelsRule = 'electronic_prevails' | 'paper_prevails';

/** 指导规则 art. 26: whether non-voters are added to the voters' majority. Off unless the compound's rules say so. */
export type NonVoterRule = 'off' | 'follow_majority';

export interface Motion {
	/** e.g. "A"; unique within the ballot. */
	id: string;
	title: string;
	/** Hash of the frozen proposal text the owners voted on, when there is one. */
	textHash?: string | null;
}

/** One 专有部分 in the roster snapshot frozen when voting opened. */
export interface RosterUnit {
	/** Unique within its compound. */
	unitId: string;
	building: string;
	room: string;
	/** Positive integer hundredths of ㎡. */
	areaHundredths: number;
	areaSource: AreaSource;
	status: UnitStatus;
	/**
	 * Pseudonymised key of the person (or co-owner group) holding the unit, computed by the
	 * caller: all units of one buyer share a key, so they count as one person with summed area;
	 * co-owners of one unit share one key, so the unit is one person with one vote.
	 */
	ownerKey: string;
}

/** One compound (物业管理区域): its own electorate, denominators and options. */
export interface CompoundRoster {
	compoundId: string;
	name: string;
	/** Defaults to 'off'. */
	nonVoterRule?: NonVoterRule;
	units: RosterUnit[];
}

/** A ballot as cast. Ballots are appended, never edited: a changed vote is a later ballot. */
export interface CastBallot {
	/** Optional when unit ids are unique across all compounds of the vote. */
	compoundId?: string;
	unitId: string;
	motionId: string;
	choice: Choice;
	channel: Channel;
	/** Cast by a proxy holding a written 委托书. Recorded, not weighted differently. */
	viaProxy: boolean;
	/** Pseudonymised key of whoever cast it (the owner or the proxy). */
	voterKey: string;
	/** ISO 8601 with offset or Z. Decides which of two same-channel ballots is the latest. */
	castAt: string;
	/** Unique sequence number of the ballot across the vote; breaks castAt ties. */
	seq: number;
}

/** Everything an owners' vote (ordinary, major, unanimous_affected, advisory) is counted from. */
export interface OwnersVoteInput {
	ruleKind: OwnersRuleKind;
	motions: Motion[];
	compounds: CompoundRoster[];
	ballots: CastBallot[];
	/** Defaults to 'electronic_prevails' (Shenzhen practice, DOMAIN.md §4). */
	bothChannelsRule?: BothChannelsRule;
	/**
	 * How the 业委会 settled each person whose units voted differently (mixed-choices.ts). Absent
	 * (exports made before settlements existed): such a person counts by the largest-area rule.
	 * Present, even empty: every such case must be settled here, or the input is refused.
	 */
	personSettlements?: PersonSettlement[];
}

/**
 * Why a settled person counts as they do: the owner told the 业委会 which choice is theirs as one
 * person (owner_stated), or could not be reached and counts as abstaining (owner_unreachable).
 */
export type SettlementBasis = 'owner_stated' | 'owner_unreachable';

/**
 * 多套房屋投票不一致的处理: one person (SPC interpretation art. 9) whose counted units chose
 * differently on one motion, and how they count in persons. Area is never moved: each unit's area
 * stays with the choice that unit cast. `units` is the case exactly as settled (every counted unit
 * of the person on that motion, with its choice, sorted by unitId): if a choice changes afterwards,
 * the settlement no longer matches and the case must be settled again.
 */
export interface PersonSettlement {
	compoundId: string;
	motionId: string;
	units: { unitId: string; choice: Choice }[];
	/** The person's one choice in persons: one their units cast, or abstain. */
	choice: Choice;
	basis: SettlementBasis;
}

/** Residents' meetings count heads given by the meeting record, not a unit roster. */
export type MeetingBasis = 'adult_residents' | 'households';

export interface MeetingMotionCount {
	motionId: string;
	yes: number;
	no: number;
	abstain: number;
}

/** One 居民会议 of one constituency (a 居委, or a compound when the meeting is held per compound). */
export interface MeetingCount {
	compoundId: string;
	name: string;
	/** 18岁以上居民 or 户代表. */
	basis: MeetingBasis;
	/** Adult residents (or households) entitled to attend. */
	eligible: number;
	attendees: number;
	votes: MeetingMotionCount[];
}

export interface ResidentsMeetingInput {
	ruleKind: 'residents_meeting';
	motions: Motion[];
	meetings: MeetingCount[];
}

export type VoteInput = OwnersVoteInput | ResidentsMeetingInput;

// ─── results ────────────────────────────────────────────────────────────────────────────────

/** Area (hundredths of ㎡) and persons, side by side, as art. 278 always needs both. */
export interface Figures {
	areaHundredths: number;
	persons: number;
}

/** Exact ratio; both parts are non-negative safe integers. 0/0 is possible and never meets a threshold. */
export interface Fraction {
	numerator: number;
	denominator: number;
}

export type ThresholdId =
	| 'participation_area'
	| 'participation_persons'
	| 'approval_area'
	| 'approval_persons'
	| 'unanimous_consent'
	| 'meeting_quorum'
	| 'meeting_approval';

/** at_least: 以上 (≥, bound included). more_than: 过半数 (strictly more, 民法典 art. 1259). */
export type Comparison = 'at_least' | 'more_than';

export interface ThresholdCheck {
	id: ThresholdId;
	/** Chinese name of the test, e.g. "参与表决专有部分面积占比". */
	label: string;
	actual: Fraction;
	required: Fraction;
	comparison: Comparison;
	met: boolean;
	/** e.g. "12,345.67㎡ / 18,000.00㎡ = 68.58% ≥ 2/3：达到". Percentages are truncated, never rounded up. */
	display: string;
}

/** passed / not_passed / quorum_not_met are legal outcomes; advisory polls only ever get 'advisory'. */
export type Outcome = 'passed' | 'not_passed' | 'quorum_not_met' | 'advisory';

/** Which side has more, comparing yes with no only (abstentions are neither). */
export type Leaning = 'yes' | 'no' | 'tie';

export interface BallotCounts {
	/** Ballots cast for this compound and motion, including those superseded. */
	cast: number;
	/** One per unit that voted. */
	counted: number;
	/** Replaced by a later ballot of the same channel, or by the other channel under bothChannelsRule. */
	superseded: number;
	/** Counted ballots by channel, and how many of them a proxy cast. */
	electronic: number;
	paper: number;
	viaProxy: number;
}

/** An owners' vote counted by choice, in area and persons: one compound's, or the pooled sum of an advisory poll. */
export interface ChoiceFigures {
	/** The whole roster: the denominator. */
	total: Figures;
	/** Units (area) and persons that voted yes, no or abstain. participating = yes + no + abstain. */
	participating: Figures;
	yes: Figures;
	no: Figures;
	abstain: Figures;
	/** total − participating. */
	nonVoting: Figures;
}

export interface OwnersCompoundTally extends ChoiceFigures {
	kind: 'owners';
	compoundId: string;
	compoundName: string;
	nonVoterRule: NonVoterRule;
	/** True when non-voters were added to the voters' majority (see EXPORT.md). Always shown on the record. */
	nonVoterRuleApplied: boolean;
	nonVoterAddedTo: 'yes' | 'no' | null;
	/** Figures the approval tests use: the actual ones, or with non-voters added when the rule was applied. */
	decisive: { participating: Figures; yes: Figures };
	thresholds: ThresholdCheck[];
	outcome: Outcome;
	outcomeLabel: string;
	passed: boolean;
	/** Only for advisory polls; null otherwise. */
	leaning: { area: Leaning; persons: Leaning } | null;
	ballots: BallotCounts;
}

export interface MeetingCompoundTally {
	kind: 'meeting';
	compoundId: string;
	compoundName: string;
	basis: MeetingBasis;
	basisLabel: string;
	eligible: number;
	attendees: number;
	yes: number;
	no: number;
	abstain: number;
	thresholds: ThresholdCheck[];
	outcome: Outcome;
	outcomeLabel: string;
	passed: boolean;
}

export type CompoundTally = OwnersCompoundTally | MeetingCompoundTally;

/** The cross-compound result of one motion. */
export interface JointResult {
	/** concurrent_majority: passes only if every participating compound passes. advisory: never passes. */
	rule: 'concurrent_majority' | 'advisory';
	label: string;
	passed: boolean;
	outcome: Outcome;
	outcomeLabel: string;
	/** Compounds that did not pass, in input order. */
	failingCompoundIds: string[];
}

/** Sum across compounds. Only for advisory polls: pooling owners' votes has no legal basis. */
export interface PooledAdvisoryTally extends ChoiceFigures {
	label: string;
	leaning: { area: Leaning; persons: Leaning };
}

export interface MotionResult {
	motionId: string;
	title: string;
	compounds: CompoundTally[];
	joint: JointResult;
	pooled: PooledAdvisoryTally | null;
}

export interface TallyResult {
	ruleKind: RuleKind;
	ruleLabel: string;
	/** The legal provision the rule comes from, in Chinese. */
	legalBasis: string;
	legallyBinding: boolean;
	/** null for residents' meetings, which have no ballots of their own. */
	bothChannelsRule: BothChannelsRule | null;
	bothChannelsRuleLabel: string | null;
	motions: MotionResult[];
}

/** A problem with the input, in both languages; path points into the input (e.g. "ballots[3].unitId"). */
export interface InputProblem {
	path: string;
	zh: string;
	en: string;
}
