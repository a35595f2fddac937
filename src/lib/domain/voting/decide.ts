/**
 * From raw figures to a decision, per compound and jointly. Shared by the batch tally, the live
 * accumulator and the residents' meeting, so every path decides identically.
 */
import type { RawCounts } from './counting.ts';
import { JOINT_LABELS, OUTCOME_LABELS, POOLED_LABEL } from './labels.ts';
import { ALL, checkThreshold, ONE_HALF, THREE_QUARTERS, TWO_THIRDS } from './thresholds.ts';
import type {
	CompoundTally,
	Figures,
	JointResult,
	Leaning,
	NonVoterRule,
	OwnersCompoundTally,
	OwnersRuleKind,
	PooledAdvisoryTally,
	RuleKind,
	ThresholdCheck
} from './types.ts';

function add(a: Figures, b: Figures): Figures {
	return { areaHundredths: a.areaHundredths + b.areaHundredths, persons: a.persons + b.persons };
}

function subtract(a: Figures, b: Figures): Figures {
	return { areaHundredths: a.areaHundredths - b.areaHundredths, persons: a.persons - b.persons };
}

function compare(yes: number, no: number): Leaning {
	return yes > no ? 'yes' : no > yes ? 'no' : 'tie';
}

export function leaningOf(yes: Figures, no: Figures): { area: Leaning; persons: Leaning } {
	return { area: compare(yes.areaHundredths, no.areaHundredths), persons: compare(yes.persons, no.persons) };
}

/** Participation (art. 278 ¶2): area and persons that voted, each ≥ 2/3 of the compound's total. */
export function participationChecks(participating: Figures, total: Figures): ThresholdCheck[] {
	return [
		checkThreshold(
			'participation_area',
			{ numerator: participating.areaHundredths, denominator: total.areaHundredths },
			TWO_THIRDS,
			'at_least',
			'area'
		),
		checkThreshold(
			'participation_persons',
			{ numerator: participating.persons, denominator: total.persons },
			TWO_THIRDS,
			'at_least',
			'count'
		)
	];
}

/** Approval: ordinary > 1/2, major ≥ 3/4 of the participating area and persons. */
function approvalChecks(ruleKind: 'ordinary' | 'major', yes: Figures, participating: Figures): ThresholdCheck[] {
	const required = ruleKind === 'major' ? THREE_QUARTERS : ONE_HALF;
	const comparison = ruleKind === 'major' ? 'at_least' : 'more_than';
	return [
		checkThreshold(
			'approval_area',
			{ numerator: yes.areaHundredths, denominator: participating.areaHundredths },
			required,
			comparison,
			'area'
		),
		checkThreshold('approval_persons', { numerator: yes.persons, denominator: participating.persons }, required, comparison, 'count')
	];
}

/**
 * The voters' majority for the non-voter rule: 'yes' if yes beats no in area AND in persons,
 * 'no' if no beats yes in both, otherwise (a tie, or area and persons disagree) null and
 * nothing is added. Abstentions are not a side.
 */
function votersMajority(yes: Figures, no: Figures): 'yes' | 'no' | null {
	if (yes.areaHundredths > no.areaHundredths && yes.persons > no.persons) return 'yes';
	if (no.areaHundredths > yes.areaHundredths && no.persons > yes.persons) return 'no';
	return null;
}

export interface CompoundIdentity {
	compoundId: string;
	name: string;
	nonVoterRule: NonVoterRule;
}

/**
 * Decides one compound on one motion.
 *
 * Non-voter rule (指导规则 art. 26), when the compound turned it on and the rule kind is ordinary
 * or major: participation is first tested on actual voters only (a procedural option cannot
 * manufacture the statutory quorum). If it is met and the voters have a majority (votersMajority),
 * all non-voting area and persons are added to that side and the approval tests are run on
 * "decisive" figures whose participating is the whole roster. Otherwise decisive = actual.
 */
export function decideOwnersCompound(ruleKind: OwnersRuleKind, compound: CompoundIdentity, raw: RawCounts): OwnersCompoundTally {
	const participating = add(add(raw.yes, raw.no), raw.abstain);
	const nonVoting = subtract(raw.total, participating);
	// Every Figures object in the result is its own copy: the result is a tree, so a consumer
	// editing one figure can never silently change another.
	let decisive = { participating: { ...participating }, yes: { ...raw.yes } };
	let nonVoterAddedTo: 'yes' | 'no' | null = null;
	let thresholds: ThresholdCheck[] = [];
	let outcome: OwnersCompoundTally['outcome'];

	if (ruleKind === 'ordinary' || ruleKind === 'major') {
		const participation = participationChecks(participating, raw.total);
		const quorum = participation.every((check) => check.met);
		const hasNonVoters = nonVoting.areaHundredths > 0 || nonVoting.persons > 0;
		if (compound.nonVoterRule === 'follow_majority' && quorum && hasNonVoters) {
			nonVoterAddedTo = votersMajority(raw.yes, raw.no);
			if (nonVoterAddedTo === 'yes') decisive = { participating: { ...raw.total }, yes: add(raw.yes, nonVoting) };
			if (nonVoterAddedTo === 'no') decisive = { participating: { ...raw.total }, yes: { ...raw.yes } };
		}
		const approval = approvalChecks(ruleKind, decisive.yes, decisive.participating);
		thresholds = [...participation, ...approval];
		outcome = !quorum ? 'quorum_not_met' : approval.every((check) => check.met) ? 'passed' : 'not_passed';
	} else if (ruleKind === 'unanimous_affected') {
		// Art. 279: every affected person must consent; a non-voter has not consented. No non-voter rule.
		const consent = checkThreshold(
			'unanimous_consent',
			{ numerator: raw.consentingPersons, denominator: raw.total.persons },
			ALL,
			'at_least',
			'count'
		);
		thresholds = [consent];
		outcome = consent.met ? 'passed' : 'not_passed';
	} else {
		outcome = 'advisory';
	}

	return {
		kind: 'owners',
		compoundId: compound.compoundId,
		compoundName: compound.name,
		total: { ...raw.total },
		participating,
		yes: { ...raw.yes },
		no: { ...raw.no },
		abstain: { ...raw.abstain },
		nonVoting,
		nonVoterRule: compound.nonVoterRule,
		nonVoterRuleApplied: nonVoterAddedTo !== null,
		nonVoterAddedTo,
		decisive,
		thresholds,
		outcome,
		outcomeLabel: OUTCOME_LABELS[outcome],
		passed: outcome === 'passed',
		leaning: ruleKind === 'advisory' ? leaningOf(raw.yes, raw.no) : null,
		ballots: { ...raw.ballots }
	};
}

/**
 * Concurrent majority: a joint decision passes only if every participating compound passes under
 * its own rule and denominators. Advisory polls never pass. No compounds, no pass.
 */
export function decideJointly(ruleKind: RuleKind, compounds: readonly CompoundTally[]): JointResult {
	const failingCompoundIds = compounds.filter((c) => !c.passed).map((c) => c.compoundId);
	if (ruleKind === 'advisory') {
		return {
			rule: 'advisory',
			label: JOINT_LABELS.advisory,
			passed: false,
			outcome: 'advisory',
			outcomeLabel: OUTCOME_LABELS.advisory,
			failingCompoundIds: []
		};
	}
	const passed = compounds.length > 0 && failingCompoundIds.length === 0;
	const outcome = passed ? 'passed' : 'not_passed';
	return {
		rule: 'concurrent_majority',
		label: JOINT_LABELS.concurrent_majority,
		passed,
		outcome,
		outcomeLabel: OUTCOME_LABELS[outcome],
		failingCompoundIds
	};
}

/** Pooled figures across compounds, for advisory polls only (labelled so). */
export function poolAdvisory(compounds: readonly OwnersCompoundTally[]): PooledAdvisoryTally {
	const zero: Figures = { areaHundredths: 0, persons: 0 };
	const sum = (pick: (c: OwnersCompoundTally) => Figures) => compounds.reduce((acc, c) => add(acc, pick(c)), zero);
	const yes = sum((c) => c.yes);
	const no = sum((c) => c.no);
	return {
		label: POOLED_LABEL,
		total: sum((c) => c.total),
		participating: sum((c) => c.participating),
		yes,
		no,
		abstain: sum((c) => c.abstain),
		nonVoting: sum((c) => c.nonVoting),
		leaning: leaningOf(yes, no)
	};
}
