/**
 * 我的投票: what an owner (or a 受托人) sees of their own vote every time they come back — that
 * they voted, what they chose on each motion, when, and the receipt code. Read-only; it reads only
 * the actor's own submissions (voter_user_id = the actor), so no other person's choice can show.
 *
 * The submission history is append-only: with allowChange the newest submission is the one that
 * counts for this voter, and the page says how many times they changed it.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Choice } from '../../domain/voting/index.ts';
import { preparedPerHandle, type Database } from '../db/client.ts';
import { countedVotes, electorateUnits, electronicSubmissions, proxies } from '../db/schema/index.ts';
import { ballotOf, CHOICE_LABELS, countedUnitsQuery, electorateUnitsInList, type BallotRecord } from './common.ts';

export interface MyVoteLine {
	motionId: string;
	title: string;
	choice: Choice;
	/** 同意 / 反对 / 弃权 */
	label: string;
}

export interface MySubmission {
	receipt: string;
	castAt: number;
	units: string[];
	lines: MyVoteLine[];
}

export interface MyVote {
	/** The newest of this person's own electronic submissions, or null when they have not voted online. */
	own: (MySubmission & { submissions: number }) | null;
	/** Units of this owner in the ballot counted from a paper ballot (two matching entries). */
	paperUnits: string[];
	/** What this person cast as 受托人, newest per 委托书, naming the principal. */
	asProxy: (MySubmission & { proxyId: string; principalName: string })[];
}

/** Built once per database handle: every load of the ballot page reads these (issue #17). */
const mySubmissionsQuery = preparedPerHandle((reader) =>
	reader
		.select()
		.from(electronicSubmissions)
		.where(
			and(
				eq(electronicSubmissions.ballotId, sql.placeholder('ballotId')),
				eq(electronicSubmissions.voterUserId, sql.placeholder('userId'))
			)
		)
		.orderBy(desc(electronicSubmissions.castAt))
		.prepare()
);

/** `unitIds` is a JSON array (one statement whatever the number of units). */
const unitLabelsQuery = preparedPerHandle((reader) =>
	reader
		.select({ unitId: electorateUnits.unitId, buildingName: electorateUnits.buildingName, room: electorateUnits.room })
		.from(electorateUnits)
		.where(electorateUnitsInList())
		.prepare()
);

/** The actor's own vote in one ballot, for /vote/{id}. */
export async function myVoteInBallot(database: Database, actor: Actor, ballotId: string, loaded?: BallotRecord): Promise<MyVote> {
	const ballot = await ballotOf(database.db, ballotId, loaded);
	const rows = await mySubmissionsQuery(database.db).all({ ballotId: ballot.id, userId: actor.userId });
	const compoundIds = new Set(ballot.compounds.map((c) => c.compoundId));
	const myUnitIds = actor.memberships.filter((m) => m.relation === 'owner' && compoundIds.has(m.compoundId)).map((m) => m.unitId);
	const unitIds = [...new Set([...myUnitIds, ...rows.flatMap((r) => JSON.parse(r.unitIds) as string[])])];
	const labels = new Map<string, string>();
	if (unitIds.length > 0) {
		const units = await unitLabelsQuery(database.db).all({ ballotId: ballot.id, unitIds: JSON.stringify(unitIds) });
		for (const u of units) labels.set(u.unitId, `${u.buildingName} ${u.room}`);
	}
	const submission = (r: (typeof rows)[number]): MySubmission => {
		const choices = JSON.parse(r.choices) as Record<string, Choice>;
		return {
			receipt: r.receipt,
			castAt: r.castAt,
			units: (JSON.parse(r.unitIds) as string[]).map((id) => labels.get(id) ?? id),
			lines: ballot.motions
				.filter((m) => choices[m.motionId] !== undefined)
				.map((m) => ({
					motionId: m.motionId,
					title: m.title,
					choice: choices[m.motionId],
					label: CHOICE_LABELS[choices[m.motionId]]
				}))
		};
	};
	const ownRows = rows.filter((r) => r.proxyId === null);
	const proxyRows = rows.filter((r) => r.proxyId !== null);
	const principals = new Map<string, string>();
	if (proxyRows.length > 0) {
		const found = await database.db
			.select({ id: proxies.id, principalName: proxies.principalName })
			.from(proxies)
			.where(inArray(proxies.id, [...new Set(proxyRows.map((r) => r.proxyId!))]));
		for (const p of found) principals.set(p.id, p.principalName);
	}
	const seenProxies = new Set<string>();
	const asProxy = proxyRows.flatMap((r) => {
		if (seenProxies.has(r.proxyId!)) return [];
		seenProxies.add(r.proxyId!);
		return [{ ...submission(r), proxyId: r.proxyId!, principalName: principals.get(r.proxyId!) ?? '' }];
	});
	const paper =
		myUnitIds.length > 0
			? await countedUnitsQuery(database.db).all({ ballotId: ballot.id, channel: 'paper', unitIds: JSON.stringify(myUnitIds) })
			: [];
	return {
		own: ownRows.length > 0 ? { ...submission(ownRows[0]), submissions: ownRows.length } : null,
		paperUnits: paper.map((p) => labels.get(p.unitId) ?? p.unitId),
		asProxy
	};
}

/**
 * The ballots among `ballotIds` where the person has nothing left to cast: their own units in the electorate
 * have a counted vote (one submission covers all of them), and so does every owner they stand for as the
 * 受托人 of a 委托书 in force. A ballot where they have neither own units nor a 委托书 is not "done".
 * Three reads, whatever the number of ballots.
 */
export async function ballotsDoneBy(database: Database, actor: Actor, ballotIds: string[]): Promise<Set<string>> {
	if (ballotIds.length === 0) return new Set();
	const ownUnits = actor.memberships.filter((m) => m.relation === 'owner').map((m) => m.unitId);
	/** Per ballot, groups of units each needing one counted vote. */
	const owed = new Map<string, string[][]>();
	const owe = (ballotId: string, units: string[]) => owed.set(ballotId, [...(owed.get(ballotId) ?? []), units]);
	if (ownUnits.length > 0) {
		const own = await database.db
			.select({ ballotId: electorateUnits.ballotId, unitId: electorateUnits.unitId })
			.from(electorateUnits)
			.where(and(inArray(electorateUnits.ballotId, ballotIds), inArray(electorateUnits.unitId, ownUnits)));
		const byBallot = new Map<string, string[]>();
		for (const r of own) byBallot.set(r.ballotId, [...(byBallot.get(r.ballotId) ?? []), r.unitId]);
		for (const [ballotId, units] of byBallot) owe(ballotId, units);
	}
	const held = await database.db
		.select({ ballotId: proxies.ballotId, unitIds: proxies.unitIds })
		.from(proxies)
		.where(and(inArray(proxies.ballotId, ballotIds), eq(proxies.proxyUserId, actor.userId), isNull(proxies.revokedAt)));
	for (const p of held) owe(p.ballotId, JSON.parse(p.unitIds) as string[]);
	if (owed.size === 0) return new Set();
	const units = [...new Set([...owed.values()].flat(2))];
	const counted = await database.db
		.selectDistinct({ ballotId: countedVotes.ballotId, unitId: countedVotes.unitId })
		.from(countedVotes)
		.where(and(inArray(countedVotes.ballotId, [...owed.keys()]), inArray(countedVotes.unitId, units)));
	const countedKeys = new Set(counted.map((c) => `${c.ballotId}|${c.unitId}`));
	return new Set(
		[...owed].filter(([ballotId, groups]) => groups.every((g) => g.some((u) => countedKeys.has(`${ballotId}|${u}`)))).map(([id]) => id)
	);
}
