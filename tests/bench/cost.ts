/**
 * Server CPU per request of each step of a browser vote, for working on cost (issue #17): one app process on the
 * demo-size fixture (COST_REAL=1: the real-size one of flow.ts), each kind of request sent N times, C at a time,
 * after one unmeasured pass. CPU is the process's user + system time from /proc, so it is what a request costs
 * whatever else shares the machine. Not part of `npm run bench`: a tool to compare a change before and after.
 *
 *   npx tsx tests/bench/cost.ts [N=3000] [C=16]
 *   COST_ONLY='GET page'            measure one kind only
 *   COST_NODE_ARGS='--cpu-prof --cpu-prof-dir /tmp/prof'   flags for the app process (a V8 profile of that kind)
 */
import { Agent } from 'node:http';
import { votingFixture } from './ballots.ts';
import { sessionTokens } from './fixture.ts';
import { grow, send, serverCpuMs } from './flow.ts';
import { startServer, type ServerProcess } from './proc.ts';
import { now } from './stats.ts';
import { voteBody } from './vote-requests.ts';

const N = Number(process.argv[2] ?? 3000);
const C = Number(process.argv[3] ?? 16);

/** One request; resolves with the answer's size, fails on any status but 200. */
async function one(agent: Agent, server: ServerProcess, method: 'GET' | 'POST', path: string, token: string | null, body?: string) {
	const answer = await send(agent, server, method, path, token, body);
	if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 200)}`);
	return Buffer.byteLength(answer.text);
}

const fixture = await votingFixture(1, process.env.COST_REAL === '1' ? grow(98, 10, 5_000) : grow(0, 1, 200));
const tokens: string[] = [];
for (const voter of fixture.voters) tokens.push(...(await sessionTokens(fixture.bench.database, voter, 1)));
fixture.bench.close();
const env = { DATABASE_URL: fixture.bench.url, YISHI_DEMO: '0', YISHI_ALLOW_DEMO_ACCOUNTS: '1', ORIGIN: 'http://127.0.0.1:{PORT}' };
const nodeArgs = (process.env.COST_NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = await startServer('src/cli/serve.ts', env, { nodeArgs });
const agent = new Agent({ keepAlive: true, maxSockets: C });
const page = `/vote/${fixture.ballotId}`;
const token = (i: number) => tokens[i % tokens.length];
const kinds: [string, (i: number) => Promise<number>][] = [
	['GET page', (i) => one(agent, server, 'GET', page, token(i))],
	['POST review', (i) => one(agent, server, 'POST', `${page}?/review`, token(i), voteBody({ A: 'yes', B: 'no' }))],
	[
		'POST cast',
		(i) => one(agent, server, 'POST', `${page}?/cast`, token(i), voteBody(i % 2 ? { A: 'yes', B: 'no' } : { A: 'no', B: 'yes' }))
	],
	['GET data', (i) => one(agent, server, 'GET', `${page}/__data.json?x-sveltekit-invalidated=01`, token(i))],
	['GET /login', () => one(agent, server, 'GET', '/login', null)]
];
try {
	for (const measured of [false, true]) {
		for (const [name, request] of kinds.filter(([name]) => !process.env.COST_ONLY || name === process.env.COST_ONLY)) {
			let next = 0;
			let bytes = 0;
			const cpu0 = serverCpuMs([server]);
			const t0 = now();
			await Promise.all(
				Array.from({ length: C }, async () => {
					while (next < N) {
						const size = await request(next++);
						bytes += size;
					}
				})
			);
			const wall = now() - t0;
			const cpu = serverCpuMs([server]) - cpu0;
			if (measured)
				console.log(
					`${name.padEnd(12)} ${((cpu / N) * 1000).toFixed(0).padStart(5)} µs CPU each  ` +
						`${(N / (wall / 1000)).toFixed(0).padStart(5)}/s  ${(bytes / N).toFixed(0)} B`
				);
		}
	}
} finally {
	agent.destroy();
	await server.stop();
	fixture.bench.remove();
}
