/**
 * 首页: what needs this person now — votes to cast with the days left, meetings coming, agenda work
 * waiting for them, answers to concerns they raised, unread notices — and, for anyone, the
 * community's live cases and latest records. Read-only; each part comes from its capability's service.
 */
import { desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Phase } from '../../domain/agenda/phases.ts';
import { m } from '../../paraglide/messages.js';
import { daysLeft } from '../../domain/records/window.ts';
import type { Database } from '../db/client.ts';
import { agendaItems, concerns, delibSessions, outcomeRecords } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import { ballotsForOwner } from '../voting/queries.ts';
import { ballotsDoneBy } from '../voting/my-vote.ts';
import { searchRecords } from '../records/read.ts';
import { nodeNames, parseIds } from '../agenda/common.ts';
import { listConcerns } from '../concerns/concerns.ts';
import { sessionMeetings } from '../deliberation/meetings.ts';
import { unreadCount } from './inbox.ts';
import { pendingActions } from './pending.ts';
import { listSessions } from '../agenda/read.ts';

export interface HomeVote {
	id: string;
	title: string;
	daysLeft: number;
	voted: boolean;
}
export interface HomeMeeting {
	sessionId: string;
	sessionTitle: string;
	title: string;
	startsAt: number;
	place: string;
}
/** phaseLabel is the whole state as said on the page: 协商进行中, 表决进行中, 结果已公示. */
export interface HomeCase {
	id: string;
	title: string;
	phaseLabel: string;
	compounds: string[];
}
export interface HomeRecord {
	id: string;
	title: string;
	/** In the reader's language; `outcome` is the record's own (Chinese) words. */
	stageLabel: string;
	outcome: string;
	publishedAt: number;
}
export interface HomeConcern {
	id: string;
	title: string;
	statusLabel: string;
}

export interface PersonalHome {
	votes: HomeVote[];
	meetings: HomeMeeting[];
	tasks: { title: string; href: string }[];
	myConcerns: HomeConcern[];
	unread: number;
	cases: HomeCase[];
	/** Staff (any grant) are not residents waiting for verification. */
	isStaff: boolean;
}

const LATEST_RECORDS = 3;

/**
 * Sessions whose decision is already published: their phase may still read 表决 (nobody advanced
 * it), but a person asks "is it still going on?" — these are said to be in 公示 instead.
 */
async function sessionsWithRecords(database: Database, sessionIds: string[]): Promise<Set<string>> {
	if (sessionIds.length === 0) return new Set();
	const rows = await database.db
		.selectDistinct({ sessionId: agendaItems.sessionId })
		.from(agendaItems)
		.innerJoin(outcomeRecords, eq(outcomeRecords.itemId, agendaItems.id))
		.where(inArray(agendaItems.sessionId, sessionIds));
	return new Set(rows.map((r) => r.sessionId));
}

/** In the reader's language: 协商进行中 / "Deliberation under way". */
function caseLabel(phase: Phase, published: boolean): string {
	if (published) return m.home_case_published();
	const labels: Record<Phase, () => string> = {
		agenda: m.home_case_agenda,
		deliberation: m.home_case_deliberation,
		drafting: m.home_case_drafting,
		voting: m.home_case_voting,
		publicity: m.home_case_publicity,
		implementation: m.home_case_implementation
	};
	return labels[phase]();
}

export async function personalHome(database: Database, actor: Actor): Promise<PersonalHome> {
	const now = clock.now();
	const open = (await ballotsForOwner(database, actor)).filter((b) => b.phase === 'voting');
	// Done = nothing left to cast, for their own units and for every owner they stand for as 受托人.
	const done = await ballotsDoneBy(
		database,
		actor,
		open.map((b) => b.id)
	);
	const votes: HomeVote[] = open.map((b) => ({ id: b.id, title: b.title, daysLeft: daysLeft(b.closesAt, now), voted: done.has(b.id) }));
	const sessions = await listSessions(database, actor);
	const meetings: HomeMeeting[] = [];
	for (const s of sessions) {
		for (const m of await sessionMeetings(database, s.id)) {
			if (m.startsAt >= now)
				meetings.push({ sessionId: s.id, sessionTitle: s.title, title: m.title, startsAt: m.startsAt, place: m.place });
		}
	}
	meetings.sort((a, b) => a.startsAt - b.startsAt);
	const raised = new Set(
		(
			await database.db
				.select({ id: concerns.id })
				.from(concerns)
				.where(eq(concerns.raisedBy, actor.userId))
				.orderBy(desc(concerns.raisedAt))
				.limit(20)
		).map((r) => r.id)
	);
	const myConcerns = raised.size
		? (await listConcerns(database, actor))
				.filter((c) => raised.has(c.id))
				.map((c) => ({ id: c.id, title: c.title, statusLabel: c.statusLabel }))
		: [];
	return {
		votes,
		meetings,
		tasks: await pendingActions(database, actor),
		myConcerns,
		unread: await unreadCount(database, actor.userId),
		cases: await (async () => {
			const live = sessions.filter((s) => s.published);
			const recorded = await sessionsWithRecords(
				database,
				live.map((s) => s.id)
			);
			return live.map((s) => ({
				id: s.id,
				title: s.title,
				phaseLabel: caseLabel(s.phase, recorded.has(s.id)),
				compounds: s.compounds
			}));
		})(),
		isStaff: actor.grants.length > 0
	};
}

/** For a visitor: the published cases (their agenda is public) and the latest records. */
export async function publicHome(database: Database): Promise<{ cases: HomeCase[]; records: HomeRecord[] }> {
	const rows = await database.db
		.select({ id: delibSessions.id, title: delibSessions.title, phase: delibSessions.phase, compoundIds: delibSessions.compoundIds })
		.from(delibSessions)
		.where(isNotNull(delibSessions.agendaPublishedAt))
		.orderBy(desc(delibSessions.createdAt))
		.limit(5);
	const names = await nodeNames(
		database.db,
		rows.flatMap((r) => parseIds(r.compoundIds))
	);
	const recorded = await sessionsWithRecords(
		database,
		rows.map((r) => r.id)
	);
	const cases = rows.map((r) => ({
		id: r.id,
		title: r.title,
		phaseLabel: caseLabel(r.phase as Phase, recorded.has(r.id)),
		compounds: parseIds(r.compoundIds).map((id) => names.get(id)?.name ?? id)
	}));
	const records = (await searchRecords(database, {})).slice(0, LATEST_RECORDS).map((r) => ({
		id: r.id,
		title: r.title,
		stageLabel: r.stage === 'final' ? m.home_stage_final() : m.home_stage_preliminary(),
		outcome: r.outcome,
		publishedAt: r.publishedAt
	}));
	return { cases, records };
}
