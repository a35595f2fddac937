/**
 * 委托书 (proxies): the 业委会 records a written authorisation — principal, proxy, the motions it
 * covers and the principal's instruction on each — and the proxy then casts exactly as instructed
 * (Shanghai art. 18). A proxy's ballot is an electronic ballot marked viaProxy, under the same
 * one-counted-ballot key as the owner's own.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import type { Choice } from '../../domain/voting/index.ts';
import { compoundScope, requireAccess } from '../access.ts';
import { m as msg } from '../../paraglide/messages.js';
import type { Database, Db } from '../db/client.ts';
import { electorateUnits, proxies, rosterEntries, rosterVersions, units, users } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken } from '../errors.ts';
import { audit, changeOnce } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { proxyChoicesRefusal } from '../../domain/voting/ballot-rules.ts';
import { choiceWord } from '../../domain/voting/words.ts';
import {
	choicesJson,
	loadBallot,
	parseChoices,
	refuseWith,
	requireAnyCompound,
	requireVotingWindow,
	scopesOf,
	type BallotRecord
} from './common.ts';
import { recordElectronicVotes, requireElectorateUnits, type CastReceipt } from './electronic.ts';

export interface RecordProxyInput {
	ballotId: string;
	/** The principal's units; all in one participating compound, all held by the same owner. */
	unitIds: string[];
	principalName: string;
	proxyUserId: string;
	/** { [motionId]: choice } — the motions covered and how the principal instructs on each. */
	instructions: Record<string, string>;
}

/** Records a 委托书 (业委会 of the units' compound), before the count is closed. */
export async function recordProxy(database: Database, actor: Actor, input: RecordProxyInput): Promise<{ proxyId: string }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['paper.enter'], await scopesOf(database, ballot));
	const unitIds = [...new Set(input.unitIds ?? [])];
	if (unitIds.length === 0) throw new InvalidInput(msg.voting_proxy_choose_units(), { unitIds: msg.voting_field_choose() });
	const found = await database.db.select({ id: units.id, compoundId: units.compoundId }).from(units).where(inArray(units.id, unitIds));
	if (found.length !== unitIds.length) throw new InvalidInput(msg.voting_unit_not_found(), { unitIds: msg.voting_field_wrong_unit() });
	const compoundIds = [...new Set(found.map((u) => u.compoundId))];
	if (compoundIds.length !== 1 || !ballot.compounds.some((c) => c.compoundId === compoundIds[0])) {
		throw new RuleBroken(msg.voting_proxy_units_one_compound(), 'unit_outside_ballot');
	}
	requireAccess(actor, 'paper.enter', { compounds: [await compoundScope(database, compoundIds[0])] });

	const principalName = (input.principalName ?? '').trim();
	if (principalName.length === 0) throw new InvalidInput(msg.voting_proxy_principal_name(), { principalName: msg.voting_field_fill() });
	const instructions = parseChoices(ballot, input.instructions, false);
	if (ballot.closedAt !== null) throw new RuleBroken(msg.voting_proxy_count_closed());
	const proxyUser = await database.db.select({ id: users.id }).from(users).where(eq(users.id, input.proxyUserId)).limit(1);
	if (proxyUser.length === 0) throw new NotFound(msg.voting_proxy_account_missing());
	await requireOneOwner(database, ballot.id, compoundIds[0], unitIds);

	const proxyId = newId();
	await database.write(async (tx) => {
		// One live 委托书 per unit and ballot: two proxies for one unit would be two voices for one vote.
		const live = await tx
			.select({ unitIds: proxies.unitIds })
			.from(proxies)
			.where(and(eq(proxies.ballotId, ballot.id), isNull(proxies.revokedAt)));
		if (live.some((p) => (JSON.parse(p.unitIds) as string[]).some((u) => unitIds.includes(u)))) {
			throw new RuleBroken(msg.voting_proxy_exists(), 'proxy_exists');
		}
		await tx.insert(proxies).values({
			id: proxyId,
			ballotId: ballot.id,
			unitIds: JSON.stringify(unitIds),
			principalName,
			proxyUserId: input.proxyUserId,
			instructions: choicesJson(instructions),
			recordedBy: actor.userId,
			recordedAt: clock.now()
		});
		await audit(tx, {
			actorId: actor.userId,
			action: 'proxy.record',
			subjectType: 'ballot',
			subjectId: ballot.id,
			detail: { proxyId, units: unitIds.length }
		});
	});
	return { proxyId };
}

/** A 委托书 speaks for one owner: its units must share one owner key (frozen electorate, else latest roster). */
async function requireOneOwner(database: Database, ballotId: string, compoundId: string, unitIds: string[]): Promise<void> {
	let keys = await database.db
		.select({ ownerKey: electorateUnits.ownerKey })
		.from(electorateUnits)
		.where(and(eq(electorateUnits.ballotId, ballotId), inArray(electorateUnits.unitId, unitIds)));
	if (keys.length === 0) {
		const version = await database.db
			.select({ id: rosterVersions.id })
			.from(rosterVersions)
			.where(eq(rosterVersions.compoundId, compoundId))
			.orderBy(desc(rosterVersions.versionNo))
			.limit(1);
		if (version.length > 0) {
			keys = await database.db
				.select({ ownerKey: rosterEntries.ownerKey })
				.from(rosterEntries)
				.where(and(eq(rosterEntries.versionId, version[0].id), inArray(rosterEntries.unitId, unitIds)));
		}
	}
	if (keys.length !== unitIds.length) throw new RuleBroken(msg.voting_proxy_not_in_electorate(), 'not_in_electorate');
	if (new Set(keys.map((k) => k.ownerKey)).size !== 1) throw new RuleBroken(msg.voting_proxy_several_owners(), 'several_owners');
}

/** Revokes a 委托书 (stamped, never deleted). Votes already cast through it stay in the history. */
export async function revokeProxy(database: Database, actor: Actor, input: { proxyId: string }): Promise<void> {
	const [proxy] = await database.db.select().from(proxies).where(eq(proxies.id, input.proxyId)).limit(1);
	if (!proxy) throw new NotFound(msg.voting_proxy_not_found());
	const [unit] = await database.db
		.select({ compoundId: units.compoundId })
		.from(units)
		.where(eq(units.id, (JSON.parse(proxy.unitIds) as string[])[0]));
	requireAccess(actor, 'paper.enter', { compounds: [await compoundScope(database, unit.compoundId)] });
	await database.write((tx) =>
		changeOnce(
			tx,
			tx
				.update(proxies)
				.set({ revokedAt: clock.now() })
				.where(and(eq(proxies.id, proxy.id), isNull(proxies.revokedAt)))
				.returning({ id: proxies.id }),
			new RuleBroken(msg.voting_proxy_already_revoked()),
			{
				actorId: actor.userId,
				action: 'proxy.revoke',
				subjectType: 'ballot',
				subjectId: proxy.ballotId,
				detail: { proxyId: proxy.id }
			}
		)
	);
}

/**
 * 代为投票: the proxy named on the 委托书 casts for the principal's units, only on the motions the
 * 委托书 covers and only as instructed. Anything beyond that is refused and nothing is counted.
 */
export async function castByProxy(
	database: Database,
	actor: Actor | null,
	input: { proxyId: string; choices: Record<string, string> }
): Promise<CastReceipt & { principalName: string }> {
	const [found] = await database.db.select().from(proxies).where(eq(proxies.id, input.proxyId)).limit(1);
	// An unknown 委托书 is refused like someone else's: the answer does not tell which ids exist.
	const voter = requireAccess(actor, 'proxy.cast', { compounds: [], proxyUserId: found?.proxyUserId });
	const proxy = found!; // the policy passed, so the 委托书 exists and names this voter
	if (proxy.revokedAt !== null) throw new RuleBroken(msg.voting_proxy_revoked(), 'proxy_revoked');
	const ballot = await loadBallot(database.db, proxy.ballotId);
	const choices = parseChoices(ballot, input.choices, false);
	refuseWith(proxyChoicesRefusal(JSON.parse(proxy.instructions) as Record<string, Choice>, choices, (id) => motionTitle(ballot, id)));
	requireVotingWindow(ballot, clock.now());
	const units = await requireElectorateUnits(database.db, ballot.id, JSON.parse(proxy.unitIds) as string[]);
	const result = await database.write(async (tx) => {
		const [current] = await tx.select({ revokedAt: proxies.revokedAt }).from(proxies).where(eq(proxies.id, proxy.id));
		if (current.revokedAt !== null) throw new RuleBroken(msg.voting_proxy_revoked(), 'proxy_revoked');
		return recordElectronicVotes(tx, { ballot, units, choices, voterUserId: voter.userId, proxyId: proxy.id });
	});
	// The receipt is the 受托人's, but the choice is the principal's: say whose vote it was.
	const lines = ballot.motions
		.filter((m) => choices.has(m.motionId))
		.map((m) =>
			msg.voting_line_for_principal({ title: m.title, name: proxy.principalName, choice: choiceWord(choices.get(m.motionId)!) })
		);
	return { ...result, units: units.map(({ unitId, label }) => ({ unitId, label })), lines, principalName: proxy.principalName };
}

/** The proxies of a ballot for the 业委会 and the scrutineer, with whether each has been used. */
export async function listProxies(database: Database, actor: Actor, input: { ballotId: string }) {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['paper.enter', 'count.watch'], await scopesOf(database, ballot));
	const rows = await database.db.select().from(proxies).where(eq(proxies.ballotId, ballot.id));
	// The list names both sides and the rooms: a 委托书 is checked against the paper by who signed it for which home.
	const proxyUserIds = [...new Set(rows.map((p) => p.proxyUserId))];
	const names = new Map(
		proxyUserIds.length > 0
			? (await database.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, proxyUserIds))).map(
					(u) => [u.id, u.name]
				)
			: []
	);
	const allUnitIds = [...new Set(rows.flatMap((p) => JSON.parse(p.unitIds) as string[]))];
	const labels = new Map(
		allUnitIds.length > 0
			? (
					await database.db
						.select({ unitId: electorateUnits.unitId, buildingName: electorateUnits.buildingName, room: electorateUnits.room })
						.from(electorateUnits)
						.where(and(eq(electorateUnits.ballotId, ballot.id), inArray(electorateUnits.unitId, allUnitIds)))
				).map((u) => [u.unitId, `${u.buildingName} ${u.room}`])
			: []
	);
	return rows.map((p) => ({
		proxyId: p.id,
		principalName: p.principalName,
		proxyName: names.get(p.proxyUserId) ?? '',
		unitLabels: (JSON.parse(p.unitIds) as string[]).map((id) => labels.get(id) ?? id),
		proxyUserId: p.proxyUserId,
		unitIds: JSON.parse(p.unitIds) as string[],
		instructions: JSON.parse(p.instructions) as Record<string, Choice>,
		recordedAt: p.recordedAt,
		revoked: p.revokedAt !== null
	}));
}

const motionTitle = (ballot: BallotRecord, motionId: string) => ballot.motions.find((m) => m.motionId === motionId)?.title ?? motionId;

/**
 * 受托人代签的纸质票: the 委托书 a paper ballot names must be this ballot's, not revoked, cover the unit, and
 * the ballot must say what it instructs (as for a 受托人's electronic ballot). Read inside the write too, so
 * a 委托书 revoked meanwhile is refused there.
 */
export async function requireProxyForPaper(
	reader: Db,
	ballot: BallotRecord,
	input: { unitId: string; proxyId: string; choices: Map<string, Choice> }
): Promise<void> {
	const [proxy] = await reader
		.select()
		.from(proxies)
		.where(and(eq(proxies.id, input.proxyId), eq(proxies.ballotId, ballot.id)))
		.limit(1);
	if (!proxy) throw new InvalidInput(msg.voting_proxy_pick_registered(), { proxyId: msg.voting_proxy_no_such_form() });
	if (proxy.revokedAt !== null) throw new RuleBroken(msg.voting_proxy_revoked(), 'proxy_revoked');
	if (!(JSON.parse(proxy.unitIds) as string[]).includes(input.unitId)) {
		throw new InvalidInput(msg.voting_proxy_other_unit(), { proxyId: msg.voting_proxy_other_unit_field() });
	}
	refuseWith(
		proxyChoicesRefusal(JSON.parse(proxy.instructions) as Record<string, Choice>, input.choices, (id) => motionTitle(ballot, id))
	);
}
