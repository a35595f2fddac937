/** Child server processes for the benches: spawned on 127.0.0.1, always stopped, never left behind. */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { sleep } from './stats.ts';
import { SERVER_NODE_FLAGS } from '../../src/lib/server/ops/node-flags.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => done(port));
		});
	});
}

export interface ServerProcess {
	child: ChildProcess;
	pid: number;
	port: number;
	url: string;
	output: () => string;
	stop: () => Promise<void>;
}

/**
 * Runs `node <SERVER_NODE_FLAGS> --import tsx <script>` (plain `node <script>` for a .js/.mjs script, e.g. the built
 * production entry build/server.js) with PORT/HOST set, and waits until `http://127.0.0.1:PORT/`
 * answers (any status). Fails with the child's output when it exits or does not answer in time.
 */
export async function startServer(
	script: string,
	env: Record<string, string> = {},
	opts: { timeoutMs?: number; args?: string[]; nodeArgs?: string[] } = {}
): Promise<ServerProcess> {
	const port = await freePort();
	const loader = /\.m?js$/.test(script) ? [] : ['--import', 'tsx'];
	// Every server starts as Yishi's production does (src/lib/server/ops/node-flags.ts), baselines too, so a ratio compares code.
	const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(opts.nodeArgs ?? []), ...loader, script, ...(opts.args ?? [])], {
		cwd: ROOT,
		// '{PORT}' in a value becomes the chosen port (ORIGIN=http://127.0.0.1:{PORT}).
		env: {
			...process.env,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{PORT}', String(port))]))
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.add(child);
	let log = '';
	child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
	child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((done) => child.once('exit', () => done()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
		children.delete(child);
	};
	const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${log.slice(-3000)}`);
		if (await answers(port)) return { child, pid: child.pid!, port, url: `http://127.0.0.1:${port}`, output: () => log, stop };
		await sleep(100);
	}
	await stop();
	throw new Error(`${script} did not answer on port ${port} in time:\n${log.slice(-3000)}`);
}

function answers(port: number): Promise<boolean> {
	return new Promise((done) => {
		const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 2000 }, (res) => {
			res.resume();
			done(true);
		});
		req.on('error', () => done(false));
		req.on('timeout', () => {
			req.destroy();
			done(false);
		});
		req.end();
	});
}
