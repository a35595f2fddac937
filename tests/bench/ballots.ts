/**
 * Ballot bench.
 *
 * - Raw durable single-insert rate of a libSQL file: autocommit INSERTs one after another, with
 *   the app's client options and PRAGMAs (WAL, synchronous as the build defaults it). The baseline
 *   every ballot figure is divided by.
 * - Ballots over HTTP (the requested figure): 200 voters with real sessions, each submitting twice,
 *   two app processes (`tsx src/cli/serve.ts`) on one database file, through the ballot page's
 *   cast action (/vote/[id]?/cast); after an unmeasured warm-up on a ballot of its own, three runs
 *   on fresh ballots, the median reported; "not measured" while the build has no such route.
 * - Diagnostic, the same load one layer down: two worker processes on one database file, each with
 *   the app's own client and write queue, calling castElectronicBallot (real actors, real ballot,
 *   real window). Labelled as service level, never as the HTTP figure.
 *
 * Both ballot runs check afterwards, in the database: exactly one counted row per unit and motion,
 * two cast rows per unit and motion, every voter's second cast marked as a replacement, no errors.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createClient } from '@libsql/client';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { Agent, request } from 'node:http';
import { ROOT, startServer, type ServerProcess } from './proc.ts';
import { notMeasured, table, type Section } from './report.ts';
import { fmt, ms, now, ratio, summarize } from './stats.ts';
import { createBenchDb, sessionTokens, tempDir, userIdOf } from './fixture.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import type { Actor } from '../../src/lib/domain/access/policy.ts';

const VOTERS = 200;
const SUBMISSIONS = 2;
const RAW_SECONDS = 3;
const DAY = 24 * 60 * 60 * 1000;

export async function rawInsertRate(
	seconds = RAW_SECONDS
): Promise<{ perSecond: number; n: number; synchronous: string; journal: string }> {
	const dir = tempDir('raw');
	const client = createClient({ url: `file:${join(dir, 'raw.db')}`, timeout: 200 });
	try {
		const journal = String((await client.execute('PRAGMA journal_mode = WAL')).rows[0][0]);
		const synchronous = String((await client.execute('PRAGMA synchronous')).rows[0][0]);
		await client.execute(
			'CREATE TABLE cast_votes (seq INTEGER PRIMARY KEY AUTOINCREMENT, ballot_id TEXT NOT NULL, ' +
				'motion_id TEXT NOT NULL, unit_id TEXT NOT NULL, choice TEXT NOT NULL, cast_at INTEGER NOT NULL)'
		);
		let n = 0;
		const started = now();
		const deadline = started + seconds * 1000;
		while (now() < deadline) {
			await client.execute({
				sql: 'INSERT INTO cast_votes (ballot_id, motion_id, unit_id, choice, cast_at) VALUES (?, ?, ?, ?, ?)',
				args: ['b', 'A', `u${n}`, 'yes', Date.now()]
			});
			n++;
		}
		const elapsed = now() - started;
		const [{ c }] = (await client.execute('SELECT count(*) AS c FROM cast_votes')).rows as unknown as { c: number }[];
		if (Number(c) !== n) throw new Error(`raw insert: ${c} rows, expected ${n}`);
		return {
			perSecond: n / (elapsed / 1000),
			n,
			synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(synchronous)] ?? synchronous,
			journal
		};
	} finally {
		client.close();
		(await import('node:fs')).rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * A bench database with the demo, 200 verified owners of one unit each, and open ballots (two
 * motions, changes allowed): `trials` of them to measure on (the first is `ballotId`) and one more
 * to warm the app processes up on.
 */
export async function votingFixture(trials = 1, grow?: (database: Database, admin: Actor) => Promise<void>) {
	const schema = await import('../../src/lib/server/db/schema/index.ts');
	const { loadActor } = await import('../../src/lib/server/access.ts');
	const { newId } = await import('../../src/lib/server/util/ids.ts');
	const bench = await createBenchDb('ballots');
	const { database } = bench;
	// A larger installation (flow.ts: 20,000 units, closed ballots) before voters and ballots are made.
	if (grow)
		await grow(database, await (await import('../../src/lib/server/access.ts')).loadActor(database, await userIdOf(database, 'admin')));
	const taken = database.db.select({ id: schema.memberships.unitId }).from(schema.memberships);
	const free = await database.db
		.select({ id: schema.units.id })
		.from(schema.units)
		.where(and(inArray(schema.units.compoundId, ['aijian', 'hongqiao']), notInArray(schema.units.id, taken)))
		.limit(VOTERS);
	if (free.length < VOTERS) throw new Error(`the demo has only ${free.length} units without an owner account`);
	const voters: string[] = [];
	const t = Date.now();
	await database.write(async (tx) => {
		for (let i = 0; i < VOTERS; i++) {
			const id = newId();
			await tx
				.insert(schema.users)
				.values({ id, login: `bench_voter_${i}`, displayName: `投票人${i}`, passwordHash: '!', isDemo: true, createdAt: t });
			await tx.insert(schema.memberships).values({ id: newId(), userId: id, unitId: free[i].id, relation: 'owner', verifiedAt: t });
			voters.push(id);
		}
	});
	const admin = await loadActor(database, await userIdOf(database, 'admin'));
	const trialBallotIds: string[] = [];
	for (let t = 0; t < trials; t++) trialBallotIds.push(await openBallotNow(database, admin, `基准测试表决 ${t + 1}`));
	// A ballot of the same compounds for warming the app processes up before measuring.
	const warmupBallotId = await openBallotNow(database, admin, '基准测试预热表决');
	// For benches that move time further (pages.ts closes the count): offsets from the real clock.
	const clockFile = join(bench.dir, 'clock-offset');
	writeFileSync(clockFile, '0');
	return {
		bench,
		ballotId: trialBallotIds[0],
		trialBallotIds,
		warmupBallotId,
		voters,
		clockFile,
		unitIds: free.slice(0, VOTERS).map((u) => u.id)
	};
}

/**
 * An open ballot of 爱建 and 虹桥 (two motions, changes allowed) on a published agenda item. It is
 * created and noticed 20 days in the past (the in-process clock moved back), so its voting window
 * is open now by the real clock: the app processes run with no test clock, as in production.
 */
export async function openBallotNow(database: Database, admin: Actor, title: string): Promise<string> {
	const { clock } = await import('../../src/lib/server/util/clock.ts');
	const { createBallot, publishNotice, openBallot } = await import('../../src/lib/server/voting/index.ts');
	const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
	const { ruleLastDay } = await import('../../src/lib/domain/time/periods.ts');
	const { chinaDayNumber } = await import('../../src/lib/domain/time/china-date.ts');
	const calendar = await (await import('../../src/lib/server/scheduler/calendar.ts')).loadCalendar(database.db);
	// Valid under the period rules whatever the weekday: noticed 20 days ago, so voting opened a few
	// days ago; closing at 24:00 of the first working day a week or more from today (pages.ts moves
	// the clock 10 days on to close the count).
	const back = 20 * DAY;
	const realNow = clock.now;
	clock.now = () => Date.now() - back;
	let ballotId: string;
	try {
		const { opensAt } = lawfulSchedule(calendar, clock.now(), 15, 14);
		const closesAt = ruleLastDay(calendar, chinaDayNumber(Date.now()) + 7).endsAt;
		// A vote may only be held on an item of a published agenda (DOMAIN.md §4).
		const { publishedAgendaItem } = await import('../helpers/agenda.ts');
		const agendaItemId = await publishedAgendaItem(database, ['aijian', 'hongqiao'], 'ordinary', title);
		({ ballotId } = await createBallot(database, admin, {
			title,
			ruleKind: 'ordinary',
			agendaItemId,
			motions: [{ title: '侧门开放' }, { title: '加装门禁' }],
			compounds: [{ compoundId: 'aijian' }, { compoundId: 'hongqiao' }],
			allowChange: true,
			noticeDays: 15,
			opensAt,
			closesAt
		}));
		await publishNotice(database, admin, { ballotId });
	} finally {
		clock.now = realNow;
	}
	await openBallot(database, admin, { ballotId });
	return ballotId;
}

export async function checkCounts(url: string, ballotId: string, unitIds: string[]) {
	const { openDatabase } = await import('../../src/lib/server/db/client.ts');
	const schema = await import('../../src/lib/server/db/schema/index.ts');
	const database = openDatabase(url);
	try {
		const counted = await database.db
			.select({ unitId: schema.countedVotes.unitId, motionId: schema.countedVotes.motionId, n: sql<number>`count(*)` })
			.from(schema.countedVotes)
			.where(eq(schema.countedVotes.ballotId, ballotId))
			.groupBy(schema.countedVotes.unitId, schema.countedVotes.motionId);
		const cast = await database.db
			.select({ n: sql<number>`count(*)` })
			.from(schema.castVotes)
			.where(eq(schema.castVotes.ballotId, ballotId));
		const submissions = await database.db
			.select({ n: sql<number>`count(*)` })
			.from(schema.electronicSubmissions)
			.where(eq(schema.electronicSubmissions.ballotId, ballotId));
		const doubles = counted.filter((r) => Number(r.n) > 1).length;
		const voted = new Set(counted.map((r) => r.unitId));
		return {
			doubleCounts: doubles,
			countedRows: counted.reduce((a, r) => a + Number(r.n), 0),
			unitsMissing: unitIds.filter((u) => !voted.has(u)).length,
			castRows: Number(cast[0].n),
			submissions: Number(submissions[0].n)
		};
	} finally {
		database.close();
	}
}

function runWorker(
	jobFile: string,
	env: Record<string, string>
): Promise<{ latencies: number[]; errors: string[]; replaced: number; elapsedMs: number }> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/servers/vote-worker.ts', jobFile], {
			cwd: ROOT,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			try {
				if (code !== 0) throw new Error(`vote worker exited with ${code}: ${err.slice(-2000)}`);
				done(JSON.parse(out.trim().split('\n').pop()!));
			} catch (error) {
				fail(error);
			}
		});
	});
}

/** Whether the build serves the ballot page with its cast action (/vote/[id]). */
function voteRouteBuilt(): { source: boolean; built: boolean } {
	const source = existsSync(join(ROOT, 'src/routes/vote/[id]/+page.server.ts'));
	const chunks = join(ROOT, 'build/server/chunks');
	const manifest = existsSync(chunks) ? readdirSync(chunks).find((f) => f.startsWith('manifest')) : undefined;
	const built = manifest !== undefined && readFileSync(join(chunks, manifest), 'utf8').includes('id: "/vote/[id]"');
	return { source, built };
}

/**
 * One submission as the ballot page's enhanced form sends it: POST /vote/<id>?/cast with the
 * session cookie, the page's Origin, and m-<motionId>=<choice>. Success is SvelteKit's
 * { type: 'success' } answer; anything else (failure, redirect, error, non-200) is an error.
 */
export function castOverHttp(
	agent: Agent,
	server: ServerProcess,
	ballotId: string,
	token: string,
	choices: Record<string, string>
): Promise<{ ok: boolean; detail: string }> {
	const body = new URLSearchParams(Object.entries(choices).map(([m, c]) => [`m-${m}`, c])).toString();
	return new Promise((done) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: server.port,
				path: `/vote/${ballotId}?/cast`,
				method: 'POST',
				agent,
				headers: {
					cookie: `yishi_session=${token}`,
					origin: server.url,
					accept: 'application/json',
					'x-sveltekit-action': 'true',
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body)
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d: string) => (text += d));
				res.on('end', () => {
					let type = '';
					try {
						type = (JSON.parse(text) as { type?: string }).type ?? '';
					} catch {
						/* not JSON */
					}
					const ok = res.statusCode === 200 && type === 'success' && text.includes('receipt');
					done({ ok, detail: ok ? '' : `${res.statusCode} ${text.slice(0, 200)}` });
				});
			}
		);
		req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
		req.on('error', (e) => done({ ok: false, detail: e.message }));
		req.end(body);
	});
}

/** Measured runs over HTTP, each on a fresh ballot; the reported figure is the median run. */
const HTTP_TRIALS = 3;
/** Unmeasured warm-up before the first trial: rounds like a trial, on their own ballot, for at least this long. */
const WARMUP_MS = 3_000;

interface HttpRound {
	latencies: number[];
	errors: string[];
	wall: number;
}

/** Every voter at once, half on each process, each submitting SUBMISSIONS times in a row. */
async function castRound(agents: Agent[], servers: ServerProcess[], tokens: string[], ballotId: string, salt: number): Promise<HttpRound> {
	const choices = ['yes', 'no', 'abstain'];
	const latencies: number[] = [];
	const errors: string[] = [];
	const started = now();
	await Promise.all(
		tokens.map(async (token, v) => {
			for (let k = 0; k < SUBMISSIONS; k++) {
				const t0 = now();
				const r = await castOverHttp(agents[v % 2], servers[v % 2], ballotId, token, {
					A: choices[(v + k + salt) % 3],
					B: choices[(v * 7 + k) % 3]
				});
				if (r.ok) latencies.push(now() - t0);
				else errors.push(r.detail);
			}
		})
	);
	return { latencies, errors, wall: now() - started };
}

async function ballotsOverHttp(log: (s: string) => void) {
	const fixture = await votingFixture(HTTP_TRIALS);
	const tokens: string[] = [];
	for (const voter of fixture.voters) tokens.push(...(await sessionTokens(fixture.bench.database, voter, 1)));
	fixture.bench.close();
	const env = { DATABASE_URL: fixture.bench.url, YISHI_DEMO: '0', YISHI_ALLOW_DEMO_ACCOUNTS: '1', ORIGIN: 'http://127.0.0.1:{PORT}' };
	const servers: ServerProcess[] = [];
	const agents = [new Agent({ keepAlive: true, maxSockets: VOTERS }), new Agent({ keepAlive: true, maxSockets: VOTERS })];
	try {
		servers.push(await startServer('src/cli/serve.ts', env), await startServer('src/cli/serve.ts', env));
		// Each process renders the ballot page once for a voter (checks the session and the route).
		for (const [i, server] of servers.entries()) {
			const res = await fetch(`${server.url}/vote/${fixture.ballotId}`, {
				headers: { cookie: `yishi_session=${tokens[i]}` },
				redirect: 'manual'
			});
			await res.text();
			if (res.status !== 200)
				throw new Error(
					`GET /vote/${fixture.ballotId} answered ${res.status} on process ${i + 1}: the session or the ballot page does not work`
				);
		}
		// Warm-up, not measured: rounds exactly like a trial, on a ballot of their own, so that the
		// figure is the servers' running speed rather than the JIT compiling the code path.
		const warmupStarted = now();
		let warmupRounds = 0;
		let firstRoundRate = 0;
		while (warmupRounds < 2 || now() - warmupStarted < WARMUP_MS) {
			const round = await castRound(agents, servers, tokens, fixture.warmupBallotId, warmupRounds);
			if (round.errors.length > 0) throw new Error(`warm-up casts failed: ${round.errors[0]}`);
			if (warmupRounds === 0) firstRoundRate = round.latencies.length / (round.wall / 1000);
			warmupRounds++;
		}
		const warmup = { rounds: warmupRounds, casts: warmupRounds * VOTERS * SUBMISSIONS, ms: now() - warmupStarted, firstRoundRate };
		log(`  HTTP warm-up: ${warmup.rounds} rounds, ${fmt(warmup.casts)} casts in ${ms(warmup.ms)}`);
		const trials: (HttpRound & { ballotId: string; counts: Awaited<ReturnType<typeof checkCounts>> })[] = [];
		for (const [t, ballotId] of fixture.trialBallotIds.entries()) {
			const round = await castRound(agents, servers, tokens, ballotId, t);
			const counts = await checkCounts(fixture.bench.url, ballotId, fixture.unitIds);
			trials.push({ ...round, ballotId, counts });
			log(
				`  HTTP trial ${t + 1}: ${fmt(round.latencies.length / (round.wall / 1000))} ballots/s, ` +
					`errors ${round.errors.length}, double counts ${counts.doubleCounts}`
			);
		}
		return { trials, warmup };
	} finally {
		for (const a of agents) a.destroy();
		await Promise.all(servers.map((s) => s.stop()));
		fixture.bench.remove();
	}
}

export async function runBallots(log: (s: string) => void): Promise<Section> {
	const summary: Section['summary'] = [];
	const body: string[] = [];

	const raw = await rawInsertRate();
	log(`  raw durable single inserts: ${fmt(raw.perSecond)}/s`);
	summary.push([
		'raw durable single-insert rate (baseline)',
		`${fmt(raw.perSecond)} inserts/s`,
		`journal ${raw.journal}, synchronous ${raw.synchronous}`
	]);
	body.push(
		'### Baseline: raw durable single inserts\n\n' +
			`One libSQL file, the app's client options (@libsql/client, timeout 200), PRAGMA ` +
			`journal_mode=${raw.journal}, synchronous=${raw.synchronous} (the build's default; not changed by the app). ` +
			`Autocommit INSERTs of one cast_votes-like row, each awaited before the next, for ` +
			`${RAW_SECONDS} s: **${fmt(raw.n)} inserts, ${fmt(raw.perSecond)}/s**. ` +
			`Each is its own durable transaction, so this is the rate a server gets without batching.`
	);

	// ── service level: two processes on one file, then one process for comparison ──
	for (const processes of [2, 1] as const) {
		const fixture = await votingFixture();
		fixture.bench.close();
		try {
			const size = VOTERS / processes;
			const groups = Array.from({ length: processes }, (_, i) => fixture.voters.slice(i * size, (i + 1) * size));
			const startAt = Date.now() + 3000;
			const env = {};
			const results = await Promise.all(
				groups.map((voters, i) => {
					const jobFile = join(fixture.bench.dir, `job-${i}.json`);
					writeFileSync(
						jobFile,
						JSON.stringify({ url: fixture.bench.url, ballotId: fixture.ballotId, voters, startAt, submissions: SUBMISSIONS })
					);
					return runWorker(jobFile, env);
				})
			);
			const latencies = results.flatMap((r) => r.latencies);
			const errors = results.flatMap((r) => r.errors);
			const wall = Math.max(...results.map((r) => r.elapsedMs));
			const counts = await checkCounts(fixture.bench.url, fixture.ballotId, fixture.unitIds);
			const replaced = results.reduce((a, r) => a + r.replaced, 0);
			const s = summarize(latencies);
			const rate = latencies.length / (wall / 1000);
			log(
				`  service level, ${processes} process(es): ${fmt(rate)} ballots/s, p50 ${ms(s.p50)}, p99 ` +
					`${ms(s.p99)}, errors ${errors.length}, double counts ${counts.doubleCounts}`
			);
			const expectedCounted = VOTERS * 2;
			const ok =
				errors.length === 0 &&
				counts.doubleCounts === 0 &&
				counts.countedRows === expectedCounted &&
				counts.unitsMissing === 0 &&
				counts.castRows === VOTERS * SUBMISSIONS * 2 &&
				replaced === VOTERS;
			summary.push([
				`ballots, service level (${processes === 2 ? 'two processes' : 'one process'}, no HTTP)`,
				`${fmt(rate)} ballots/s; p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`,
				`${ratio(rate, raw.perSecond)} of raw inserts; ${errors.length} errors, ` +
					`${counts.doubleCounts} double counts ${ok ? '✔' : '✘'}`
			]);
			const intro =
				processes === 2
					? `The same load one layer down, without HTTP, to tell the app's own cost from the web ` +
						`layer's. ${VOTERS} verified owners (one unit each) of 爱建/虹桥, an open ballot with two ` +
						`motions and changes allowed. ` +
						`Two worker processes, each opening the database with the app's own client and write ` +
						`queue (as each app process does), start together; each of their ${size} voters calls ` +
						`castElectronicBallot twice (the second replaces the first), concurrently with all others. ` +
						`A "ballot" is one submission (both motions). Latency is per submission, from the call to its durable commit.`
					: `The same ${VOTERS} voters × ${SUBMISSIONS} in one process (one write queue, no ` +
						`cross-process lock contention), on a fresh database and ballot: shows what the second process costs.`;
			body.push(
				`### Diagnostic: ballots at the service level, ` +
					`${processes === 2 ? 'two processes' : 'one process'} on one database\n\n${intro}\n\n` +
					table(
						['measure', 'value'],
						[
							['submissions', `${fmt(latencies.length + errors.length)} (${VOTERS} voters × ${SUBMISSIONS})`],
							['wall time (slower process)', ms(wall)],
							['ballots/s', fmt(rate)],
							['ratio to raw single inserts', ratio(rate, raw.perSecond)],
							['latency p50 / p99 / max', `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`],
							['errors', `${errors.length}${errors.length ? ` (first: ${errors[0].slice(0, 200)})` : ''}`],
							['double counts (units×motions with >1 counted row)', counts.doubleCounts],
							['counted rows / expected', `${counts.countedRows} / ${expectedCounted}`],
							['cast rows / expected', `${counts.castRows} / ${VOTERS * SUBMISSIONS * 2}`],
							['second casts marked "replaced"', `${replaced} / ${VOTERS}`]
						]
					)
			);
			if (!ok)
				throw new Error(
					`ballot check failed (${processes} processes): ${JSON.stringify({ errors: errors.slice(0, 3), counts, replaced })}`
				);
		} finally {
			fixture.bench.remove();
		}
	}

	// ── HTTP, two app processes (the requested figure) ──
	const route = voteRouteBuilt();
	const reason = !route.source
		? 'the vote form actions (src/routes/vote/[id]/+page.server.ts) do not exist yet, so no ballot can be cast over HTTP.'
		: !route.built
			? 'src/routes/vote/[id] exists but build/ predates it: run `npx vite build` before `npm run bench`.'
			: null;
	if (reason !== null) {
		summary.unshift(['ballots over HTTP (200 voters × 2, 2 app processes)', 'not measured', `target ≥ 1,000 ballots/s; ${reason}`]);
		body.unshift(`### Ballots over HTTP (requested figure)\n\n${notMeasured(reason)}`);
	} else {
		const http = await ballotsOverHttp(log);
		const expectedCounted = VOTERS * 2;
		const rows = http.trials.map((trial) => {
			const rate = trial.latencies.length / (trial.wall / 1000);
			const c = trial.counts;
			const ok =
				trial.errors.length === 0 &&
				c.doubleCounts === 0 &&
				c.countedRows === expectedCounted &&
				c.unitsMissing === 0 &&
				c.castRows === VOTERS * SUBMISSIONS * 2 &&
				c.submissions === VOTERS * SUBMISSIONS;
			return { trial, rate, s: summarize(trial.latencies), ok };
		});
		const ok = rows.every((r) => r.ok);
		const byRate = [...rows].sort((a, b) => a.rate - b.rate);
		const median = byRate[Math.floor(byRate.length / 2)];
		const errors = rows.reduce((a, r) => a + r.trial.errors.length, 0);
		const doubles = rows.reduce((a, r) => a + r.trial.counts.doubleCounts, 0);
		log(
			`  HTTP, 2 app processes: median of ${rows.length} runs ${fmt(median.rate)} ballots/s, ` +
				`p50 ${ms(median.s.p50)}, p99 ${ms(median.s.p99)}, errors ${errors}, double counts ${doubles}`
		);
		summary.unshift(
			[
				'ballots over HTTP (200 voters × 2, 2 app processes)',
				`${fmt(median.rate)} ballots/s (median of ${rows.length} runs: ${rows.map((r) => fmt(r.rate)).join(', ')})`,
				`target ≥ 1,000 ${median.rate >= 1000 ? '✔' : '✘'}; ${ratio(median.rate, raw.perSecond)} of the raw insert rate`
			],
			['ballot latency over HTTP, p50 / p99 (median run)', `${ms(median.s.p50)} / ${ms(median.s.p99)}`, ''],
			['errors / double counts (all runs)', `${errors} / ${doubles}`, `must be 0 / 0 ${ok ? '✔' : '✘'}`]
		);
		const firstError = rows.flatMap((r) => r.trial.errors)[0];
		body.unshift(
			'### Ballots over HTTP (requested figure)\n\n' +
				`Two \`tsx src/cli/serve.ts\` processes (the production entry, build/ from ` +
				`${new Date(statSync(join(ROOT, 'build/handler.js')).mtimeMs).toISOString()}) on one database file. ` +
				`${VOTERS} verified owners (one unit each, 爱建/虹桥), each with a real session ` +
				`(createSession) in the yishi_session cookie. Each run uses a fresh open ballot with two ` +
				`motions and changes allowed (created and noticed 16 days back, so its window is open by ` +
				`the real clock; the app processes run with no test clock). ` +
				`In a run all ${VOTERS} voters start at once, half on each process, one keep-alive ` +
				`connection each, and each submits twice in a row exactly as the page's enhanced form does ` +
				`(POST /vote/<id>?/cast, m-A/m-B, Origin, x-sveltekit-action): the first submission ` +
				`records the vote, the second replaces it. A submission succeeds only on SvelteKit's ` +
				`{type:"success"} with a receipt. ` +
				`Latency: from sending the POST to the complete answer (the app answers after the durable ` +
				`commit). Counts are checked in the database after each run. ` +
				`Before the first run the servers are warmed up, unmeasured, by ${http.warmup.rounds} ` +
				`rounds exactly like a run on a ballot of their own (${fmt(http.warmup.casts)} casts in ` +
				`${ms(http.warmup.ms)}; the very first round, on servers that had just started, ran at ` +
				`${fmt(http.warmup.firstRoundRate)} ballots/s), so the figure is the running servers' ` +
				`speed, not the JIT compiling the code path. ` +
				`${rows.length} runs; the figure is the median run.\n\n` +
				table(
					[
						'run',
						'ballots/s',
						'wall time',
						'latency p50 / p99 / max',
						'errors',
						'double counts',
						'counted rows / expected',
						'cast rows / expected',
						'submissions / expected'
					],
					rows.map((r, i) => [
						`${i + 1}${r === median ? ' (median)' : ''}`,
						fmt(r.rate),
						ms(r.trial.wall),
						`${ms(r.s.p50)} / ${ms(r.s.p99)} / ${ms(r.s.max)}`,
						r.trial.errors.length,
						r.trial.counts.doubleCounts,
						`${r.trial.counts.countedRows} / ${expectedCounted}`,
						`${r.trial.counts.castRows} / ${VOTERS * SUBMISSIONS * 2}`,
						`${r.trial.counts.submissions} / ${VOTERS * SUBMISSIONS}`
					])
				) +
				(firstError ? `\n\nFirst error: ${firstError.replaceAll('|', '\\|').slice(0, 200)}` : '') +
				`\n\nRatio of the median run to raw single inserts: ${ratio(median.rate, raw.perSecond)}.`
		);
		const seen = rows.map((r) => ({ errors: r.trial.errors.slice(0, 3), counts: r.trial.counts }));
		if (!ok) throw new Error(`HTTP ballot check failed: ${JSON.stringify(seen)}`);
	}
	return { id: 'ballots', title: '1. Ballots', body: body.join('\n\n'), summary };
}
