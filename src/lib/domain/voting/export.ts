/**
 * The frozen export of a closed vote (format "yishi-vote-export", version 1; see EXPORT.md): the
 * rule and options, the roster snapshot, every ballot cast and the stated result, in one JSON
 * document from which anyone can re-derive every figure (verifyExport, `npm run recount`).
 */
import { diffValues, type Disagreement } from './diff.ts';
import { resolveSettlements } from './mixed-choices.ts';
import { findOwnersVoteProblems, problem } from './prepare.ts';
import { findResidentsMeetingProblems } from './residents-meeting.ts';
import { tallyVote } from './tally.ts';
import type {
	BothChannelsRule,
	CastBallot,
	InputProblem,
	MeetingCount,
	Motion,
	NonVoterRule,
	PersonSettlement,
	RosterUnit,
	RuleKind,
	TallyResult,
	VoteInput
} from './types.ts';

export const EXPORT_FORMAT = 'yishi-vote-export';
export const EXPORT_VERSION = 1;

export interface ExportMeta {
	ballotId: string;
	title: string;
	ruleKind: RuleKind;
	motions: Motion[];
	/** Participating compounds (or, for a residents' meeting, constituencies), in display order. */
	compounds: { compoundId: string; name: string }[];
	opensAt: string;
	closesAt: string;
}

export interface ExportOptions {
	bothChannelsRule: BothChannelsRule;
	/** Per compound id; every compound listed in meta has an entry. */
	nonVoterRule: Record<string, NonVoterRule>;
}

export interface RosterSnapshot {
	compoundId: string;
	/** When the roster was frozen (voting opened). */
	frozenAt: string;
	units: RosterUnit[];
}

export interface VoteExport {
	format: typeof EXPORT_FORMAT;
	version: typeof EXPORT_VERSION;
	exportedAt: string;
	meta: ExportMeta;
	options: ExportOptions;
	/** Owners' votes: one snapshot per compound in meta order. Empty for residents' meetings. */
	rosters: RosterSnapshot[];
	/** Every ballot cast, superseded ones included. Empty for residents' meetings. */
	ballots: CastBallot[];
	/** Residents' meetings only: the meeting record's head counts. */
	meetings?: MeetingCount[];
	/**
	 * 业主变更登记 confirmed while the vote was open: how many and why, never who or which room. Informative:
	 * the ballots above already carry the effect (the new owner's later ballot supersedes the previous one's).
	 */
	ownerChanges?: { count: number; reasons: string[] };
	/**
	 * How the 业委会 settled each person whose units voted differently (mixed-choices.ts). Exports
	 * made before settlements existed have none and count such persons by the largest-area rule.
	 */
	personSettlements?: PersonSettlement[];
	/** The result as stated at close: tallyVote() of the inputs above. */
	result: TallyResult;
}

export interface ExportDetails {
	ballotId: string;
	title: string;
	opensAt: string;
	closesAt: string;
	exportedAt: string;
	/** Defaults to opensAt. */
	rosterFrozenAt?: string;
}

/** Freezes a vote: tallies the input and packs inputs and result into one export document. */
export function buildExport(details: ExportDetails, input: VoteInput): VoteExport {
	const result = tallyVote(input);
	const isMeeting = input.ruleKind === 'residents_meeting';
	const compounds = isMeeting
		? input.meetings.map((m) => ({ compoundId: m.compoundId, name: m.name }))
		: input.compounds.map((c) => ({ compoundId: c.compoundId, name: c.name }));
	const nonVoterRule: Record<string, NonVoterRule> = {};
	for (const compound of isMeeting ? input.meetings : input.compounds) {
		nonVoterRule[compound.compoundId] = isMeeting ? 'off' : ((compound as { nonVoterRule?: NonVoterRule }).nonVoterRule ?? 'off');
	}
	return {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		exportedAt: details.exportedAt,
		meta: {
			ballotId: details.ballotId,
			title: details.title,
			ruleKind: input.ruleKind,
			motions: input.motions.map((m) => ({ id: m.id, title: m.title, textHash: m.textHash ?? null })),
			compounds,
			opensAt: details.opensAt,
			closesAt: details.closesAt
		},
		options: {
			bothChannelsRule: isMeeting ? 'electronic_prevails' : (input.bothChannelsRule ?? 'electronic_prevails'),
			nonVoterRule
		},
		rosters: isMeeting
			? []
			: input.compounds.map((c) => ({
					compoundId: c.compoundId,
					frozenAt: details.rosterFrozenAt ?? details.opensAt,
					units: c.units
				})),
		ballots: isMeeting ? [] : input.ballots,
		...(isMeeting ? { meetings: input.meetings } : {}),
		...(!isMeeting && input.personSettlements !== undefined ? { personSettlements: input.personSettlements } : {}),
		result
	};
}

/** The engine input an export describes. Assumes a document that parseExport accepted. */
export function inputFromExport(doc: VoteExport): VoteInput {
	if (doc.meta.ruleKind === 'residents_meeting') {
		return { ruleKind: 'residents_meeting', motions: doc.meta.motions, meetings: doc.meetings ?? [] };
	}
	const rosterById = new Map(doc.rosters.map((r) => [r.compoundId, r]));
	return {
		ruleKind: doc.meta.ruleKind,
		motions: doc.meta.motions,
		bothChannelsRule: doc.options.bothChannelsRule,
		compounds: doc.meta.compounds.map((c) => ({
			compoundId: c.compoundId,
			name: c.name,
			nonVoterRule: doc.options.nonVoterRule[c.compoundId],
			units: rosterById.get(c.compoundId)?.units ?? []
		})),
		ballots: doc.ballots,
		...(doc.personSettlements !== undefined ? { personSettlements: doc.personSettlements } : {})
	};
}

/** Re-derives the result from the export's inputs alone (the stated result is not read). */
export function recountExport(doc: VoteExport): TallyResult {
	return tallyVote(inputFromExport(doc));
}

/** Every figure (and label) where the stated result and the recount differ; empty when they agree. */
export function verifyExport(doc: VoteExport): Disagreement[] {
	return diffValues(doc.result, recountExport(doc), 'result');
}

export type ParseExportResult = { ok: true; doc: VoteExport } | { ok: false; problems: InputProblem[] };

const RULE_KINDS: readonly RuleKind[] = ['ordinary', 'major', 'unanimous_affected', 'residents_meeting', 'advisory'];

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates an export (a JSON string, or an already-parsed value). Checks the shape,
 * then everything the engine needs (unique ids, positive integer areas, ballots that resolve to
 * roster units and motions, unique seq…). The stated result only has to be an object: whether it
 * is right is verifyExport's question, not a format error.
 */
export function parseExport(source: string | unknown): ParseExportResult {
	let value: unknown = source;
	if (typeof source === 'string') {
		try {
			value = JSON.parse(source);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			return { ok: false, problems: [problem('(document)', `不是有效的 JSON：${reason}`, `not valid JSON: ${reason}`)] };
		}
	}
	const problems: InputProblem[] = [];
	if (!isObject(value)) {
		return { ok: false, problems: [problem('(document)', '文件内容须为 JSON 对象', 'the document must be a JSON object')] };
	}
	if (value.format !== EXPORT_FORMAT) {
		problems.push(problem('format', `format 须为 "${EXPORT_FORMAT}"`, `format must be "${EXPORT_FORMAT}"`));
	}
	if (value.version !== EXPORT_VERSION) {
		problems.push(
			problem(
				'version',
				`不支持的版本 ${JSON.stringify(value.version)}，本程序只支持版本 1`,
				`unsupported version ${JSON.stringify(value.version)}; only version 1 is supported`
			)
		);
	}
	if (typeof value.exportedAt !== 'string') problems.push(problem('exportedAt', '缺少导出时间', 'exportedAt is missing'));
	const meta = value.meta;
	const options = value.options;
	if (!isObject(meta)) problems.push(problem('meta', '缺少表决信息 meta', 'meta is missing'));
	if (!isObject(options)) problems.push(problem('options', '缺少表决选项 options', 'options are missing'));
	if (!Array.isArray(value.rosters)) problems.push(problem('rosters', '缺少房屋清册快照 rosters', 'rosters are missing'));
	if (!Array.isArray(value.ballots)) problems.push(problem('ballots', '缺少选票 ballots', 'ballots are missing'));
	if (!isObject(value.result)) problems.push(problem('result', '缺少公布的结果 result', 'the stated result is missing'));
	if (problems.length > 0 || !isObject(meta) || !isObject(options)) return { ok: false, problems };

	for (const key of ['ballotId', 'title', 'opensAt', 'closesAt'] as const) {
		if (typeof meta[key] !== 'string') problems.push(problem(`meta.${key}`, `缺少 meta.${key}`, `meta.${key} is missing`));
	}
	if (!RULE_KINDS.includes(meta.ruleKind as RuleKind)) {
		problems.push(
			problem(
				'meta.ruleKind',
				`未知的表决规则 ${JSON.stringify(meta.ruleKind)}`,
				`unknown rule kind ${JSON.stringify(meta.ruleKind)}`
			)
		);
	}
	if (!Array.isArray(meta.motions)) problems.push(problem('meta.motions', '缺少表决事项', 'meta.motions is missing'));
	if (!Array.isArray(meta.compounds) || meta.compounds.length === 0) {
		problems.push(problem('meta.compounds', '缺少参与小区', 'meta.compounds is missing or empty'));
	}
	if (!isObject(options.nonVoterRule)) {
		problems.push(problem('options.nonVoterRule', '缺少各小区的未投票处理规则', 'options.nonVoterRule is missing'));
	}
	if (options.bothChannelsRule !== 'electronic_prevails' && options.bothChannelsRule !== 'paper_prevails') {
		problems.push(
			problem(
				'options.bothChannelsRule',
				'bothChannelsRule 须为 electronic_prevails 或 paper_prevails',
				'bothChannelsRule must be electronic_prevails or paper_prevails'
			)
		);
	}
	if (problems.length > 0) return { ok: false, problems };

	const doc = value as unknown as VoteExport;
	const compounds = doc.meta.compounds;
	compounds.forEach((compound, i) => {
		if (!isObject(compound) || typeof compound.compoundId !== 'string' || typeof compound.name !== 'string') {
			problems.push(problem(`meta.compounds[${i}]`, '小区须有 compoundId 和 name', 'a compound needs compoundId and name'));
		} else if (!(compound.compoundId in doc.options.nonVoterRule)) {
			problems.push(
				problem(
					`options.nonVoterRule.${compound.compoundId}`,
					'缺少该小区的未投票处理规则',
					'missing nonVoterRule for this compound'
				)
			);
		}
	});
	if (problems.length > 0) return { ok: false, problems };

	if (doc.meta.ruleKind === 'residents_meeting') {
		if (!Array.isArray(doc.meetings)) {
			problems.push(problem('meetings', '居民会议须有会议记录 meetings', 'a residents’ meeting export needs meetings'));
			return { ok: false, problems };
		}
		const ids = doc.meetings.map((m) => m?.compoundId);
		if (ids.join('\u0000') !== compounds.map((c) => c.compoundId).join('\u0000')) {
			problems.push(
				problem(
					'meetings',
					'会议记录须与 meta.compounds 一一对应、顺序相同',
					'meetings must match meta.compounds one to one, in order'
				)
			);
		}
		problems.push(...findResidentsMeetingProblems(inputFromExport(doc) as Extract<VoteInput, { ruleKind: 'residents_meeting' }>));
	} else {
		const rosterIds = doc.rosters.map((r) => (isObject(r) ? r.compoundId : undefined));
		if (rosterIds.join('\u0000') !== compounds.map((c) => c.compoundId).join('\u0000')) {
			problems.push(
				problem(
					'rosters',
					'房屋清册快照须与 meta.compounds 一一对应、顺序相同',
					'rosters must match meta.compounds one to one, in order'
				)
			);
		}
		doc.rosters.forEach((roster, i) => {
			if (!isObject(roster) || !Array.isArray(roster.units)) {
				problems.push(problem(`rosters[${i}].units`, '缺少房屋清册', 'roster units are missing'));
			}
		});
		if (problems.length > 0) return { ok: false, problems };
		const input = inputFromExport(doc) as Extract<VoteInput, { ballots: unknown }>;
		const found = findOwnersVoteProblems(input);
		if (found.problems.length === 0) resolveSettlements(found.vote, found.ballots, input.personSettlements, found.problems);
		// Engine paths say compounds[i].units[j]; in the export the same unit is rosters[i].units[j].
		problems.push(
			...found.problems.map((p) => ({
				...p,
				path: p.path
					.replace(/^compounds\[(\d+)\]\.units/, 'rosters[$1].units')
					.replace(/^compounds\[/, 'meta.compounds[')
					.replace(/^motions\[/, 'meta.motions[')
			}))
		);
	}
	return problems.length > 0 ? { ok: false, problems } : { ok: true, doc };
}
