/**
 * What the count shows: live turnout while voting (participation only, unless the ballot is
 * configured open), then the frozen result, its export and the public receipt list after close.
 * After close everything is read from the export frozen by closeBallot, never recomputed from rows.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import {
	BOTH_CHANNELS_RULE_LABELS,
	NON_VOTER_RULE_LABELS,
	verifyExport,
	type Choice,
	type CompoundTurnout,
	type NonVoterRule,
	type Disagreement,
	type Figures,
	type OwnersCompoundTally,
	type TallyResult,
	type ThresholdCheck,
	type VoteExport
} from '../../domain/voting/index.ts';
import type { Database } from '../db/client.ts';
import { castVotes, countedVotes, electronicSubmissions } from '../db/schema/index.ts';
import { RuleBroken } from '../errors.ts';
import { m as msg } from '../../paraglide/messages.js';
import { clock } from '../util/clock.ts';
import {
	CHOICE_LABELS,
	PHASE_LABELS,
	ballotOf,
	loadBallot,
	loadBallotExport,
	phaseOf,
	requireAnyCompound,
	requireBallotView,
	scopesOf,
	timeLeftLabel,
	type BallotPhase,
	type BallotRecord
} from './common.ts';
import { liveTallyOf } from './live-cache.ts';

export interface TurnoutCompound extends CompoundTurnout {
	/** Only when the ballot's running counts are open; null for a secret ballot until the close. */
	counts: { yes: Figures; no: Figures; abstain: Figures } | null;
}

export interface Turnout {
	ballotId: string;
	title: string;
	phase: BallotPhase;
	phaseLabel: string;
	closesAt: number;
	msLeft: number;
	timeLeft: string;
	countsVisible: boolean;
	motions: { motionId: string; title: string; compounds: TurnoutCompound[] }[];
}

/**
 * What the turnout card (components/voting/TurnoutPanel.svelte) shows of a Turnout, and no more: the phase and time
 * left, the first motion's participation per compound against its thresholds, and each motion's yes/no/abstain persons
 * once they are visible. A Turnout is one too. The ballot page sends this (in its data and in a cast's answer): the
 * whole Turnout was ~3.7 KB to serialise on every vote.
 */
export interface TurnoutCard {
	phase: BallotPhase;
	msLeft: number;
	countsVisible: boolean;
	motions: {
		motionId: string;
		title: string;
		compounds: {
			compoundId: string;
			compoundName: string;
			participating: { areaHundredths: number };
			total: { areaHundredths: number };
			/** The first motion's only: the card shows participation once. */
			thresholds: ThresholdCheck[];
			counts: { yes: { persons: number }; no: { persons: number }; abstain: { persons: number } } | null;
		}[];
	}[];
}

export function turnoutCard(turnout: Turnout): TurnoutCard {
	const persons = (f: Figures) => ({ persons: f.persons });
	return {
		phase: turnout.phase,
		msLeft: turnout.msLeft,
		countsVisible: turnout.countsVisible,
		motions: turnout.motions.map((motion, i) => ({
			motionId: motion.motionId,
			title: motion.title,
			compounds: motion.compounds.map((c) => ({
				compoundId: c.compoundId,
				compoundName: c.compoundName,
				participating: { areaHundredths: c.participating.areaHundredths },
				total: { areaHundredths: c.total.areaHundredths },
				thresholds: i === 0 ? c.thresholds : [],
				counts: c.counts && { yes: persons(c.counts.yes), no: persons(c.counts.no), abstain: persons(c.counts.abstain) }
			}))
		}))
	};
}

/** 实时参与情况: per compound and motion, against the 2/3 area and 2/3 persons thresholds, and time left. */
export async function getTurnout(
	database: Database,
	actor: Actor | null,
	input: { ballotId: string },
	loaded?: BallotRecord
): Promise<Turnout> {
	const ballot = await ballotOf(database.db, input.ballotId, loaded);
	const now = clock.now();
	await requireBallotView(database, actor, ballot, await scopesOf(database, ballot), now, ['count.watch']);
	if (ballot.openedAt === null) throw new RuleBroken(msg.voting_results_not_open());
	const phase = phaseOf(ballot, now);
	// Secret until the close: not even the 业委会 sees yes/no while owners can still vote.
	const countsVisible = ballot.countsVisibility === 'open' || phase === 'closed';
	// Built once per process from the frozen electorate, then only the rows cast since are read.
	const live = await liveTallyOf(database.db, ballot);
	const view = live.turnout();
	const result = countsVisible ? live.result() : null;
	return {
		ballotId: ballot.id,
		title: ballot.title,
		phase,
		phaseLabel: PHASE_LABELS[phase],
		closesAt: ballot.closesAt,
		msLeft: Math.max(0, ballot.closesAt - now),
		timeLeft: timeLeftLabel(ballot.closesAt - now),
		countsVisible,
		motions: view.motions.map((motion, m) => ({
			motionId: motion.motionId,
			title: motion.title,
			compounds: motion.compounds.map((c, i) => {
				const tally = result?.motions[m].compounds[i] as OwnersCompoundTally | undefined;
				return { ...c, counts: tally ? { yes: tally.yes, no: tally.no, abstain: tally.abstain } : null };
			})
		}))
	};
}

function requireCountClosed(ballot: BallotRecord): void {
	if (ballot.closedAt === null) throw new RuleBroken(msg.voting_results_not_closed(), 'not_closed');
}

/** The frozen export of a closed ballot (closing writes closedAt and the export in one update). */
async function requireClosed(database: Database, ballot: BallotRecord): Promise<{ doc: VoteExport; json: string }> {
	requireCountClosed(ballot);
	const json = await loadBallotExport(database.db, ballot.id);
	if (json === null) throw new RuleBroken(msg.voting_results_not_closed(), 'not_closed');
	return { doc: JSON.parse(json) as VoteExport, json };
}

export interface PublishedResult {
	ballotId: string;
	title: string;
	closedAt: number;
	result: TallyResult;
	/** The rules that decided, shown on the record: both-channels rule and each compound's non-voter rule. */
	rules: { bothChannels: string; nonVoter: { compoundId: string; name: string; label: string; rule: NonVoterRule }[] };
	/** Re-derived from the frozen inputs and compared figure by figure; empty when they agree. */
	disagreements: Disagreement[];
	/** 业主变更登记 during the vote: how many, and why (no names, no rooms). */
	ownerChanges: { count: number; reasons: string[] };
}

/** 表决结果: public once the count is closed (everyone may read published records, DOMAIN.md §5). */
export async function getResult(database: Database, input: { ballotId: string }): Promise<PublishedResult> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireCountClosed(ballot);
	const json = await loadBallotExport(database.db, ballot.id);
	if (json === null) throw new RuleBroken(msg.voting_results_not_closed(), 'not_closed');
	// Parsing and re-verifying a 20,000-unit export costs far more than serving it: done once per
	// process for these exact bytes. Any change to the stored export is a cache miss and is verified.
	const cached = verifiedResults.get(ballot.id);
	if (cached !== undefined && cached.json === json && cached.result.title === ballot.title && cached.result.closedAt === ballot.closedAt)
		return cached.result;
	const doc = JSON.parse(json) as VoteExport;
	const result: PublishedResult = {
		ballotId: ballot.id,
		title: ballot.title,
		closedAt: ballot.closedAt!,
		result: doc.result,
		rules: {
			bothChannels: BOTH_CHANNELS_RULE_LABELS[doc.options.bothChannelsRule],
			nonVoter: doc.meta.compounds.map((c) => ({
				compoundId: c.compoundId,
				name: c.name,
				label: NON_VOTER_RULE_LABELS[doc.options.nonVoterRule[c.compoundId]],
				rule: doc.options.nonVoterRule[c.compoundId]
			}))
		},
		disagreements: verifyExport(doc),
		ownerChanges: doc.ownerChanges ?? { count: 0, reasons: [] }
	};
	if (verifiedResults.size >= 16) verifiedResults.delete(verifiedResults.keys().next().value!);
	verifiedResults.set(ballot.id, { json, result });
	return result;
}

/** The last verified result per closed ballot, with the exact export text it was derived from. */
const verifiedResults = new Map<string, { json: string; result: PublishedResult }>();

/**
 * 导出: the frozen JSON document (yishi-vote-export v1). It names no one, but it does say how each
 * room voted, so it goes to those who watch the count (业委会, 监票人, 居委), not to the public.
 */
export async function exportBallot(
	database: Database,
	actor: Actor,
	input: { ballotId: string }
): Promise<{ fileName: string; json: string; doc: VoteExport }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['count.watch'], await scopesOf(database, ballot));
	const { doc, json } = await requireClosed(database, ballot);
	return { fileName: `vote-${ballot.id}.json`, json, doc };
}

export type ReceiptStatus = 'counted' | 'changed' | 'paper_prevails';

/** Chinese (the public receipt list as exported); the page says it with receiptStatusWord. */
export const RECEIPT_STATUS_LABELS: Record<ReceiptStatus, string> = {
	counted: '已计入',
	changed: '已改票，以之后的投票为准',
	paper_prevails: '该户另有书面投票，按规则以书面投票为准'
};

export interface PublishedReceipt {
	receipt: string;
	viaProxy: boolean;
	choices: { motionId: string; title: string; choice: Choice; label: string }[];
	status: ReceiptStatus;
	statusLabel: string;
}

/**
 * 回执公示: after the close, every electronic receipt with its choices — no names, no units, no
 * times, sorted by code — so each voter can find their own and check it was counted as cast.
 */
export async function listPublishedBallotReceipts(database: Database, input: { ballotId: string }): Promise<PublishedReceipt[]> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireCountClosed(ballot);
	const [submissions, cast, counted] = await Promise.all([
		database.db.select().from(electronicSubmissions).where(eq(electronicSubmissions.ballotId, ballot.id)),
		database.db
			.select({ seq: castVotes.seq, sourceId: castVotes.sourceId })
			.from(castVotes)
			.where(and(eq(castVotes.ballotId, ballot.id), eq(castVotes.channel, 'electronic'))),
		database.db
			.select({ seq: countedVotes.seq, unitId: countedVotes.unitId, channel: countedVotes.channel })
			.from(countedVotes)
			.where(eq(countedVotes.ballotId, ballot.id))
	]);
	const countedSeqs = new Set(counted.filter((c) => c.channel === 'electronic').map((c) => c.seq));
	const paperUnits = new Set(counted.filter((c) => c.channel === 'paper').map((c) => c.unitId));
	const seqsOf = new Map<string, number[]>();
	for (const c of cast) seqsOf.set(c.sourceId, [...(seqsOf.get(c.sourceId) ?? []), c.seq]);
	const titles = new Map(ballot.motions.map((m) => [m.motionId, m.title]));
	return submissions
		.map((s) => {
			const choices = JSON.parse(s.choices) as Record<string, Choice>;
			const unitIds = JSON.parse(s.unitIds) as string[];
			let status: ReceiptStatus = 'counted';
			if (!(seqsOf.get(s.id) ?? []).some((seq) => countedSeqs.has(seq))) status = 'changed';
			else if (ballot.bothChannelsRule === 'paper_prevails' && unitIds.some((u) => paperUnits.has(u))) status = 'paper_prevails';
			return {
				receipt: s.receipt,
				viaProxy: s.proxyId !== null,
				choices: ballot.motions
					.filter((m) => m.motionId in choices)
					.map((m) => ({
						motionId: m.motionId,
						title: titles.get(m.motionId)!,
						choice: choices[m.motionId],
						label: CHOICE_LABELS[choices[m.motionId]]
					})),
				status,
				statusLabel: RECEIPT_STATUS_LABELS[status]
			};
		})
		.sort((a, b) => (a.receipt < b.receipt ? -1 : 1));
}
