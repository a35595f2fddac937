/**
 * The vote as a browser casts it (issue #17), at demo size and at real size.
 *
 * A vote in the browser is the requests the ballot page's `use:enhance` forms make (vote-requests.ts,
 * checked against a real Chromium by tests/e2e/vote-requests.test.ts): GET the page, whose check step
 * (核对) the page shows itself, then POST ?/cast (确认投票), whose answer carries the receipt and the
 * turnout, so nothing is reloaded.
 * Each of N owners (real sessions) does that twice (the second is a change: the last choice must be
 * the one counted), half of them on each of two app processes on one database file.
 *
 * Every figure is a ratio to the raw durable single-insert rate of a file on the same disk,
 * measured in interleaved rounds with the same client (raw, flow, cast alone, raw, …), so a machine
 * shared with other work moves both sides of each ratio.
 *
 * Real size: 爱建 grown to 20,076 units (98 more buildings, a second roster version), and ten
 * closed ballots of that compound with 5,000 units × 2 motions each (100,000 counted votes, with
 * their submissions and frozen exports), all generated through SQL and the app's own open/close.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { Actor } from '../../src/lib/domain/access/policy.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import { checkCounts, openBallotNow, rawInsertRate, votingFixture } from './ballots.ts';
import { sessionTokens, userIdOf } from './fixture.ts';
import { startServer, type ServerProcess } from './proc.ts';
import { table, type Section } from './report.ts';
import { fmt, median, ms, now, ratio, summarize } from './stats.ts';
import { browserVoteRequests, voteBody } from './vote-requests.ts';

const DAY = 24 * 3600_000;
const VOTERS = 200;
const TRIALS = 5;
/**
 * Unmeasured rounds (a flow round and a cast round each) before the measured ones, on a ballot of their own: a server
 * that has been up for a while has compiled its hot paths; one round left V8 still compiling (the first measured
 * round then cost a third more server CPU per ballot than the last).
 */
const WARMUP_ROUNDS = 3;
/**
 * Casts per owner in a cast-alone round, one after another (the last one counts): 200 owners × 2 casts lasted ~0.4 s,
 * too short to be more than its own start and tail.
 */
const CASTS_PER_OWNER = 5;
const RAW_SECONDS = 2;
const PAGE_SAMPLES = 150;
const PAGE_WARMUP = 15;
/**
 * YISHI_BENCH_FLOW_PAGES_ONLY=1: build both installations and measure only the pages (no raw, flow or cast rounds;
 * one unmeasured flow round still fills the open ballot as the measured rounds would). For working on page cost.
 */
const PAGES_ONLY = process.env.YISHI_BENCH_FLOW_PAGES_ONLY === '1';
/** `YISHI_BENCH_CPU_PROF=<dir>`: each app process writes a V8 CPU profile there when it stops (for working on cost). */
const CPU_PROF = process.env.YISHI_BENCH_CPU_PROF;

type Size = 'demo' | 'real';

interface Answer {
	status: number;
	text: string;
}

/** The headers a browser's page load or enhanced form post carries (signed in with `token`, or not). */
function browserHeaders(
	server: ServerProcess,
	method: 'GET' | 'POST',
	token: string | null,
	body?: string
): Record<string, string | number> {
	const headers: Record<string, string | number> = { accept: method === 'POST' ? 'application/json' : 'text/html' };
	if (token) headers.cookie = `yishi_session=${token}`;
	if (method === 'POST') {
		Object.assign(headers, {
			origin: server.url,
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': Buffer.byteLength(body ?? '')
		});
	}
	return headers;
}

/** One request as a browser sends it; resolves with the answer (status 0 and the error's message when it failed). */
export function send(
	agent: Agent,
	server: ServerProcess,
	method: 'GET' | 'POST',
	path: string,
	token: string | null,
	body?: string,
	retried = false
): Promise<Answer> {
	const headers = browserHeaders(server, method, token, body);
	return new Promise((done) => {
		const req = request({ host: '127.0.0.1', port: server.port, path, method, agent, headers }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d: string) => (text += d));
			res.on('end', () => done({ status: res.statusCode ?? 0, text }));
		});
		req.setTimeout(120_000, () => req.destroy(new Error('timeout after 120 s')));
		req.on('error', (e: NodeJS.ErrnoException) => {
			// The server closed an idle keep-alive connection just as it was reused: nothing reached
			// it, and a browser sends the request again on a new connection. So do we, once.
			if (req.reusedSocket && e.code === 'ECONNRESET' && !retried) send(agent, server, method, path, token, body, true).then(done);
			else done({ status: 0, text: e.message });
		});
		req.end(body);
	});
}

const typeOf = (a: Answer) => {
	try {
		return (JSON.parse(a.text) as { type?: string }).type ?? '';
	} catch {
		return '';
	}
};

/** One browser vote: the requests the ballot page sends (vote-requests.ts), each answer checked. Returns the first failure, or null. */
async function browserVote(
	agent: Agent,
	server: ServerProcess,
	ballotId: string,
	token: string,
	choices: Record<string, string>
): Promise<string | null> {
	for (const r of browserVoteRequests(ballotId, choices)) {
		const a = await send(agent, server, r.method, r.path, token, r.body);
		const what = r.path.includes('?/') ? r.path.slice(r.path.indexOf('?/') + 2) : r.path;
		const ok =
			a.status === 200 &&
			(r.answer === 'page' ||
				(r.answer === 'action' && typeOf(a) === 'success' && a.text.includes(what === 'cast' ? 'receipt' : 'review')));
		if (!ok) return `${r.method} ${what} ${a.status} ${a.text.slice(0, 200)}`;
	}
	return null;
}

const CHOICES = ['yes', 'no', 'abstain'] as const;
const choiceOf = (v: number, k: number, salt: number) => ({ A: CHOICES[(v + k + salt) % 3], B: CHOICES[(v * 7 + k + salt) % 3] });

interface Round {
	rate: number;
	wall: number;
	latencies: number[];
	errors: string[];
	/** Server CPU (user + system, both app processes) per ballot counted: what a ballot costs, whatever else loads the machine. */
	cpuPerBallot: number;
}

/** CPU time (ms) the app processes have used so far, from /proc (clock ticks of 10 ms); NaN where /proc is missing. */
export function serverCpuMs(servers: ServerProcess[]): number {
	let ticks = 0;
	for (const s of servers) {
		try {
			// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
			const stat = readFileSync(`/proc/${s.pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			return NaN;
		}
	}
	return ticks * 10;
}

/** Every voter at once, half on each process; each votes twice (the second replaces the first). */
async function flowRound(agents: Agent[], servers: ServerProcess[], tokens: string[], ballotId: string, salt: number): Promise<Round> {
	const latencies: number[] = [];
	const errors: string[] = [];
	const started = now();
	const cpu0 = serverCpuMs(servers);
	await Promise.all(
		tokens.map(async (token, v) => {
			for (let k = 0; k < 2; k++) {
				const t0 = now();
				const failure = await browserVote(agents[v % 2], servers[v % 2], ballotId, token, choiceOf(v, k, salt));
				if (failure === null) latencies.push(now() - t0);
				else errors.push(failure);
			}
		})
	);
	const wall = now() - started;
	const cpuPerBallot = (serverCpuMs(servers) - cpu0) / latencies.length;
	return { rate: latencies.length / (wall / 1000), wall, latencies, errors, cpuPerBallot };
}

/**
 * The cast POST alone, same voters, same two processes (the same request castOverHttp sends, with send()'s retry of a
 * reset idle connection).
 */
async function castRound(agents: Agent[], servers: ServerProcess[], tokens: string[], ballotId: string, salt: number): Promise<Round> {
	const latencies: number[] = [];
	const errors: string[] = [];
	const started = now();
	const cpu0 = serverCpuMs(servers);
	await Promise.all(
		tokens.map(async (token, v) => {
			for (let k = 0; k < CASTS_PER_OWNER; k++) {
				const t0 = now();
				const a = await send(
					agents[v % 2],
					servers[v % 2],
					'POST',
					`/vote/${ballotId}?/cast`,
					token,
					voteBody(choiceOf(v, k, salt))
				);
				if (a.status === 200 && typeOf(a) === 'success' && a.text.includes('receipt')) latencies.push(now() - t0);
				else errors.push(`cast ${a.status} ${a.text.slice(0, 200)}`);
			}
		})
	);
	const wall = now() - started;
	const cpuPerBallot = (serverCpuMs(servers) - cpu0) / latencies.length;
	return { rate: latencies.length / (wall / 1000), wall, latencies, errors, cpuPerBallot };
}

/** Counted rows of the ballot that are not the voter's last choice (must be 0), and units with no counted row. */
async function lastChoiceCheck(
	url: string,
	ballotId: string,
	unitIds: string[],
	salt: number
): Promise<{ wrong: number; missing: number }> {
	const { openDatabase } = await import('../../src/lib/server/db/client.ts');
	const database = openDatabase(url);
	try {
		const rows = (
			await database.client.execute({
				sql: "SELECT unit_id, motion_id, choice FROM counted_votes WHERE ballot_id = ? AND channel = 'electronic'",
				args: [ballotId]
			})
		).rows as unknown as {
			unit_id: string;
			motion_id: 'A' | 'B';
			choice: string;
		}[];
		const byUnit = new Map(unitIds.map((u, v) => [u, choiceOf(v, 1, salt)]));
		let wrong = 0;
		const seen = new Set<string>();
		for (const r of rows) {
			seen.add(r.unit_id);
			if (byUnit.get(r.unit_id)?.[r.motion_id] !== r.choice) wrong++;
		}
		return { wrong, missing: unitIds.filter((u) => !seen.has(u)).length };
	} finally {
		database.close();
	}
}

/**
 * 爱建 grown to real size, and closed ballots with counted votes. `extraBuildings` × 200 units are
 * added (a second roster version of the compound, as a re-import would write it).
 */
export function grow(extraBuildings: number, closed: number, votedUnits: number) {
	return async (database: Database, admin: Actor) => {
		const c = database.client;
		const t = Date.now() - 30 * DAY;
		if (extraBuildings > 0) {
			await c.execute('BEGIN');
			await c.execute({
				sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				      INSERT INTO org_nodes (id, kind, name, parent_id, settings, is_demo, created_at)
				      SELECT 'aijian-x' || i, 'building', (i + 100) || '号楼', 'aijian', '{}', 1, ? FROM n`,
				args: [extraBuildings, t]
			});
			await c.execute({
				sql: `WITH RECURSIVE f(floor) AS (SELECT 1 UNION ALL SELECT floor + 1 FROM f WHERE floor < 25),
				      k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < 8)
				      INSERT INTO units (id, compound_id, building_id, room, created_at)
				      SELECT 'x' || lower(hex(randomblob(8))), 'aijian', b.id, floor || '0' || k, ? FROM org_nodes b, f, k
				      WHERE b.parent_id = 'aijian' AND b.id LIKE 'aijian-x%'`,
				args: [t]
			});
			const [{ id: v1 }] = (
				await c.execute("SELECT id FROM roster_versions WHERE compound_id = 'aijian' ORDER BY version_no DESC LIMIT 1")
			).rows as unknown as { id: string }[];
			await c.execute({
				sql: `INSERT INTO roster_entries (version_id, unit_id, area_hundredths, area_source, status, owners, owner_key, source_row)
				      SELECT 'bench-v2', unit_id, area_hundredths, area_source, status, owners, owner_key, source_row
				      FROM roster_entries WHERE version_id = ?`,
				args: [v1]
			});
			await c.execute(`INSERT INTO roster_entries
				(version_id, unit_id, area_hundredths, area_source, status, owners, owner_key, source_row)
				SELECT 'bench-v2', u.id, 6000 + abs(random()) % 9000, 'registered',
				CASE WHEN abs(random()) % 50 = 0 THEN 'developer_unsold' ELSE 'owned' END,
				       json_array(json_object('name', '业主' || u.rowid, 'idHint', substr('000' || (abs(random()) % 10000), -4))),
				       'owners:[["业主' || u.rowid || '","id","0000"]]', NULL
				FROM units u WHERE u.building_id LIKE 'aijian-x%'`);
			const [{ n, area }] = (
				await c.execute("SELECT count(*) AS n, sum(area_hundredths) AS area FROM roster_entries WHERE version_id = 'bench-v2'")
			).rows as unknown as { n: number; area: number }[];
			await c.execute({
				sql:
					'INSERT INTO roster_versions (id, compound_id, version_no, file_name, created_by, ' +
					"created_at, unit_count, total_area_hundredths, diff_summary, diff) SELECT 'bench-v2', " +
					"'aijian', max(version_no) + 1, '房屋清册-全量.xlsx', NULL, ?, ?, ?, '新增 ' || (? - 476) || ' 户', " +
					"'{}' FROM roster_versions WHERE compound_id = 'aijian'",
				args: [t, n, area, n]
			});
			await c.execute('COMMIT');
		}
		const { clock } = await import('../../src/lib/server/util/clock.ts');
		const { closeBallot } = await import('../../src/lib/server/voting/index.ts');
		for (let b = 0; b < closed; b++) {
			const ballotId = await openBallotNow(database, admin, `历史表决 ${b + 1}`);
			const castAt = Date.now();
			await c.execute('BEGIN');
			// One choice per owner (the owner key decides it): an owner whose units chose differently must be
			// settled by the 业委会 before the close (domain/voting/mixed-choices.ts), which a bench cannot do.
			const choice =
				"CASE (unicode(substr(owner_key, -1)) + length(owner_key)) % 3 WHEN 0 THEN 'yes' WHEN 1 THEN 'no' ELSE 'abstain' END";
			await c.execute({
				sql: `INSERT INTO electronic_submissions (id, ballot_id, receipt, voter_user_id, proxy_id, choices, unit_ids, cast_at)
				      SELECT 'bs' || lower(hex(randomblob(7))), ballot_id, replace(replace(upper(hex(randomblob(5))), '0', 'Z'), '1', 'Y'),
				      'bv-' || unit_id, NULL,
				             json_object('A', ${choice}, 'B', ${choice}), json_array(unit_id), ?
				      FROM (SELECT ballot_id, unit_id, owner_key FROM electorate_units WHERE ballot_id = ? AND compound_id = 'aijian'
				      ORDER BY building_name, room LIMIT ?)`,
				args: [castAt, ballotId, votedUnits]
			});
			await c.execute({
				sql: `INSERT INTO cast_votes
				      (ballot_id, motion_id, compound_id, unit_id, channel, choice, voter_user_id, proxy_id, source_id, cast_at)
				      SELECT s.ballot_id, m.motion_id, 'aijian', json_extract(s.unit_ids, '$[0]'), 'electronic',
				      json_extract(s.choices, '$.' || m.motion_id), s.voter_user_id, NULL, s.id, s.cast_at
				      FROM electronic_submissions s JOIN ballot_motions m ON m.ballot_id = s.ballot_id
				      WHERE s.ballot_id = ? ORDER BY s.id, m.motion_id`,
				args: [ballotId]
			});
			await c.execute({
				sql:
					`INSERT INTO counted_votes (ballot_id, motion_id, unit_id, channel, compound_id, choice, ` +
					`seq, via_proxy, counted_at) SELECT ballot_id, motion_id, unit_id, channel, compound_id, ` +
					`choice, seq, 0, cast_at FROM cast_votes WHERE ballot_id = ?`,
				args: [ballotId]
			});
			await c.execute('COMMIT');
			const realNow = clock.now;
			clock.now = () => Date.now() + 10 * DAY;
			try {
				await closeBallot(database, admin, { ballotId });
			} finally {
				clock.now = realNow;
			}
		}
	};
}

interface SizeResult {
	size: Size;
	units: number;
	countedVotes: number;
	raws: number[];
	flows: (Round & { check: { wrong: number; missing: number; doubleCounts: number } })[];
	casts: (Round & { doubleCounts: number })[];
	pages: { name: string; path: string; p50: number; p99: number; n: number }[];
}

async function runSize(size: Size, log: (s: string) => void): Promise<SizeResult> {
	const t0 = now();
	const fixture = await votingFixture(TRIALS * 2, size === 'real' ? grow(98, 10, 5_000) : grow(0, 1, 200));
	const { database } = fixture.bench;
	const c = database.client;
	const [{ units }] = (
		await c.execute({ sql: 'SELECT count(*) AS units FROM electorate_units WHERE ballot_id = ?', args: [fixture.ballotId] })
	).rows as unknown as { units: number }[];
	const [{ counted }] = (await c.execute('SELECT count(*) AS counted FROM counted_votes')).rows as unknown as { counted: number }[];
	const [{ closedId }] = (await c.execute('SELECT id AS closedId FROM ballots WHERE closed_at IS NOT NULL ORDER BY created_at LIMIT 1'))
		.rows as unknown as { closedId: string }[];
	log(
		`  ${size}: fixture ${fmt(Number(units))} units in the open ballot's electorate, ` +
			`${fmt(Number(counted))} counted votes, ${ms(now() - t0)}`
	);
	const tokens: string[] = [];
	for (const voter of fixture.voters) tokens.push(...(await sessionTokens(database, voter, 1)));
	const [adminToken] = await sessionTokens(database, await userIdOf(database, 'admin'), 1);
	// 业委会 of 爱建: the management page with paper entry, proxies and owner changes (the admin only watches).
	const [committeeToken] = await sessionTokens(database, await userIdOf(database, 'aijian_ywh'), 1);
	fixture.bench.close();
	const env = { DATABASE_URL: fixture.bench.url, YISHI_DEMO: '0', YISHI_ALLOW_DEMO_ACCOUNTS: '1', ORIGIN: 'http://127.0.0.1:{PORT}' };
	const servers: ServerProcess[] = [];
	const agents = [new Agent({ keepAlive: true, maxSockets: VOTERS }), new Agent({ keepAlive: true, maxSockets: VOTERS })];
	try {
		const nodeArgs = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', `${CPU_PROF}/${size}`] : [];
		servers.push(await startServer('src/cli/serve.ts', env, { nodeArgs }), await startServer('src/cli/serve.ts', env, { nodeArgs }));
		// The trial ballots have been open for a while in real life: each process has loaded their
		// pages before (the live tally is built once per process and ballot, then only caught up).
		for (const id of [fixture.warmupBallotId, ...fixture.trialBallotIds])
			for (const [i, s] of servers.entries()) await send(agents[i], s, 'GET', `/vote/${id}`, tokens[i]);
		for (let w = 0; w < WARMUP_ROUNDS; w++) {
			const warm = await flowRound(agents, servers, tokens, fixture.warmupBallotId, w);
			if (warm.errors.length > 0) throw new Error(`warm-up failed: ${warm.errors[0]}`);
			await castRound(agents, servers, tokens, fixture.warmupBallotId, w + 1);
		}
		const result: SizeResult = { size, units: Number(units), countedVotes: Number(counted), raws: [], flows: [], casts: [], pages: [] };
		if (PAGES_ONLY) {
			const fill = await flowRound(agents, servers, tokens, fixture.ballotId, 0);
			if (fill.errors.length > 0) throw new Error(`flow round failed: ${fill.errors[0]}`);
		}
		for (let t = 0; t < (PAGES_ONLY ? 0 : TRIALS); t++) {
			result.raws.push((await rawInsertRate(RAW_SECONDS)).perSecond);
			const flowBallot = fixture.trialBallotIds[2 * t];
			const flow = await flowRound(agents, servers, tokens, flowBallot, t);
			const counts = await checkCounts(fixture.bench.url, flowBallot, fixture.unitIds);
			const last = await lastChoiceCheck(fixture.bench.url, flowBallot, fixture.unitIds, t);
			result.flows.push({ ...flow, check: { ...last, doubleCounts: counts.doubleCounts } });
			const castBallot = fixture.trialBallotIds[2 * t + 1];
			const cast = await castRound(agents, servers, tokens, castBallot, t);
			const castCounts = await checkCounts(fixture.bench.url, castBallot, fixture.unitIds);
			result.casts.push({ ...cast, doubleCounts: castCounts.doubleCounts });
			const firstError = [...flow.errors, ...cast.errors][0];
			log(
				`  ${size} round ${t + 1}: raw ${fmt(result.raws[t])}/s, browser flow ${fmt(flow.rate)}/s ` +
					`(${flow.cpuPerBallot.toFixed(1)} ms CPU each, errors ${flow.errors.length}, wrong ${last.wrong}), ` +
					`cast alone ${fmt(cast.rate)}/s (${cast.cpuPerBallot.toFixed(1)} ms CPU each, ` +
					`errors ${cast.errors.length}, double counts ${counts.doubleCounts} / ` +
					`${castCounts.doubleCounts})${firstError ? `; first error: ${firstError}` : ''}`
			);
		}
		// Pages, one request at a time against process 1 (p50/p99 of the server's answer).
		const pages = [
			{ name: 'vote page (owner)', path: `/vote/${fixture.ballotId}`, token: tokens[0] },
			{ name: 'ballot management (admin)', path: `/manage/ballots/${fixture.ballotId}`, token: adminToken },
			{ name: 'record page (closed ballot, public)', path: `/ballots/${closedId}`, token: null },
			{ name: 'home (owner)', path: '/', token: tokens[0] },
			{ name: 'ballot management (业委会)', path: `/manage/ballots/${fixture.ballotId}`, token: committeeToken },
			{ name: 'units not yet voted (admin)', path: `/manage/ballots/${fixture.ballotId}/unvoted`, token: adminToken },
			{
				name: 'units not yet voted, 爱建 1号楼 (admin)',
				path: `/manage/ballots/${fixture.ballotId}/unvoted?b=${encodeURIComponent('aijian|1号楼')}`,
				token: adminToken
			},
			{ name: 'home (业委会)', path: '/', token: committeeToken },
			{ name: 'ballot list (admin)', path: '/manage/ballots', token: adminToken },
			{ name: 'management home (admin)', path: '/manage', token: adminToken },
			{ name: 'roster of 爱建 (admin)', path: '/manage/compounds/aijian', token: adminToken },
			{ name: 'my ballots (owner)', path: '/vote', token: tokens[0] },
			{ name: 'records (public)', path: '/records', token: null }
		];
		for (const p of pages) {
			const samples: number[] = [];
			for (let i = 0; i < PAGE_WARMUP + PAGE_SAMPLES; i++) {
				const s0 = now();
				const a = await send(agents[0], servers[0], 'GET', p.path, p.token);
				if (a.status !== 200) throw new Error(`GET ${p.path} answered ${a.status}: ${a.text.slice(0, 200)}`);
				if (i >= PAGE_WARMUP) samples.push(now() - s0);
			}
			const s = summarize(samples);
			result.pages.push({ name: p.name, path: p.path.replace(/[a-z0-9]{16}/, '<id>'), p50: s.p50, p99: s.p99, n: samples.length });
			log(`  ${size} ${p.name}: p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`);
		}
		return result;
	} finally {
		for (const a of agents) a.destroy();
		await Promise.all(servers.map((s) => s.stop()));
		fixture.bench.remove();
	}
}

const mark = (ok: boolean) => (ok ? '✔' : '✘');

export async function runFlow(log: (s: string) => void): Promise<Section> {
	const demo = await runSize('demo', log);
	const real = await runSize('real', log);
	const summary: Section['summary'] = [];
	const body: string[] = [];
	for (const r of PAGES_ONLY ? [] : [demo, real]) {
		const flowRatios = r.flows.map((f, i) => f.rate / r.raws[i]);
		const castRatios = r.casts.map((f, i) => f.rate / r.raws[i]);
		const errors = [...r.flows, ...r.casts].reduce((a, f) => a + f.errors.length, 0);
		const doubles = r.flows.reduce((a, f) => a + f.check.doubleCounts, 0) + r.casts.reduce((a, f) => a + f.doubleCounts, 0);
		const wrong = r.flows.reduce((a, f) => a + f.check.wrong + f.check.missing, 0);
		const label =
			r.size === 'demo'
				? `demo size (${fmt(r.units)} units)`
				: `real size (${fmt(r.units)} units, ${fmt(r.countedVotes)} counted votes)`;
		summary.push(
			[
				`browser vote flow, ${label}`,
				`${fmt(median(r.flows.map((f) => f.rate)))} ballots/s; ${median(flowRatios).toFixed(3)}× raw`,
				`target ≥ 0.05× raw ${mark(median(flowRatios) >= 0.05)}`
			],
			[
				`cast POST alone, ${label}`,
				`${fmt(median(r.casts.map((f) => f.rate)))} ballots/s; ${median(castRatios).toFixed(2)}× raw`,
				`target ≥ 0.40× raw ${mark(median(castRatios) >= 0.4)}`
			],
			[
				`errors / double counts / last choice not counted, ${r.size}`,
				`${errors} / ${doubles} / ${wrong}`,
				`must be 0 / 0 / 0 ${mark(errors === 0 && doubles === 0 && wrong === 0)}`
			]
		);
		body.push(
			`### Browser vote flow, ${label}\n\n` +
				table(
					[
						'round',
						'raw durable inserts/s',
						'browser flow ballots/s (ratio)',
						'flow latency p50 / p99',
						'cast alone ballots/s (ratio)',
						'cast p50 / p99',
						'server CPU ms per ballot, flow / cast',
						'errors',
						'double counts',
						'last choice wrong / missing'
					],
					r.flows.map((f, i) => {
						const fs = summarize(f.latencies);
						const cs = summarize(r.casts[i].latencies);
						return [
							i + 1,
							fmt(r.raws[i]),
							`${fmt(f.rate)} (${ratio(f.rate, r.raws[i])})`,
							`${ms(fs.p50)} / ${ms(fs.p99)}`,
							`${fmt(r.casts[i].rate)} (${ratio(r.casts[i].rate, r.raws[i])})`,
							`${ms(cs.p50)} / ${ms(cs.p99)}`,
							`${f.cpuPerBallot.toFixed(1)} / ${r.casts[i].cpuPerBallot.toFixed(1)}`,
							f.errors.length + r.casts[i].errors.length,
							f.check.doubleCounts + r.casts[i].doubleCounts,
							`${f.check.wrong} / ${f.check.missing}`
						];
					})
				) +
				(r.flows.some((f) => f.errors.length)
					? `\n\nFirst error: ${r.flows
							.flatMap((f) => f.errors)[0]
							.replaceAll('|', '\\|')
							.slice(0, 200)}`
					: '')
		);
	}
	const rows = demo.pages.map((p, i) => {
		const q = real.pages[i];
		return [p.name, `\`${p.path}\``, `${ms(p.p50)} / ${ms(p.p99)}`, `${ms(q.p50)} / ${ms(q.p99)}`, ratio(q.p50, p.p50)];
	});
	body.push(
		`### Pages, demo size and real size\n\nOne request at a time to one process, ` +
			`${PAGE_WARMUP} unmeasured then ${PAGE_SAMPLES} measured, after the vote rounds above.\n\n` +
			table(['page', 'path', 'demo p50 / p99', 'real p50 / p99', 'real / demo p50'], rows)
	);
	const vote = [demo.pages[0], real.pages[0]];
	const worst = real.pages.reduce((a, p) => (p.p99 > a.p99 ? p : a));
	summary.push(
		[
			'vote page p50, real / demo',
			`${ms(vote[1].p50)} / ${ms(vote[0].p50)} = ${(vote[1].p50 / vote[0].p50).toFixed(2)}×`,
			`target ≤ 2× ${mark(vote[1].p50 <= 2 * vote[0].p50)}`
		],
		['worst page p99 at real size', `${ms(worst.p99)} (${worst.name})`, `target ≤ 200 ms ${mark(worst.p99 <= 200)}`]
	);
	const ok = summary.every((row) => !String(row[2]).includes('must be') || String(row[2]).endsWith('✔'));
	if (PAGES_ONLY)
		body.unshift(
			'Pages only (`YISHI_BENCH_FLOW_PAGES_ONLY=1`): no vote rounds were measured; one unmeasured flow round filled the ballot.'
		);
	else
		body.unshift(
			'Each ballot below is the requests a browser makes for one vote with the ballot ' +
				"page's enhanced forms (`tests/bench/vote-requests.ts`, the same sequence a real Chromium sends in " +
				'`tests/e2e/vote-requests.test.ts`): ' +
				browserVoteRequests('<id>', {})
					.map((r) => `${r.method} \`${r.path.replace('/vote/<id>?', '?')}\``)
					.join(', ') +
				' (the page shows the check step 核对 itself, from its own data; the cast answers with the receipt and ' +
				'the turnout, so nothing is reloaded). ' +
				`${VOTERS} owners with real sessions (createSession cookies), half on each of two \`tsx ` +
				`src/cli/serve.ts\` processes on one database file, all at once; each votes twice on a ` +
				`fresh ballot (the second is a change, changes allowed) and the choice counted must be the second. ` +
				`"Cast alone" is only the POST \`?/cast\`, same owners, same processes, its own fresh ` +
				`ballot, ${CASTS_PER_OWNER} casts per owner one after another (the last counts). Each round measures, ` +
				'in this order, the raw durable single-insert rate (the same ' +
				'@libsql/client, WAL, synchronous FULL, autocommit inserts awaited one by one for ' +
				`${RAW_SECONDS} s), the flow, the cast alone; ratios are per round, the summary gives the ` +
				`median of ${TRIALS} rounds. Before measuring, each process loads each ballot page once ` +
				`and ${WARMUP_ROUNDS} unmeasured flow and cast rounds run on a ballot of their own.`
		);
	if (!ok)
		throw Object.assign(new Error('flow check failed (errors, double counts or a last choice not counted)'), {
			section: { id: 'flow', title: '5. The vote as a browser casts it', body: body.join('\n\n'), summary }
		});
	return { id: 'flow', title: '5. The vote as a browser casts it', body: body.join('\n\n'), summary };
}
