/**
 * The live tally of each open ballot, kept per process and per database handle. The first request
 * builds it from the frozen electorate; every later one reads only the cast rows committed since
 * (seq > the last seq it saw, through cast_votes_ballot_seq) and adds them in O(1) each, so the
 * vote page and the turnout cost the same at 200 units as at 20,000.
 *
 * Correct across processes: seq grows with commit order (one writer at a time on the file), so
 * "rows after the last seq seen" is exactly what this process has not yet counted. Cast rows are
 * never updated or deleted, and the electorate and rules are fixed once the ballot opens.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { createLiveTally, type CastBallot, type LiveTally, type OwnersVoteInput } from '../../domain/voting/index.ts';
import { preparedPerHandle, type Db } from '../db/client.ts';
import { castVotes } from '../db/schema/index.ts';
import type { BallotRecord } from './common.ts';
import { buildVoteInput, buildVoteSetup, castBallotsOf, electorateOf, type CastRow, type ElectorateUnit } from './tally-input.ts';

interface Entry {
	live: LiveTally;
	lastSeq: number;
	ownerKeyOfUnit: Map<string, string>;
	memo: Map<string, string>;
	/** Catch-ups of one ballot run one after the other, so no row is recorded twice. */
	queue: Promise<unknown>;
	/** The engine's input as buildVoteInput reads it: the setup frozen at the opening, every ballot recorded in seq order. */
	setup: Omit<OwnersVoteInput, 'ballots'>;
	ballots: CastBallot[];
}

/** Ballots kept per database handle; the least recently used goes first. */
const MAX_BALLOTS = 32;
const caches = new WeakMap<Db, Map<string, Promise<Entry>>>();

const newerRows = preparedPerHandle((reader) =>
	reader
		.select()
		.from(castVotes)
		.where(and(eq(castVotes.ballotId, sql.placeholder('ballotId')), gt(castVotes.seq, sql.placeholder('afterSeq'))))
		.orderBy(asc(castVotes.seq))
		.prepare()
);

async function build(reader: Db, ballot: BallotRecord): Promise<Entry> {
	const memo = new Map<string, string>();
	const { setup, ownerKeyOfUnit } = await buildVoteSetup(reader, ballot, memo);
	return { live: createLiveTally(setup), lastSeq: 0, ownerKeyOfUnit, memo, queue: Promise.resolve(), setup, ballots: [] };
}

async function catchUp(reader: Db, ballot: BallotRecord, entry: Entry): Promise<void> {
	const rows = (await newerRows(reader).all({ ballotId: ballot.id, afterSeq: entry.lastSeq })) as CastRow[];
	if (rows.length === 0) return;
	for (const b of castBallotsOf(ballot, entry.ownerKeyOfUnit, rows, entry.memo)) {
		entry.live.recordBallot(b);
		entry.ballots.push(b);
		entry.lastSeq = b.seq;
	}
}

/** The ballot's live tally with every cast row committed before this call counted. */
export async function liveTallyOf(reader: Db, ballot: BallotRecord): Promise<LiveTally> {
	return (await caughtUp(reader, ballot)).live;
}

/**
 * What buildVoteInput(reader, ballot) reads, from this process's copy: the frozen setup and the cast ballots caught up
 * like the tally, instead of the whole electorate and every cast row again (~0.4–1 s at 20,000 units; the 核对不一致
 * page reads it on every load). A ballot the copy cannot hold (a row the engine refuses) is read in full, as before.
 * Call only for an opened ballot.
 */
export async function liveVoteInputOf(reader: Db, ballot: BallotRecord): Promise<OwnersVoteInput> {
	let entry: Entry;
	try {
		entry = await caughtUp(reader, ballot);
	} catch {
		return buildVoteInput(reader, ballot);
	}
	const { bothChannelsRule, ...rest } = entry.setup;
	return { ...rest, ballots: [...entry.ballots], bothChannelsRule };
}

async function caughtUp(reader: Db, ballot: BallotRecord): Promise<Entry> {
	let perDb = caches.get(reader);
	if (!perDb) caches.set(reader, (perDb = new Map()));
	let pending = perDb.get(ballot.id);
	if (pending === undefined) {
		pending = build(reader, ballot);
		if (perDb.size >= MAX_BALLOTS) perDb.delete(perDb.keys().next().value!);
		perDb.set(ballot.id, pending);
	} else {
		// Most recently used last.
		perDb.delete(ballot.id);
		perDb.set(ballot.id, pending);
	}
	try {
		const entry = await pending;
		const done = entry.queue.then(() => catchUp(reader, ballot, entry));
		entry.queue = done.catch(() => undefined);
		await done;
		return entry;
	} catch (error) {
		// A failed build or a row the engine refused: forget this tally, the next request starts over.
		if (perDb.get(ballot.id) === pending) perDb.delete(ballot.id);
		throw error;
	}
}

const electorates = new WeakMap<Db, Map<string, Promise<ElectorateUnit[]>>>();

/**
 * The frozen electorate of an opened ballot, read once per process: it never changes after the
 * opening, and the progress by building reads all of it on every load of the management page
 * (20,000 rows sorted: ~0.3 s at real size). Call only for an opened ballot.
 */
export function cachedElectorate(reader: Db, ballotId: string): Promise<ElectorateUnit[]> {
	let perDb = electorates.get(reader);
	if (!perDb) electorates.set(reader, (perDb = new Map()));
	let hit = perDb.get(ballotId);
	if (hit === undefined) {
		const loading = electorateOf(reader, ballotId);
		hit = loading;
		if (perDb.size >= MAX_BALLOTS) perDb.delete(perDb.keys().next().value!);
		perDb.set(ballotId, loading);
		loading.catch(() => perDb.get(ballotId) === loading && perDb.delete(ballotId));
	} else {
		perDb.delete(ballotId);
		perDb.set(ballotId, hit);
	}
	return hit;
}
