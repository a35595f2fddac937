/**
 * Checks an owners' vote input and indexes it for counting. Both the batch tally and the live
 * accumulator start here, so they agree on what a valid input is and on who is one person.
 *
 * Invariants after a successful prepare:
 * - motion ids are unique; compound ids are unique; unit ids are unique within a compound;
 * - every area is a positive safe integer, and every compound's total area is a safe integer;
 * - every ballot resolves to exactly one roster unit and one motion, has a valid ISO castAt,
 *   and its seq is unique across the vote (so "latest" is a total order).
 */
import { groupUnitsIntoPersons } from './persons.ts';
import { DEFAULT_BOTH_CHANNELS_RULE, parseInstant } from './precedence.ts';
import { StringIndex } from './string-index.ts';
import type {
	BothChannelsRule,
	CastBallot,
	InputProblem,
	Motion,
	NonVoterRule,
	OwnersRuleKind,
	OwnersVoteInput,
	RosterUnit
} from './types.ts';

/** Thrown by the engine when given an inconsistent input; carries every problem found. */
export class TallyInputError extends Error {
	readonly problems: InputProblem[];
	constructor(problems: InputProblem[]) {
		const shown = problems.slice(0, 5).map((p) => `${p.path}: ${p.zh} / ${p.en}`);
		const more = problems.length > 5 ? `; …and ${problems.length - 5} more` : '';
		super(`计票输入有误 / invalid tally input: ${shown.join('; ')}${more}`);
		this.name = 'TallyInputError';
		this.problems = problems;
	}
}

export function problem(path: string, zh: string, en: string): InputProblem {
	return { path, zh, en };
}

export const OWNERS_RULE_KINDS: readonly OwnersRuleKind[] = ['ordinary', 'major', 'unanimous_affected', 'advisory'];
const BOTH_CHANNELS_RULES: readonly BothChannelsRule[] = ['electronic_prevails', 'paper_prevails'];
const NON_VOTER_RULES: readonly NonVoterRule[] = ['off', 'follow_majority'];

export interface PreparedCompound {
	compoundId: string;
	name: string;
	nonVoterRule: NonVoterRule;
	units: readonly RosterUnit[];
	/** The distinct unit ids, interned; see unitIndexOf. */
	unitIds: StringIndex;
	/** Per interned unit id: the index in units of the (first) unit with that id. */
	unitOfId: Int32Array;
	/** units[u].areaHundredths (0 where invalid): counting reads this column, not the unit objects. */
	areaOfUnit: Float64Array;
	personOfUnit: Int32Array;
	personCount: number;
	totalAreaHundredths: number;
}

/** One ballot of the live tally: the ballot, what it says and where it lands. */
export interface PreparedBallot {
	ballot: CastBallot;
	compoundIndex: number;
	unitIndex: number;
	motionIndex: number;
	castAtMs: number;
	/** ballot.seq, copied while the ballot is at hand. */
	seq: number;
	/** ballot.choice (0 yes, 1 no, 2 abstain) | 4 when electronic | 8 when via a proxy. */
	facts: number;
}

/**
 * The valid ballots of a batch, one typed array per field of PreparedBallot (row i is one
 * ballot, in the order they were visited). Counting reads these columns and never a ballot
 * object again, and preparing 100,000 ballots allocates six arrays instead of 100,000 objects.
 */
export interface PreparedBallots {
	count: number;
	compoundIndex: Int32Array;
	unitIndex: Int32Array;
	motionIndex: Int32Array;
	castAtMs: Float64Array;
	seq: Float64Array;
	facts: Uint8Array;
}

export function newPreparedBallots(capacity: number): PreparedBallots {
	return {
		count: 0,
		compoundIndex: new Int32Array(capacity),
		unitIndex: new Int32Array(capacity),
		motionIndex: new Int32Array(capacity),
		castAtMs: new Float64Array(capacity),
		seq: new Float64Array(capacity),
		facts: new Uint8Array(capacity)
	};
}

export interface PreparedVote {
	ruleKind: OwnersRuleKind;
	bothChannelsRule: BothChannelsRule;
	motions: readonly Motion[];
	motionIndexById: Map<string, number>;
	compounds: PreparedCompound[];
	compoundIndexById: Map<string, number>;
	/**
	 * unitId → compound index, or -1 when the id occurs in several compounds. Built on first need
	 * (a ballot without compoundId); services that always send compoundId never pay for it.
	 */
	compoundIndexByUnitId: Map<string, number> | null;
}

function isNonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0;
}

function isPositiveSafeInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Indexes rule, motions and rosters (everything but the ballots). */
export function prepareRosters(input: Omit<OwnersVoteInput, 'ballots'>, problems: InputProblem[]): PreparedVote {
	if (!OWNERS_RULE_KINDS.includes(input.ruleKind)) {
		problems.push(problem('ruleKind', `未知的表决规则 "${String(input.ruleKind)}"`, `unknown rule kind "${String(input.ruleKind)}"`));
	}
	const bothChannelsRule = input.bothChannelsRule ?? DEFAULT_BOTH_CHANNELS_RULE;
	if (!BOTH_CHANNELS_RULES.includes(bothChannelsRule)) {
		problems.push(
			problem(
				'bothChannelsRule',
				`未知的双渠道规则 "${String(bothChannelsRule)}"`,
				`unknown bothChannelsRule "${String(bothChannelsRule)}"`
			)
		);
	}

	const motionIndexById = new Map<string, number>();
	if (!Array.isArray(input.motions) || input.motions.length === 0) {
		problems.push(problem('motions', '至少需要一个表决事项', 'at least one motion is required'));
	} else {
		input.motions.forEach((motion, i) => {
			if (!isNonEmptyString(motion?.id)) {
				problems.push(problem(`motions[${i}].id`, '表决事项缺少编号', 'motion id is missing'));
			} else if (motionIndexById.has(motion.id)) {
				problems.push(problem(`motions[${i}].id`, `表决事项编号 "${motion.id}" 重复`, `duplicate motion id "${motion.id}"`));
			} else {
				motionIndexById.set(motion.id, i);
			}
			if (typeof motion?.title !== 'string') {
				problems.push(problem(`motions[${i}].title`, '表决事项缺少标题', 'motion title is missing'));
			}
		});
	}

	const compounds: PreparedCompound[] = [];
	const compoundIds = new Set<string>();
	if (!Array.isArray(input.compounds) || input.compounds.length === 0) {
		problems.push(problem('compounds', '至少需要一个小区', 'at least one compound is required'));
	} else {
		input.compounds.forEach((compound, c) => {
			const at = `compounds[${c}]`;
			if (!isNonEmptyString(compound?.compoundId)) {
				problems.push(problem(`${at}.compoundId`, '小区缺少编号', 'compound id is missing'));
			} else if (compoundIds.has(compound.compoundId)) {
				problems.push(
					problem(`${at}.compoundId`, `小区编号 "${compound.compoundId}" 重复`, `duplicate compound id "${compound.compoundId}"`)
				);
			} else {
				compoundIds.add(compound.compoundId);
			}
			const nonVoterRule = compound?.nonVoterRule ?? 'off';
			if (!NON_VOTER_RULES.includes(nonVoterRule)) {
				problems.push(
					problem(
						`${at}.nonVoterRule`,
						`未知的未投票处理规则 "${String(nonVoterRule)}"`,
						`unknown nonVoterRule "${String(nonVoterRule)}"`
					)
				);
			}
			const units = Array.isArray(compound?.units) ? compound.units : [];
			if (!Array.isArray(compound?.units)) {
				problems.push(problem(`${at}.units`, '缺少房屋清册', 'roster units are missing'));
			}
			const { unitIds, unitOfId, areaOfUnit, totalAreaHundredths } = indexUnits(units, c, problems);
			if (!Number.isSafeInteger(totalAreaHundredths)) {
				problems.push(problem(`${at}.units`, '总面积超出可精确计算的范围', 'total area exceeds the exactly representable range'));
			}
			const grouping = groupUnitsIntoPersons(units);
			compounds.push({
				compoundId: String(compound?.compoundId ?? ''),
				name: String(compound?.name ?? ''),
				nonVoterRule,
				units,
				unitIds,
				unitOfId,
				areaOfUnit,
				personOfUnit: grouping.personOfUnit,
				personCount: grouping.personCount,
				totalAreaHundredths
			});
		});
	}

	return {
		ruleKind: input.ruleKind,
		bothChannelsRule,
		motions: Array.isArray(input.motions) ? input.motions : [],
		motionIndexById,
		compounds,
		compoundIndexById: new Map(compounds.map((c, i) => [c.compoundId, i])),
		compoundIndexByUnitId: null
	};
}

/**
 * Checks a compound's units and interns their ids (a unit id repeated within the compound is a
 * problem; the first unit keeps it). Its own function, not inline in prepareRosters' loop over
 * compounds, so the engine optimises this loop once and for all rather than per compound.
 */
function indexUnits(
	units: readonly RosterUnit[],
	compoundIndex: number,
	problems: InputProblem[]
): Pick<PreparedCompound, 'unitIds' | 'unitOfId' | 'areaOfUnit' | 'totalAreaHundredths'> {
	const unitIds = new StringIndex(units.length);
	const unitOfId = new Int32Array(units.length);
	const areaOfUnit = new Float64Array(units.length);
	let totalAreaHundredths = 0;
	for (let u = 0; u < units.length; u++) {
		const unit = units[u];
		checkUnit(unit, compoundIndex, u, problems);
		if (isNonEmptyString(unit?.unitId)) {
			const known = unitIds.size;
			const id = unitIds.add(unit.unitId);
			if (id < known) {
				problems.push(
					problem(
						unitPath(compoundIndex, u, 'unitId'),
						`房屋编号 "${unit.unitId}" 在本小区重复`,
						`duplicate unit id "${unit.unitId}" in this compound`
					)
				);
			} else {
				unitOfId[id] = u;
			}
		}
		if (isPositiveSafeInteger(unit?.areaHundredths)) {
			areaOfUnit[u] = unit.areaHundredths;
			totalAreaHundredths += unit.areaHundredths;
		}
	}
	return { unitIds, unitOfId, areaOfUnit, totalAreaHundredths };
}

/**
 * Runs once per unit (and prepareBallot once per ballot), so neither allocates on the happy path:
 * problem paths are built only when there is a problem.
 */
function unitPath(compoundIndex: number, unitIndex: number, field: string): string {
	return `compounds[${compoundIndex}].units[${unitIndex}].${field}`;
}

function ballotPath(ballotIndex: number | null, field: string): string {
	return ballotIndex === null ? `ballot.${field}` : `ballots[${ballotIndex}].${field}`;
}

function checkUnit(unit: RosterUnit, compoundIndex: number, unitIndex: number, problems: InputProblem[]): void {
	if (!isNonEmptyString(unit?.unitId))
		problems.push(problem(unitPath(compoundIndex, unitIndex, 'unitId'), '房屋缺少编号', 'unit id is missing'));
	if (typeof unit?.building !== 'string')
		problems.push(problem(unitPath(compoundIndex, unitIndex, 'building'), '缺少楼栋', 'building is missing'));
	if (typeof unit?.room !== 'string') problems.push(problem(unitPath(compoundIndex, unitIndex, 'room'), '缺少房号', 'room is missing'));
	if (!isPositiveSafeInteger(unit?.areaHundredths)) {
		problems.push(
			problem(
				unitPath(compoundIndex, unitIndex, 'areaHundredths'),
				'面积须为正整数（单位：0.01㎡）',
				'area must be a positive integer number of hundredths of ㎡'
			)
		);
	}
	const areaSource = unit?.areaSource;
	// Plain comparisons rather than array includes (same answers): this runs once per unit.
	if (areaSource !== 'registered' && areaSource !== 'surveyed' && areaSource !== 'contract') {
		problems.push(
			problem(
				unitPath(compoundIndex, unitIndex, 'areaSource'),
				'面积来源须为 registered / surveyed / contract',
				'areaSource must be registered, surveyed or contract'
			)
		);
	}
	const status = unit?.status;
	if (status !== 'owned' && status !== 'developer_unsold' && status !== 'sold_undelivered') {
		problems.push(
			problem(
				unitPath(compoundIndex, unitIndex, 'status'),
				'房屋状态须为 owned / developer_unsold / sold_undelivered',
				'status must be owned, developer_unsold or sold_undelivered'
			)
		);
	}
	if (typeof unit?.ownerKey !== 'string' || (unit.status === 'owned' && unit.ownerKey === '')) {
		problems.push(
			problem(unitPath(compoundIndex, unitIndex, 'ownerKey'), '已交付房屋须有业主标识', 'a delivered unit needs an owner key')
		);
	}
}

function compoundIndexByUnitId(vote: PreparedVote): Map<string, number> {
	if (vote.compoundIndexByUnitId === null) {
		const index = new Map<string, number>();
		vote.compounds.forEach((compound, c) => {
			for (const unitId of compound.unitIds.keys) index.set(unitId, index.has(unitId) ? -1 : c);
		});
		vote.compoundIndexByUnitId = index;
	}
	return vote.compoundIndexByUnitId;
}

/** The index in the compound's units of the unit with this id, or undefined when there is none. */
function unitIndexOf(compound: PreparedCompound, unitId: unknown): number | undefined {
	const id = compound.unitIds.indexOf(unitId);
	return id < 0 ? undefined : compound.unitOfId[id];
}

/**
 * Checks one ballot and resolves it against the prepared rosters into row `row` of `into`: what
 * it says (choice, channel, proxy, seq, castAt as an instant) and where it lands (motion,
 * compound and unit indices). Pushes every problem of the ballot and returns false when it is
 * not valid (the row is then unspecified).
 */
function prepareBallotInto(
	vote: PreparedVote,
	ballot: CastBallot,
	/** Index in the input's ballots, for problem paths; null for a single ballot ("ballot.…"). */
	ballotIndex: number | null,
	problems: InputProblem[],
	into: PreparedBallots,
	row: number
): boolean {
	const before = problems.length;
	const choice = ballot?.choice;
	// Plain comparisons rather than array includes: this runs once per ballot (100,000s in a recount).
	if (choice !== 'yes' && choice !== 'no' && choice !== 'abstain')
		problems.push(problem(ballotPath(ballotIndex, 'choice'), '选项须为 yes / no / abstain', 'choice must be yes, no or abstain'));
	const channel = ballot?.channel;
	if (channel !== 'electronic' && channel !== 'paper')
		problems.push(problem(ballotPath(ballotIndex, 'channel'), '渠道须为 electronic / paper', 'channel must be electronic or paper'));
	if (typeof ballot?.viaProxy !== 'boolean')
		problems.push(problem(ballotPath(ballotIndex, 'viaProxy'), 'viaProxy 须为 true 或 false', 'viaProxy must be a boolean'));
	if (typeof ballot?.voterKey !== 'string')
		problems.push(problem(ballotPath(ballotIndex, 'voterKey'), '缺少投票人标识', 'voterKey is missing'));
	if (!Number.isSafeInteger(ballot?.seq))
		problems.push(problem(ballotPath(ballotIndex, 'seq'), 'seq 须为整数', 'seq must be an integer'));
	const castAtMs = parseInstant(ballot?.castAt);
	if (castAtMs === null) {
		problems.push(
			problem(
				ballotPath(ballotIndex, 'castAt'),
				'投票时间须为带时区的 ISO 8601 时间',
				'castAt must be an ISO 8601 instant with an offset'
			)
		);
	}
	const motionIndex = vote.motionIndexById.get(ballot?.motionId);
	if (motionIndex === undefined) {
		problems.push(
			problem(
				ballotPath(ballotIndex, 'motionId'),
				`未知的表决事项 "${String(ballot?.motionId)}"`,
				`unknown motion "${String(ballot?.motionId)}"`
			)
		);
	}

	let compoundIndex: number | undefined;
	if (ballot?.compoundId !== undefined) {
		compoundIndex = vote.compoundIndexById.get(ballot.compoundId) ?? -1;
		if (compoundIndex < 0) {
			problems.push(
				problem(
					ballotPath(ballotIndex, 'compoundId'),
					`未知的小区 "${String(ballot.compoundId)}"`,
					`unknown compound "${String(ballot.compoundId)}"`
				)
			);
			compoundIndex = undefined;
		}
	} else {
		compoundIndex = compoundIndexByUnitId(vote).get(ballot?.unitId);
		if (compoundIndex === -1) {
			problems.push(
				problem(
					ballotPath(ballotIndex, 'compoundId'),
					`房屋编号 "${ballot.unitId}" 在多个小区出现，须注明小区`,
					`unit id "${ballot.unitId}" occurs in several compounds; compoundId is required`
				)
			);
			compoundIndex = undefined;
		} else if (compoundIndex === undefined) {
			problems.push(
				problem(
					ballotPath(ballotIndex, 'unitId'),
					`房屋 "${String(ballot?.unitId)}" 不在冻结的房屋清册中`,
					`unit "${String(ballot?.unitId)}" is not in the frozen roster`
				)
			);
		}
	}
	let unitIndex: number | undefined;
	if (compoundIndex !== undefined) {
		unitIndex = unitIndexOf(vote.compounds[compoundIndex], ballot.unitId);
		if (unitIndex === undefined && ballot.compoundId !== undefined) {
			problems.push(
				problem(
					ballotPath(ballotIndex, 'unitId'),
					`房屋 "${String(ballot.unitId)}" 不在该小区冻结的房屋清册中`,
					`unit "${String(ballot.unitId)}" is not in this compound's frozen roster`
				)
			);
		}
	}
	if (
		problems.length > before ||
		compoundIndex === undefined ||
		unitIndex === undefined ||
		motionIndex === undefined ||
		castAtMs === null
	) {
		return false;
	}
	into.compoundIndex[row] = compoundIndex;
	into.unitIndex[row] = unitIndex;
	into.motionIndex[row] = motionIndex;
	into.castAtMs[row] = castAtMs;
	into.seq[row] = ballot.seq;
	into.facts[row] = (choice === 'yes' ? 0 : choice === 'no' ? 1 : 2) | (channel === 'electronic' ? 4 : 0) | (ballot.viaProxy ? 8 : 0);
	return true;
}

/** Every ballot prepared, row k from ballots[order[k]]; or null as soon as one is not valid. */
function prepareAllInOrder(vote: PreparedVote, ballots: readonly CastBallot[], order: Int32Array): PreparedBallots | null {
	const prepared = newPreparedBallots(order.length);
	const problems: InputProblem[] = [];
	for (let row = 0; row < order.length; row++) {
		if (!prepareBallotInto(vote, ballots[order[row]], order[row], problems, prepared, row)) return null;
	}
	prepared.count = order.length;
	return prepared;
}

/**
 * Checks and resolves a single ballot (the live tally); pushes problems and returns null when it
 * is not valid. `row`: room for one ballot, which the caller may reuse from call to call.
 */
export function prepareBallot(
	vote: PreparedVote,
	ballot: CastBallot,
	problems: InputProblem[],
	row: PreparedBallots = newPreparedBallots(1)
): PreparedBallot | null {
	if (!prepareBallotInto(vote, ballot, null, problems, row, 0)) return null;
	return {
		ballot,
		compoundIndex: row.compoundIndex[0],
		unitIndex: row.unitIndex[0],
		motionIndex: row.motionIndex[0],
		castAtMs: row.castAtMs[0],
		seq: row.seq[0],
		facts: row.facts[0]
	};
}

/**
 * The order to visit the ballots in: by seq when the seqs are distinct safe integers in a dense
 * range (ids from one sequence, the usual case), otherwise the input order. Counting does not
 * depend on the order.
 *
 * Why seq order: it is the order ballots are cast, stored and loaded (ORDER BY seq), so it is
 * usually the order their objects were allocated in. Visiting 100,000 ballots that way instead
 * of in a shuffled array order reads memory nearly sequentially (the bench creates its ballots
 * in seq order and then shuffles the array: ~30 ms of its recount). When the input already is
 * in seq order, as the server loads it, this is the input order.
 */
function visitOrder(ballots: readonly CastBallot[]): Int32Array {
	const n = ballots.length;
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	const seqs = new Float64Array(n);
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < n; i++) {
		const seq = ballots[i]?.seq;
		if (!Number.isSafeInteger(seq)) return order;
		seqs[i] = seq;
		if (seq < min) min = seq;
		if (seq > max) max = seq;
	}
	if (n === 0 || max - min >= 4 * n) return order;
	const ballotAtSeq = new Int32Array(max - min + 1).fill(-1);
	for (let i = 0; i < n; i++) {
		const slot = seqs[i] - min;
		// A repeated seq: findOwnersVoteProblems reports it; the order no longer matters.
		if (ballotAtSeq[slot] >= 0) return order;
		ballotAtSeq[slot] = i;
	}
	let k = 0;
	for (let slot = 0; slot < ballotAtSeq.length; slot++) if (ballotAtSeq[slot] >= 0) order[k++] = ballotAtSeq[slot];
	return order;
}

/**
 * Whether two of the (safe integer) seqs are equal. Seqs of one vote are usually a dense range
 * of ids, so one bit per value of the range finds a repeat in a single pass; a sparse range
 * (more than 64 values per seq) is sorted instead.
 */
function hasDuplicate(seqs: Float64Array): boolean {
	if (seqs.length < 2) return false;
	let min = seqs[0];
	let max = seqs[0];
	for (let i = 1; i < seqs.length; i++) {
		const v = seqs[i];
		if (v < min) min = v;
		else if (v > max) max = v;
	}
	const range = max - min + 1;
	if (range <= seqs.length * 64) {
		const seen = new Uint32Array(Math.ceil(range / 32));
		for (let i = 0; i < seqs.length; i++) {
			const offset = seqs[i] - min;
			const word = offset >>> 5;
			const bit = 1 << (offset & 31);
			if ((seen[word] & bit) !== 0) return true;
			seen[word] |= bit;
		}
		return false;
	}
	const sorted = seqs.slice().sort();
	for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
	return false;
}

/** Prepares a whole owners' vote, or throws TallyInputError listing every problem. */
export function prepareOwnersVote(input: OwnersVoteInput): { vote: PreparedVote; ballots: PreparedBallots } {
	const found = findOwnersVoteProblems(input);
	if (found.problems.length > 0) throw new TallyInputError(found.problems);
	return { vote: found.vote, ballots: found.ballots };
}

/** Like prepareOwnersVote, but returns the problems instead of throwing. */
export function findOwnersVoteProblems(input: OwnersVoteInput): {
	problems: InputProblem[];
	vote: PreparedVote;
	ballots: PreparedBallots;
} {
	const problems: InputProblem[] = [];
	const vote = prepareRosters(input, problems);
	if (!Array.isArray(input.ballots)) {
		problems.push(problem('ballots', '缺少选票列表', 'ballots are missing'));
		return { problems, vote, ballots: newPreparedBallots(0) };
	}
	// Fast path: prepare every ballot in visitOrder, then look for duplicate seqs in the typed
	// column (a Set of 100,000 numbers cost more than the rest of the checks). Only when something
	// is wrong is the whole pass redone in input order, collecting the problems in that order.
	const all = prepareAllInOrder(vote, input.ballots, visitOrder(input.ballots));
	if (all !== null && !hasDuplicate(all.seq)) return { problems, vote, ballots: all };

	const ballots = newPreparedBallots(input.ballots.length);
	const seenSeq = new Set<number>();
	input.ballots.forEach((ballot, i) => {
		if (prepareBallotInto(vote, ballot, i, problems, ballots, ballots.count)) ballots.count++;
		if (Number.isSafeInteger(ballot?.seq)) {
			if (seenSeq.has(ballot.seq)) {
				problems.push(problem(`ballots[${i}].seq`, `选票序号 ${ballot.seq} 重复`, `duplicate ballot seq ${ballot.seq}`));
			}
			seenSeq.add(ballot.seq);
		}
	});
	return { problems, vote, ballots };
}
