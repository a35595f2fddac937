/**
 * Cost per request independent of the electorate's size (issue #17): the live turnout reads only
 * the rows cast since it last looked and still equals a full recount, and no hot statement of the
 * vote page, the check, the cast or the turnout scans a table that grows with the installation.
 */
import { describe, expect, it, vi } from 'vitest';
import { tallyOwnersVote, type TallyResult } from '../../../src/lib/domain/voting/index.ts';
import {
	ballotsForStaff,
	ballotView,
	castElectronicBallot,
	closeBallot,
	electorateBuildings,
	listPaperMismatches,
	listProxies,
	myRecentPaperEntries,
	ownerChangesOfBallot,
	getResult,
	progressByBuilding,
	enterPaperBallot,
	getTurnout,
	loadBallot,
	previewElectronicBallot,
	proxiesForUser,
	voterStanding
} from '../../../src/lib/server/voting/index.ts';
import { liveTallyOf, liveVoteInputOf } from '../../../src/lib/server/voting/live-cache.ts';
import { personalHome } from '../../../src/lib/server/notifications/index.ts';
import { buildVoteInput } from '../../../src/lib/server/voting/tally-input.ts';
import { tamper, type TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, CHOICES_1, DAY, freshDatabaseForEachTest, newCompound, newOpenBallot, newOwner, newStaff } from './factories.ts';
import type { FakeTime } from './factories.ts';

let database: TestDatabase;
let time: FakeTime;

freshDatabaseForEachTest((bed) => ({ database, time } = bed));

async function fullRecount(ballotId: string): Promise<TallyResult> {
	return tallyOwnersVote(await buildVoteInput(database.db, await loadBallot(database.db, ballotId)));
}

describe('the live tally kept per process', () => {
	it('reads only new rows and always equals a full recount: changes, paper, and page loads racing a cast', async () => {
		const compound = await newCompound(database, { units: [{ owner: '张三' }, { owner: '张三' }, { owner: '李四' }, {}, {}] });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const second = await newStaff(database, 'owners_committee', compound.compoundId);
		const zhang = await newOwner(database, compound, { units: 2 });
		const li = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], {
			ruleKind: 'ordinary',
			allowChange: true,
			countsVisibility: 'open'
		});

		const before = await getTurnout(database, committee.actor, { ballotId });
		expect(before.motions[0].compounds[0].participating.persons).toBe(0);

		await castElectronicBallot(database, zhang.actor, { ballotId, choices: ALL_YES });
		const ballot = await loadBallot(database.db, ballotId);
		const live = await liveTallyOf(database.db, ballot);
		expect(live.result()).toEqual(await fullRecount(ballotId));

		await castElectronicBallot(database, li.actor, { ballotId, choices: CHOICES_1 });
		await castElectronicBallot(database, zhang.actor, { ballotId, choices: CHOICES_1 }); // a change: the last one counts
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: compound.units[3].unitId, choices: ALL_YES });
		await enterPaperBallot(database, second.actor, { ballotId, unitId: compound.units[3].unitId, choices: ALL_YES });
		// The same tally object, caught up: what another request (or another process's casts) added is counted once.
		expect(await liveTallyOf(database.db, ballot)).toBe(live);
		const recount = await fullRecount(ballotId);
		expect(live.result()).toEqual(recount);
		const turnout = await getTurnout(database, committee.actor, { ballotId });
		expect(turnout.motions[0].compounds[0].counts).toEqual({
			yes: recount.motions[0].compounds[0].yes,
			no: recount.motions[0].compounds[0].no,
			abstain: recount.motions[0].compounds[0].abstain
		});
		expect(turnout.motions[0].compounds[0].participating.persons).toBe(3);

		// Concurrent page loads while casts commit: still one count per row.
		const other = await newOwner(database, compound);
		await Promise.all([
			getTurnout(database, committee.actor, { ballotId }),
			castElectronicBallot(database, other.actor, { ballotId, choices: ALL_YES }),
			getTurnout(database, committee.actor, { ballotId }),
			getTurnout(database, committee.actor, { ballotId })
		]);
		await getTurnout(database, committee.actor, { ballotId });
		expect(live.result()).toEqual(await fullRecount(ballotId));
	});
});

describe('the tally input kept per process (核对不一致 page)', () => {
	it('equals a full read after votes, a change and a paper ballot, without reading the electorate again', async () => {
		const compound = await newCompound(database, { units: [{ owner: '张三' }, { owner: '张三' }, { owner: '李四' }, {}] });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const second = await newStaff(database, 'owners_committee', compound.compoundId);
		const zhang = await newOwner(database, compound, { units: 2 });
		const li = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange: true });
		const ballot = await loadBallot(database.db, ballotId);
		expect(await liveVoteInputOf(database.db, ballot)).toEqual(await buildVoteInput(database.db, ballot));
		await castElectronicBallot(database, zhang.actor, { ballotId, choices: ALL_YES });
		await castElectronicBallot(database, li.actor, { ballotId, choices: CHOICES_1 });
		expect(await liveVoteInputOf(database.db, ballot)).toEqual(await buildVoteInput(database.db, ballot));
		await castElectronicBallot(database, zhang.actor, { ballotId, choices: CHOICES_1 });
		await enterPaperBallot(database, committee.actor, { ballotId, unitId: compound.units[3].unitId, choices: ALL_YES });
		await enterPaperBallot(database, second.actor, { ballotId, unitId: compound.units[3].unitId, choices: ALL_YES });
		const seen = await recordStatements();
		const live = await liveVoteInputOf(database.db, ballot);
		expect(seen.some((s) => /from "electorate_units"/i.test(s.sql))).toBe(false);
		const full = await buildVoteInput(database.db, ballot);
		expect(live.ballots.length).toBe(full.ballots.length);
		expect(live).toEqual(full);
	});
});

type Statement = { sql: string; args: unknown[] };

/** Records every statement the reader runs, and every statement run inside a transaction (the write queue's). */
async function recordStatements(): Promise<Statement[]> {
	const seen: Statement[] = [];
	const toStatement = (s: unknown): Statement =>
		typeof s === 'string' ? { sql: s, args: [] } : { sql: (s as Statement).sql, args: ((s as Statement).args ?? []) as unknown[] };
	const execute = database.client.execute.bind(database.client);
	vi.spyOn(database.client, 'execute').mockImplementation(((stmt: unknown, args?: unknown) => {
		seen.push(typeof stmt === 'string' ? { sql: stmt, args: (args as unknown[]) ?? [] } : toStatement(stmt));
		return execute(stmt as never, args as never);
	}) as never);
	// Every libSQL transaction of the embedded client is of one class, the writer's included: spy on its execute.
	const probe = await database.client.transaction('read');
	const transaction = Object.getPrototypeOf(probe) as {
		execute(stmt: unknown): Promise<unknown>;
		batch(stmts: unknown[]): Promise<unknown>;
	};
	await probe.rollback();
	const inTransaction = transaction.execute;
	vi.spyOn(transaction, 'execute').mockImplementation(function (this: unknown, stmt: unknown) {
		seen.push(toStatement(stmt));
		return inTransaction.call(this, stmt);
	} as never);
	// The cast's writes run as one batch of kept statements (voting/repository.ts): each is recorded too.
	const batchInTransaction = transaction.batch;
	vi.spyOn(transaction, 'batch').mockImplementation(function (this: unknown, stmts: unknown[]) {
		for (const s of stmts) seen.push(toStatement(s));
		return batchInTransaction.call(this, stmts);
	} as never);
	return seen;
}

/** Tables whose size grows with units and votes: a SCAN of any of them is a cost per request that grows too. */
const BIG_TABLES = [
	'cast_votes',
	'counted_votes',
	'electorate_units',
	'electorate_voters',
	'electronic_submissions',
	'paper_entries',
	'proxies',
	'memberships',
	'audit_log'
];
const BIG = new RegExp(`\\b(SCAN (TABLE )?(${BIG_TABLES.join('|')}))\\b`);

/**
 * Plan lines that read a whole big table (SCAN), or the whole electorate of a ballot (a SEARCH of electorate_units on
 * ballot_id alone: 20,000 rows at real size), by table name or by its alias in the statement (`FROM memberships m` is
 * `SCAN m`).
 */
function bigReads(c: { sql: string; plan: string[] }): string[] {
	const tableOf = new Map<string, string>();
	for (const [, table, alias] of c.sql.matchAll(/\b(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?/gi)) {
		tableOf.set(table, table);
		if (alias && !/^(ON|WHERE|JOIN|CROSS|LEFT|INNER|GROUP|ORDER|LIMIT|USING)$/i.test(alias)) tableOf.set(alias, table);
	}
	return c.plan.filter((p) => {
		const scanned = /^SCAN (?:TABLE )?"?(\w+)"?/.exec(p.trim())?.[1];
		if (scanned !== undefined) return BIG_TABLES.includes(tableOf.get(scanned) ?? scanned);
		const searched = /^SEARCH (?:TABLE )?"?(\w+)"? .*\(ballot_id=\?\)$/.exec(p.trim())?.[1];
		return searched !== undefined && (tableOf.get(searched) ?? searched) === 'electorate_units';
	});
}

async function plans(statements: Statement[]): Promise<{ sql: string; plan: string[] }[]> {
	const out: { sql: string; plan: string[] }[] = [];
	for (const s of statements) {
		if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(s.sql)) continue;
		const rows = (await database.client.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.args as never })).rows;
		out.push({ sql: s.sql, plan: rows.map((r) => String(r.detail)) });
	}
	return out;
}

describe('query plans of the hot statements', () => {
	it('the vote page load, the check, the cast (first and changed) and the turnout scan no big table', async () => {
		const compound = await newCompound(database, { units: 4 });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const owner = await newOwner(database, compound, { units: 2 });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound], { allowChange: true });
		await getTurnout(database, owner.actor, { ballotId }); // builds the live tally: a whole-electorate read, once per process

		const seen = await recordStatements();
		const pageLoad = async () => {
			const view = await ballotView(database, owner.actor, ballotId);
			await getTurnout(database, owner.actor, { ballotId });
			await proxiesForUser(database, owner.userId, ballotId);
			await voterStanding(database, owner.actor, view.id);
		};
		await pageLoad();
		await previewElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		await pageLoad();
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		await pageLoad();
		await castElectronicBallot(database, owner.actor, { ballotId, choices: CHOICES_1 });
		await pageLoad();

		const checked = await plans(seen);
		// The statements that matter are all there: the turnout's catch-up, the "already counted?" checks, the cast's inserts.
		expect(
			checked.some((c) => /from "cast_votes".*"seq" >/i.test(c.sql)),
			checked.map((c) => c.sql).join('\n')
		).toBe(true);
		expect(checked.some((c) => /counted_votes/.test(c.sql) && /select/i.test(c.sql) && !/^INSERT/i.test(c.sql))).toBe(true);
		expect(checked.some((c) => /^INSERT INTO counted_votes/.test(c.sql))).toBe(true);
		const scans = checked.filter((c) => c.plan.some((p) => BIG.test(p)));
		expect(scans, JSON.stringify(scans, null, 1)).toEqual([]);
		// "Already counted?" uses the ballot + unit index, not just the key's ballot_id prefix.
		const countedChecks = checked.filter((c) => /FROM "?counted_votes"?/i.test(c.sql) && /unit_id/.test(c.sql));
		expect(countedChecks.length).toBeGreaterThan(0);
		for (const c of countedChecks) expect(c.plan.join('\n')).toMatch(/counted_votes USING (COVERING )?INDEX counted_votes_ballot_unit/);
	});
});

describe('the published result of a closed ballot', () => {
	it('is verified once per process, and a changed stored export is verified again (a tampered figure is still caught)', async () => {
		const compound = await newCompound(database, { units: 3 });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const owner = await newOwner(database, compound);
		const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound], { ruleKind: 'ordinary' });
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		time.set(closesAt + DAY);
		await closeBallot(database, committee.actor, { ballotId });

		const first = await getResult(database, { ballotId });
		expect(first.disagreements).toEqual([]);
		expect(await getResult(database, { ballotId })).toBe(first);

		const [{ export_json: json }] = (
			await database.client.execute({ sql: 'SELECT export_json FROM ballots WHERE id = ?', args: [ballotId] })
		).rows as unknown as { export_json: string }[];
		const doc = JSON.parse(json);
		doc.result.motions[0].compounds[0].yes.areaHundredths += 100;
		const edit = { sql: 'UPDATE ballots SET export_json = ? WHERE id = ?', args: [JSON.stringify(doc), ballotId] };
		await tamper(database, ['ballots'], () => database.client.execute(edit));
		const tampered = await getResult(database, { ballotId });
		expect(tampered.disagreements.length).toBeGreaterThan(0);
	});
});

describe('progress by building', () => {
	it('reads the frozen electorate once per process and still shows every new vote', async () => {
		const compound = await newCompound(database, { units: 3 });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const owner = await newOwner(database, compound);
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const before = await progressByBuilding(database, committee.actor, { ballotId });
		expect(before.reduce((a, b) => a + b.votedUnits, 0)).toBe(0);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		const seen = await recordStatements();
		const after = await progressByBuilding(database, committee.actor, { ballotId });
		expect(after.reduce((a, b) => a + b.votedUnits, 0)).toBe(1);
		expect(after.reduce((a, b) => a + b.units, 0)).toBe(3);
		expect(seen.some((s) => /from "electorate_units"/i.test(s.sql))).toBe(false);
	});
});

describe('query plans of the management page and the home (issue #17: every page at real size)', () => {
	it('read no whole big table nor the whole electorate, and a closed ballot is not read again on the next load', async () => {
		const compound = await newCompound(database, { units: 6 });
		const committee = await newStaff(database, 'owners_committee', compound.compoundId);
		const owner = await newOwner(database, compound);
		const past = await newOpenBallot(database, time, committee.actor, [compound], { ruleKind: 'ordinary' });
		await castElectronicBallot(database, owner.actor, { ballotId: past.ballotId, choices: ALL_YES });
		time.set(past.closesAt + DAY);
		await closeBallot(database, committee.actor, { ballotId: past.ballotId });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
		// A second verified owner of a unit that already votes: a candidate for 业主变更登记.
		await newOwner(database, compound, { unitIds: [owner.units[0].unitId] });
		const manage = async () => {
			const view = await ballotView(database, committee.actor, ballotId);
			await getTurnout(database, committee.actor, { ballotId });
			await progressByBuilding(database, committee.actor, { ballotId });
			await listPaperMismatches(database, committee.actor, { ballotId });
			await listProxies(database, committee.actor, { ballotId });
			await electorateBuildings(database, ballotId, view.paperCompoundIds);
			await myRecentPaperEntries(database, committee.actor, { ballotId });
			return ownerChangesOfBallot(database, committee.actor, ballotId);
		};
		const home = () => personalHome(database, owner.actor);
		const lists = () => ballotsForStaff(database, committee.actor, [compound.compoundId]);
		expect((await manage()).candidates.map((c) => c.unitId)).toEqual([owner.units[0].unitId]);
		expect((await home()).votes.map((v) => v.id)).toEqual([ballotId]);
		expect((await lists()).map((b) => b.id).sort()).toEqual([ballotId, past.ballotId].sort());

		const seen = await recordStatements();
		await manage();
		await home();
		await lists();
		// The closed ballot's row (its export sits before periods_json) is kept per process, not read on every list.
		const ballotRows = seen.filter((st) => /from "ballots"/i.test(st.sql) && st.args.includes(past.ballotId));
		expect(ballotRows, JSON.stringify(ballotRows, null, 1)).toEqual([]);
		const checked = await plans(seen);
		// The statements that matter are there: votes per building, the candidates.
		expect(checked.some((c) => /GROUP BY e\.building_id/.test(c.sql))).toBe(true);
		expect(checked.some((c) => /electorate_voters/.test(c.sql) && /memberships/.test(c.sql))).toBe(true);
		const reads = checked.map((c) => ({ sql: c.sql, reads: bigReads(c) })).filter((c) => c.reads.length > 0);
		expect(reads, JSON.stringify(reads, null, 1)).toEqual([]);
	});
});
