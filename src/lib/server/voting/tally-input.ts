/**
 * Turns the stored ballot into the tally engine's input: the frozen electorate (owner keys
 * pseudonymised with the ballot's salt) and every cast ballot of both channels, superseded ones
 * included. The engine, not this file, decides which ballot counts (latest per channel, then
 * bothChannelsRule), so the live turnout, the close and any later recount agree by construction.
 */
import { asc, eq } from 'drizzle-orm';
import { buildExport, type CastBallot, type CompoundRoster, type OwnersVoteInput, type VoteExport } from '../../domain/voting/index.ts';
import type { Db } from '../db/client.ts';
import { castVotes, electorateUnits } from '../db/schema/index.ts';
import { isoOf, pseudonym, type BallotRecord } from './common.ts';
import type { UnitView } from '../roster/units.ts';
import { ownerChangeSummary } from './owner-changes.ts';
import { settlementsForCount } from './settlements.ts';

/** A unit as the ballot froze it: the roster's fields (roster/units.ts UnitView) without the owners' details. */
export type ElectorateUnit = Omit<UnitView, 'id' | 'owners'> & { unitId: string };

export async function electorateOf(reader: Db, ballotId: string): Promise<ElectorateUnit[]> {
	return reader
		.select({
			compoundId: electorateUnits.compoundId,
			unitId: electorateUnits.unitId,
			buildingId: electorateUnits.buildingId,
			buildingName: electorateUnits.buildingName,
			room: electorateUnits.room,
			areaHundredths: electorateUnits.areaHundredths,
			areaSource: electorateUnits.areaSource,
			status: electorateUnits.status,
			ownerKey: electorateUnits.ownerKey
		})
		.from(electorateUnits)
		.where(eq(electorateUnits.ballotId, ballotId))
		.orderBy(asc(electorateUnits.compoundId), asc(electorateUnits.buildingName), asc(electorateUnits.room));
}

/** The rows of cast_votes the tally reads. */
export type CastRow = typeof castVotes.$inferSelect;

/**
 * Turns stored cast rows into the engine's ballots. `memo` keeps each voter's pseudonym so a voter
 * (or a unit's owner, for paper) is hashed once, however many rows and requests see them.
 */
export function castBallotsOf(
	ballot: BallotRecord,
	ownerKeyOfUnit: Map<string, string>,
	rows: CastRow[],
	memo: Map<string, string>
): CastBallot[] {
	const keyOf = (kind: 'owner' | 'user', value: string) => {
		const k = `${kind}:${value}`;
		let key = memo.get(k);
		if (key === undefined) memo.set(k, (key = pseudonym(ballot.salt, kind, value)));
		return key;
	};
	return rows.map((v) => ({
		compoundId: v.compoundId,
		unitId: v.unitId,
		motionId: v.motionId,
		choice: v.choice,
		channel: v.channel,
		viaProxy: v.proxyId !== null,
		// A paper ballot is signed by the unit's owner, so its voter is the owner's pseudonym.
		voterKey: v.voterUserId !== null ? keyOf('user', v.voterUserId) : keyOf('owner', ownerKeyOfUnit.get(v.unitId) ?? v.unitId),
		castAt: isoOf(v.castAt),
		seq: v.seq
	}));
}

/** The engine's input without the ballots: the frozen electorate, pseudonymised, and the ballot's rules. */
export async function buildVoteSetup(
	reader: Db,
	ballot: BallotRecord,
	memo: Map<string, string> = new Map()
): Promise<{ setup: Omit<OwnersVoteInput, 'ballots'>; ownerKeyOfUnit: Map<string, string> }> {
	const electorate = await electorateOf(reader, ballot.id);
	const ownerKeyOfUnit = new Map(electorate.map((u) => [u.unitId, u.ownerKey]));
	const ownerPseudonym = (ownerKey: string) => {
		const k = `owner:${ownerKey}`;
		let key = memo.get(k);
		if (key === undefined) memo.set(k, (key = pseudonym(ballot.salt, 'owner', ownerKey)));
		return key;
	};
	const compounds: CompoundRoster[] = ballot.compounds.map((c) => ({
		compoundId: c.compoundId,
		name: c.name,
		nonVoterRule: c.nonVoterRule,
		units: electorate
			.filter((u) => u.compoundId === c.compoundId)
			.map((u) => ({
				unitId: u.unitId,
				building: u.buildingName,
				room: u.room,
				areaHundredths: u.areaHundredths,
				areaSource: u.areaSource,
				status: u.status,
				ownerKey: ownerPseudonym(u.ownerKey)
			}))
	}));
	return {
		setup: {
			ruleKind: ballot.ruleKind,
			motions: ballot.motions.map((m) => ({ id: m.motionId, title: m.title, textHash: m.textHash })),
			compounds,
			bothChannelsRule: ballot.bothChannelsRule
		},
		ownerKeyOfUnit
	};
}

export async function buildVoteInput(reader: Db, ballot: BallotRecord): Promise<OwnersVoteInput> {
	const memo = new Map<string, string>();
	const [{ setup, ownerKeyOfUnit }, cast] = await Promise.all([
		buildVoteSetup(reader, ballot, memo),
		reader.select().from(castVotes).where(eq(castVotes.ballotId, ballot.id)).orderBy(asc(castVotes.seq))
	]);
	const { bothChannelsRule, ...rest } = setup;
	return { ...rest, ballots: castBallotsOf(ballot, ownerKeyOfUnit, cast, memo), bothChannelsRule };
}

/** The frozen export of a ballot as of `now` (the close). The salt stays in the database. */
export async function buildVoteExport(reader: Db, ballot: BallotRecord, now: number): Promise<VoteExport> {
	const voteInput = await buildVoteInput(reader, ballot);
	// Every case of a person whose units voted differently, as the 业委会 settled it (the close refused while one was open).
	const input = { ...voteInput, personSettlements: (await settlementsForCount(reader, voteInput, ballot.id)).settlements };
	const changes = await ownerChangeSummary(reader, ballot.id);
	const doc = buildExport(
		{
			ballotId: ballot.id,
			title: ballot.title,
			opensAt: isoOf(ballot.opensAt),
			closesAt: isoOf(ballot.closesAt),
			exportedAt: isoOf(now),
			rosterFrozenAt: ballot.openedAt !== null ? isoOf(ballot.openedAt) : undefined
		},
		input
	);
	return changes.count > 0 ? { ...doc, ownerChanges: changes } : doc;
}
