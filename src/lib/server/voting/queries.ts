import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import { RULE_LABELS, type RuleKind } from '../../domain/voting/index.ts';

import type { Database } from '../db/client.ts';
import { agendaItems, ballotCompounds, ballots, delibSessions, electorateUnits, proxies } from '../db/schema/index.ts';
import { compoundScopes } from '../access.ts';
import { m as msg } from '../../paraglide/messages.js';
import { ruleWord } from '../../domain/voting/words.ts';
import { clock } from '../util/clock.ts';
import {
	ballotOf,
	loadBallot,
	phaseOf,
	PHASE_LABELS,
	proxiesInForceQuery,
	requireBallotView,
	scopesOf,
	type BallotPhase,
	type BallotRecord
} from './common.ts';
import { cachedElectorate } from './live-cache.ts';
import type { ElectorateUnit } from './tally-input.ts';

export interface BallotSummary {
	id: string;
	title: string;
	ruleLabel: string;
	ruleKind: RuleKind;
	phase: BallotPhase;
	phaseLabel: string;
	opensAt: number;
	closesAt: number;
	compoundNames: string[];
}

async function summaries(database: Database, ids: string[]): Promise<BallotSummary[]> {
	const now = clock.now();
	const out: BallotSummary[] = [];
	for (const id of ids) {
		const b = await loadBallot(database.db, id);
		const phase = phaseOf(b, now);
		out.push({
			id: b.id,
			title: b.title,
			ruleLabel: RULE_LABELS[b.ruleKind],
			ruleKind: b.ruleKind,
			phase,
			phaseLabel: PHASE_LABELS[phase],
			opensAt: b.opensAt,
			closesAt: b.closesAt,
			compoundNames: b.compounds.map((c) => c.name)
		});
	}
	return out;
}

async function ballotIdsOfCompounds(database: Database, compoundIds: string[]): Promise<string[]> {
	if (compoundIds.length === 0) return [];
	const rows = await database.db
		.selectDistinct({ id: ballotCompounds.ballotId, createdAt: ballots.createdAt })
		.from(ballotCompounds)
		.innerJoin(ballots, eq(ballots.id, ballotCompounds.ballotId))
		.where(inArray(ballotCompounds.compoundId, compoundIds))
		.orderBy(desc(ballots.createdAt));
	return rows.map((r) => r.id);
}

/**
 * 我的表决: ballots of the compounds where the actor is a verified owner, that owners can see (published notice
 * onwards), then those where they are the 受托人 of a 委托书 in force, while it is open for casting (`ballot.view`).
 */
export async function ballotsForOwner(database: Database, actor: Actor): Promise<BallotSummary[]> {
	const compoundIds = [...new Set(actor.memberships.filter((m) => m.relation === 'owner').map((m) => m.compoundId))];
	const own = new Set(await ballotIdsOfCompounds(database, compoundIds));
	const held = await database.db
		.selectDistinct({ id: proxies.ballotId })
		.from(proxies)
		.where(and(eq(proxies.proxyUserId, actor.userId), isNull(proxies.revokedAt)));
	const all = await summaries(database, [...own, ...held.map((p) => p.id).filter((id) => !own.has(id))]);
	return all.filter((b) => (own.has(b.id) ? b.phase !== 'draft' : b.phase === 'noticed' || b.phase === 'voting'));
}

/** Ballots the actor may run or watch (业委会, 居委, 片区, 监票人, admin). */
export async function ballotsForStaff(database: Database, actor: Actor, compoundIds: string[]): Promise<BallotSummary[]> {
	return summaries(database, await ballotIdsOfCompounds(database, compoundIds));
}

export interface BallotView {
	id: string;
	title: string;
	ruleKind: RuleKind;
	ruleLabel: string;
	phase: BallotPhase;
	phaseLabel: string;
	opensAt: number;
	closesAt: number;
	noticePublishedAt: number | null;
	openedAt: number | null;
	closedAt: number | null;
	allowChange: boolean;
	countsVisibility: 'secret' | 'open';
	bothChannelsRule: string;
	compounds: { compoundId: string; name: string; nonVoterRule: string }[];
	motions: { motionId: string; title: string; text: string | null; textHash: string | null }[];
	agendaItemId: string | null;
	can: { manage: boolean; enterPaper: boolean; close: boolean; watch: boolean };
	/** Compounds where this actor may enter paper ballots and proxies. */
	paperCompoundIds: string[];
}

/**
 * One ballot as its pages show it, with what this actor may do on it. Visible to anyone who may view one of its compounds,
 * and to a 受托人 of a 委托书 in force on it (`ballot.view`).
 */
export async function ballotView(database: Database, actor: Actor | null, ballotId: string, loaded?: BallotRecord): Promise<BallotView> {
	const b = await ballotOf(database.db, ballotId, loaded);
	const scopes = await scopesOf(database, b);
	const now = clock.now();
	await requireBallotView(database, actor, b, scopes, now);
	const phase = phaseOf(b, now);
	const any = (action: Parameters<typeof decide>[1]) =>
		actor !== null && scopes.some((s) => decide(actor, action, { compounds: [s] }).allowed);
	return {
		id: b.id,
		title: b.title,
		ruleKind: b.ruleKind,
		ruleLabel: RULE_LABELS[b.ruleKind],
		phase,
		phaseLabel: PHASE_LABELS[phase],
		opensAt: b.opensAt,
		closesAt: b.closesAt,
		noticePublishedAt: b.noticePublishedAt,
		openedAt: b.openedAt,
		closedAt: b.closedAt,
		allowChange: b.allowChange,
		countsVisibility: b.countsVisibility,
		bothChannelsRule: b.bothChannelsRule,
		compounds: b.compounds.map((c) => ({ compoundId: c.compoundId, name: c.name, nonVoterRule: c.nonVoterRule })),
		motions: b.motions.map((m) => ({ motionId: m.motionId, title: m.title, text: m.text, textHash: m.textHash })),
		agendaItemId: b.agendaItemId,
		can: {
			manage: actor !== null && decide(actor, 'ballot.manage', { compounds: scopes }).allowed,
			enterPaper: any('paper.enter'),
			close: any('count.close') || (actor !== null && decide(actor, 'ballot.manage', { compounds: scopes }).allowed),
			watch: any('count.watch')
		},
		paperCompoundIds:
			actor === null ? [] : scopes.filter((s) => decide(actor, 'paper.enter', { compounds: [s] }).allowed).map((s) => s.id)
	};
}

/** The columns that say where a unit of the frozen electorate is: compound, building and room. */
export const ELECTORATE_UNIT_PLACE = {
	unitId: electorateUnits.unitId,
	compoundId: electorateUnits.compoundId,
	buildingName: electorateUnits.buildingName,
	room: electorateUnits.room
};

/** Finds a unit of the frozen electorate by what is written on a paper ballot: building and room. */
export async function findElectorateUnit(
	database: Database,
	ballotId: string,
	compoundId: string,
	buildingName: string,
	room: string
): Promise<{ unitId: string; compoundId: string; label: string } | null> {
	const rows = await database.db
		.select(ELECTORATE_UNIT_PLACE)
		.from(electorateUnits)
		.where(
			and(
				eq(electorateUnits.ballotId, ballotId),
				eq(electorateUnits.compoundId, compoundId),
				eq(electorateUnits.buildingName, buildingName.trim()),
				eq(electorateUnits.room, room.trim().replace(/室$/, ''))
			)
		)
		.limit(1);
	return rows[0] ? { unitId: rows[0].unitId, compoundId: rows[0].compoundId, label: `${rows[0].buildingName} ${rows[0].room}` } : null;
}

/** Per frozen electorate (one array per opened ballot and process, live-cache.ts): its buildings, sorted once. */
const buildingNames = new WeakMap<ElectorateUnit[], { compoundId: string; buildingName: string }[]>();

/**
 * The buildings of the frozen electorate, for the paper-entry form. Building names repeat across compounds. Read from
 * the electorate each process keeps per opened ballot, not from the 20,000 rows on every load of the management page.
 */
export async function electorateBuildings(
	database: Database,
	ballotId: string,
	compoundIds: string[]
): Promise<{ compoundId: string; buildingName: string }[]> {
	if (compoundIds.length === 0) return [];
	// Before the opening there is no electorate (and none may be cached).
	if ((await loadBallot(database.db, ballotId)).openedAt === null) return [];
	const electorate = await cachedElectorate(database.db, ballotId);
	let all = buildingNames.get(electorate);
	if (!all) {
		const seen = new Map<string, { compoundId: string; buildingName: string }>();
		for (const u of electorate)
			seen.set(`${u.compoundId}|${u.buildingName}`, { compoundId: u.compoundId, buildingName: u.buildingName });
		// 2号楼 before 10号楼: compare the leading number, then the text.
		const num = (name: string) => Number(/^\d+/.exec(name)?.[0] ?? Number.MAX_SAFE_INTEGER);
		all = [...seen.values()].sort(
			(a, b) =>
				a.compoundId.localeCompare(b.compoundId) ||
				num(a.buildingName) - num(b.buildingName) ||
				a.buildingName.localeCompare(b.buildingName)
		);
		buildingNames.set(electorate, all);
	}
	const wanted = new Set(compoundIds);
	return all.filter((b) => wanted.has(b.compoundId)).map((b) => ({ ...b }));
}

/** 委托书 naming this user as the proxy on this ballot, still in force. */
export async function proxiesForUser(database: Database, userId: string, ballotId: string) {
	const rows = await proxiesInForceQuery(database.db).all({ ballotId, userId });
	return rows.map((p) => ({
		proxyId: p.id,
		principalName: p.principalName,
		instructions: JSON.parse(p.instructions) as Record<string, 'yes' | 'no' | 'abstain'>
	}));
}

export interface VotableItem {
	agendaItemId: string;
	label: string;
	rule: 'major' | 'ordinary' | 'unanimous_affected' | 'advisory';
	compoundIds: string[];
}

/** Items of published agendas that this actor may put to an owners' vote (发起表决). */
export async function votableAgendaItems(database: Database, actor: Actor): Promise<VotableItem[]> {
	const rows = await database.db
		.select({
			id: agendaItems.id,
			title: agendaItems.title,
			rule: agendaItems.rule,
			sessionTitle: delibSessions.title,
			compoundIds: delibSessions.compoundIds
		})
		.from(agendaItems)
		.innerJoin(delibSessions, eq(delibSessions.id, agendaItems.sessionId))
		.where(isNotNull(delibSessions.agendaPublishedAt))
		.orderBy(desc(delibSessions.createdAt), asc(agendaItems.position));
	const out: VotableItem[] = [];
	for (const r of rows) {
		// Residents' meetings count attendance, not owners' ballots.
		if (r.rule === 'residents_meeting') continue;
		const compoundIds = JSON.parse(r.compoundIds) as string[];
		const scopes = await compoundScopes(database, compoundIds);
		if (!decide(actor, 'ballot.manage', { compounds: scopes }).allowed) continue;
		out.push({
			agendaItemId: r.id,
			label: msg.voting_agenda_item_option({ session: r.sessionTitle, title: r.title, rule: ruleWord(r.rule) }),
			rule: r.rule,
			compoundIds
		});
	}
	return out;
}
