/**
 * The tally engine's entry points. Pure: same input, same result, whatever the order of the
 * ballots. Throws TallyInputError (with every problem, in Chinese and English) on inconsistent input.
 */
import { countVotes } from './counting.ts';
import { decideOwnersCompound } from './decide.ts';
import { resolveSettlements } from './mixed-choices.ts';
import { prepareOwnersVote, TallyInputError } from './prepare.ts';
import { assembleResult } from './result.ts';
import { tallyResidentsMeeting } from './residents-meeting.ts';
import type { CompoundTally, InputProblem, OwnersVoteInput, TallyResult, VoteInput } from './types.ts';

/** Counts an owners' vote (ordinary, major, unanimous_affected or advisory) in every compound. */
export function tallyOwnersVote(input: OwnersVoteInput): TallyResult {
	const { vote, ballots } = prepareOwnersVote(input);
	const problems: InputProblem[] = [];
	const settled = resolveSettlements(vote, ballots, input.personSettlements, problems);
	if (problems.length > 0) throw new TallyInputError(problems);
	const counts = countVotes(vote, ballots, settled);
	const perMotion: CompoundTally[][] = vote.motions.map((_, m) =>
		vote.compounds.map((compound, c) => decideOwnersCompound(vote.ruleKind, compound, counts[c][m]))
	);
	return assembleResult(vote.ruleKind, vote.bothChannelsRule, vote.motions, perMotion);
}

/** Counts any vote: dispatches on ruleKind. */
export function tallyVote(input: VoteInput): TallyResult {
	return input.ruleKind === 'residents_meeting' ? tallyResidentsMeeting(input) : tallyOwnersVote(input);
}
