/**
 * Shared pieces of the voting services: loading a ballot, its phase and window, choice parsing,
 * access over several compounds, and the per-ballot pseudonyms. Nothing here writes.
 */
import { createHmac } from 'node:crypto';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import { decide, type Action, type Actor, type CompoundScope, type Target } from '../../domain/access/policy.ts';
import { ballotPhase, paperEntryRefusal, votingWindowRefusal, type BallotPhase, type Refusal } from '../../domain/voting/ballot-rules.ts';
import { CHOICE_LABELS, type Choice } from '../../domain/voting/index.ts';
import { youChoseLines } from '../../domain/voting/words.ts';
import { compoundScopes } from '../access.ts';
import { m as msg } from '../../paraglide/messages.js';
import { preparedPerHandle, type Database, type Db } from '../db/client.ts';
import { ballotCompounds, ballotMotions, ballots, countedVotes, electorateUnits, orgNodes, proxies } from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, NotFound, RuleBroken } from '../errors.ts';
import { randomBytes } from '../util/ids.ts';

export const DAY_MS = 24 * 3600_000;

export { CHOICE_LABELS };
const CHOICES = Object.keys(CHOICE_LABELS) as Choice[];

/**
 * A ballot's row without its frozen export: that document holds every unit's vote (hundreds of
 * KB for a large compound) and only the result, export and record pages read it (loadBallotExport).
 */
export type BallotRow = Omit<typeof ballots.$inferSelect, 'exportJson'>;
const { exportJson: _export, ...BALLOT_ROW_COLUMNS } = getTableColumns(ballots);

export interface BallotRecord extends BallotRow {
	compounds: {
		compoundId: string;
		name: string;
		position: number;
		nonVoterRule: 'off' | 'follow_majority';
		rosterVersionId: string | null;
	}[];
	motions: { motionId: string; position: number; title: string; text: string | null; textHash: string | null }[];
}

/**
 * Compounds and motions of OPENED ballots, by ballot id. Opening freezes them (the electorate is
 * drawn per compound; nothing edits ballot_compounds or ballot_motions afterwards), so they are
 * immutable facts of an opened ballot; the short lifetime only bounds how long a renamed compound
 * would show its old name. The ballot row itself (phase, window, closing) is always read fresh.
 * Saves two of the three queries of loadBallot on every vote page and every cast.
 */
const frozenParts = new Map<string, { until: number; compounds: BallotRecord['compounds']; motions: BallotRecord['motions'] }>();
const FROZEN_PARTS_TTL_MS = 5_000;
const FROZEN_PARTS_MAX = 256;

/**
 * Rows of CLOSED ballots, by id. Once closed_at is stamped every column of the row is fixed for good (trigger
 * ballots_stamped_once, drizzle/0016), so a process keeps the row instead of reading it on every list and page. Reading
 * it is not free: periods_json sits after the frozen export (megabytes for a 20,000-unit compound), so SQLite walks
 * the export's whole overflow chain to reach it (~3 ms a closed ballot on every home and ballot list at real size).
 */
const closedRows = new Map<string, BallotRow>();
const CLOSED_ROWS_MAX = 1024;

/** The ballot-row query: every vote page and every cast reads it. */
const ballotRowQuery = preparedPerHandle((reader) =>
	reader
		.select(BALLOT_ROW_COLUMNS)
		.from(ballots)
		.where(eq(ballots.id, sql.placeholder('id')))
		.limit(1)
		.prepare()
);

/** 委托书 in force on a ballot naming a user as the proxy (`ballotId`, `userId`): the vote page reads it on every load. */
export const proxiesInForceQuery = preparedPerHandle((reader) =>
	reader
		.select()
		.from(proxies)
		.where(
			and(
				eq(proxies.ballotId, sql.placeholder('ballotId')),
				eq(proxies.proxyUserId, sql.placeholder('userId')),
				isNull(proxies.revokedAt)
			)
		)
		.prepare()
);

/** For a query prepared once: the frozen electorate's rows of placeholder `ballotId` among `unitIds` (a JSON array of unit ids). */
export function electorateUnitsInList(): SQL {
	return and(
		eq(electorateUnits.ballotId, sql.placeholder('ballotId')),
		sql`${electorateUnits.unitId} IN (SELECT value FROM json_each(${sql.placeholder('unitIds')}))`
	)!;
}

/** The units among `unitIds` (a JSON array) with a counted vote of `channel` in the ballot, each once. */
export const countedUnitsQuery = preparedPerHandle((reader) =>
	reader
		.selectDistinct({ unitId: countedVotes.unitId })
		.from(countedVotes)
		.where(
			and(
				eq(countedVotes.ballotId, sql.placeholder('ballotId')),
				eq(countedVotes.channel, sql.placeholder('channel')),
				sql`${countedVotes.unitId} IN (SELECT value FROM json_each(${sql.placeholder('unitIds')}))`
			)
		)
		.prepare()
);

/** The frozen export document (JSON text) of a closed ballot, or null while the count is open. */
export async function loadBallotExport(reader: Db, ballotId: string): Promise<string | null> {
	const [row] = await reader.select({ exportJson: ballots.exportJson }).from(ballots).where(eq(ballots.id, ballotId)).limit(1);
	return row?.exportJson ?? null;
}

/**
 * The ballot `loaded` for this request when it is the one asked for (a request that needs the record for several
 * steps reads it once), otherwise loadBallot's read.
 */
export function ballotOf(reader: Db, ballotId: string, loaded?: BallotRecord): Promise<BallotRecord> {
	return loaded !== undefined && loaded.id === ballotId ? Promise.resolve(loaded) : loadBallot(reader, ballotId);
}

/** The ballot with its compounds and motions in display order. Reads through `reader` (a tx inside a write). */
export async function loadBallot(reader: Db, ballotId: string): Promise<BallotRecord> {
	let row = closedRows.get(ballotId);
	if (row === undefined) {
		const rows = await ballotRowQuery(reader).all({ id: ballotId });
		if (rows.length === 0) throw new NotFound(msg.voting_ballot_not_found());
		row = rows[0];
		if (row.closedAt !== null) {
			if (closedRows.size >= CLOSED_ROWS_MAX) closedRows.delete(closedRows.keys().next().value!);
			closedRows.set(ballotId, row);
		}
	}
	const cached = frozenParts.get(ballotId);
	// Date.now, not clock.now: this is a cache lifetime, not a rule of the vote.
	if (cached && row.openedAt !== null && cached.until > Date.now())
		return { ...row, compounds: cached.compounds, motions: cached.motions };
	const [compounds, motions] = await Promise.all([
		reader
			.select({
				compoundId: ballotCompounds.compoundId,
				name: orgNodes.name,
				position: ballotCompounds.position,
				nonVoterRule: ballotCompounds.nonVoterRule,
				rosterVersionId: ballotCompounds.rosterVersionId
			})
			.from(ballotCompounds)
			.innerJoin(orgNodes, eq(orgNodes.id, ballotCompounds.compoundId))
			.where(eq(ballotCompounds.ballotId, ballotId))
			.orderBy(asc(ballotCompounds.position)),
		reader
			.select({
				motionId: ballotMotions.motionId,
				position: ballotMotions.position,
				title: ballotMotions.title,
				text: ballotMotions.text,
				textHash: ballotMotions.textHash
			})
			.from(ballotMotions)
			.where(eq(ballotMotions.ballotId, ballotId))
			.orderBy(asc(ballotMotions.position))
	]);
	if (row.openedAt !== null) {
		if (frozenParts.size >= FROZEN_PARTS_MAX) frozenParts.delete(frozenParts.keys().next().value!);
		frozenParts.set(ballotId, { until: Date.now() + FROZEN_PARTS_TTL_MS, compounds, motions });
	}
	return { ...row, compounds, motions };
}

export async function scopesOf(database: Database, ballot: BallotRecord): Promise<CompoundScope[]> {
	return compoundScopes(
		database,
		ballot.compounds.map((c) => c.compoundId)
	);
}

/** The ballot's phase, derived from its stamps (domain/voting/ballot-rules.ts). */
export { ballotPhase as phaseOf, type BallotPhase };

/** Chinese, for what is stored; pages say it with domain/voting/words.ts phaseWord. */
export const PHASE_LABELS: Record<BallotPhase, string> = {
	draft: '草拟中',
	noticed: '已公告，尚未开始投票',
	voting: '投票中',
	ended: '已截止，待结束计票',
	closed: '计票已结束'
};

/** Throws the rule's refusal, if any, as the typed error the routes map. */
export function refuseWith(refusal: Refusal | null): void {
	if (refusal) throw new RuleBroken(refusal.message, refusal.code);
}

/** Refuses a ballot cast outside the voting window, saying when the window is. */
export function requireVotingWindow(ballot: BallotRow, now: number): void {
	refuseWith(votingWindowRefusal(ballot, now));
}

/** Paper ballots signed during the window may still be entered after the deadline, until the count is closed. */
export function requirePaperEntryOpen(ballot: BallotRow, now: number): void {
	refuseWith(paperEntryRefusal(ballot, now));
}

/**
 * Parses { motionId: choice } against the ballot's motions. `complete` demands an answer to every
 * motion (an electronic or paper ballot); otherwise any non-empty subset (a proxy's covered motions).
 * Returns the choices in motion order.
 */
export function parseChoices(ballot: BallotRecord, raw: unknown, complete: boolean): Map<string, Choice> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInput(msg.voting_choose_for_against());
	const entries = Object.entries(raw as Record<string, unknown>);
	const known = new Map(ballot.motions.map((m) => [m.motionId, m]));
	for (const [motionId, choice] of entries) {
		if (!known.has(motionId))
			throw new InvalidInput(msg.voting_no_such_motion({ id: motionId }), { [motionId]: msg.voting_no_such_motion_field() });
		if (!CHOICES.includes(choice as Choice))
			throw new InvalidInput(msg.voting_choose_for_motion({ title: known.get(motionId)!.title }), {
				[motionId]: msg.voting_field_choose()
			});
	}
	const given = new Map(entries as [string, Choice][]);
	if (complete) {
		const missing = ballot.motions.filter((m) => !given.has(m.motionId));
		if (missing.length > 0) {
			throw new InvalidInput(
				msg.voting_choose_every_motion({ missing: missing.map((m) => m.title).join(msg.voting_list_separator()) }),
				Object.fromEntries(missing.map((m) => [m.motionId, msg.voting_field_choose()]))
			);
		}
	} else if (given.size === 0) {
		throw new InvalidInput(msg.voting_choose_one_motion());
	}
	return new Map(ballot.motions.filter((m) => given.has(m.motionId)).map((m) => [m.motionId, given.get(m.motionId)!]));
}

/** Canonical text of a set of choices: equal ballots give equal text (paper double entry compares it). */
export function choicesJson(choices: Map<string, Choice>): string {
	return JSON.stringify(Object.fromEntries([...choices.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** "方案A 全天开放：您选择：同意" — the review line the voter confirms. */
export function reviewLines(ballot: BallotRecord, choices: Map<string, Choice>): string[] {
	return youChoseLines(ballot.motions, (motionId) => choices.get(motionId));
}

/**
 * Passes when the actor may take `action` for at least one of the compounds; returns those it
 * may. Used where acting for one participating compound is enough (its own 业委会 entering its
 * own paper ballots in a joint vote, watching its own count).
 */
export function requireAnyCompound(
	actor: Actor | null,
	actions: Action[],
	scopes: CompoundScope[],
	more: Omit<Target, 'compounds'> = {}
): CompoundScope[] {
	const allowed = scopes.filter((scope) => actions.some((action) => decide(actor, action, { ...more, compounds: [scope] }).allowed));
	if (allowed.length === 0) {
		const refusal = decide(actor, actions[0], { ...more, compounds: scopes.slice(0, 1) });
		throw new AccessDenied(refusal.allowed ? undefined : refusal.reason);
	}
	return allowed;
}

/**
 * Reading one ballot (`ballot.view`, with `also` as alternatives): its compounds' residents and staff, and
 * the 受托人 of its 委托书 in force while it is open for casting (公告 or 投票中), who may live anywhere.
 * The 委托书 are read only when the compound does not already let the actor in.
 */
export async function requireBallotView(
	database: Database,
	actor: Actor | null,
	ballot: BallotRecord,
	scopes: CompoundScope[],
	now: number,
	also: Action[] = []
): Promise<void> {
	const actions: Action[] = ['ballot.view', ...also];
	if (scopes.some((scope) => actions.some((action) => decide(actor, action, { compounds: [scope] }).allowed))) return;
	const phase = ballotPhase(ballot, now);
	const inForce =
		actor !== null && (phase === 'noticed' || phase === 'voting')
			? await proxiesInForceQuery(database.db).all({ ballotId: ballot.id, userId: actor.userId })
			: [];
	requireAnyCompound(actor, actions, scopes, { ballotProxyUserIds: inForce.map((p) => p.proxyUserId) });
}

/**
 * A pseudonym stable within one ballot and unlinkable across ballots: HMAC-SHA256 keyed by the
 * ballot's secret salt. Equal inputs give equal keys, so the export still groups one owner's
 * units into one person (SPC art. 9) without naming anyone.
 */
export function pseudonym(salt: string, kind: 'owner' | 'user', value: string): string {
	// node:crypto, not a JavaScript HMAC: the tally pseudonymises every electorate row (same bytes, same result).
	return createHmac('sha256', salt).update(`${kind}:${value}`).digest('hex').slice(0, 32);
}

export function newSalt(): string {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	return encodeHexLowerCase(bytes);
}

/** No 0/O, 1/I/L: an elderly voter copies the receipt from the screen onto paper. */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RECEIPT_LENGTH = 10;

/** A receipt code: 10 symbols of 31 (≈ 49 bits), uniform by rejection sampling. Unique by index. */
export function newReceipt(): string {
	let out = '';
	while (out.length < RECEIPT_LENGTH) {
		for (const b of randomBytes(16)) if (b < 248 && out.length < RECEIPT_LENGTH) out += RECEIPT_ALPHABET[b % 31];
	}
	return out;
}

/** "还剩 3 天 4 小时" for the live turnout's API data, in Chinese like PHASE_LABELS; pages say it with words.ts timeLeftWord. */
export function timeLeftLabel(ms: number): string {
	if (ms <= 0) return '已截止';
	const minutes = Math.floor(ms / 60_000);
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	if (days > 0) return `还剩 ${days} 天 ${hours} 小时`;
	if (hours > 0) return `还剩 ${hours} 小时 ${minutes % 60} 分钟`;
	return `还剩 ${Math.max(minutes, 1)} 分钟`;
}

export function isoOf(ms: number): string {
	return new Date(ms).toISOString();
}
