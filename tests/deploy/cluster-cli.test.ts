/**
 * `npm run start:cluster` (build/cli/cluster.js): N app processes on one database file, each on its
 * own port; a process that dies is started again; SIGTERM stops them all. Needs `npm run build`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'yishi-cluster-cli-'));
let supervisor: ChildProcess | null = null;

function portFree(port: number): Promise<boolean> {
	return new Promise((done) => {
		const srv = createServer();
		srv.once('error', () => done(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
	});
}

/** Two consecutive free ports. */
async function freePair(): Promise<number> {
	for (let i = 0; i < 200; i++) {
		const base = 20_000 + Math.floor(Math.random() * 30_000);
		if ((await portFree(base)) && (await portFree(base + 1))) return base;
	}
	throw new Error('no two consecutive free ports');
}

const healthy = async (port: number) => {
	try {
		return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
	} catch {
		return false;
	}
};

afterAll(async () => {
	if (supervisor && supervisor.exitCode === null) {
		const exited = new Promise((r) => supervisor!.once('exit', r));
		supervisor.kill('SIGKILL');
		await exited;
	}
	rmSync(dir, { recursive: true, force: true });
});

describe('npm run start:cluster', () => {
	it('starts N processes on consecutive ports, starts a killed one again, and stops all on SIGTERM', async () => {
		const base = await freePair();
		const env: NodeJS.ProcessEnv = {
			...process.env,
			YISHI_PROCESSES: '2',
			PORT: String(base),
			HOST: '127.0.0.1',
			DATABASE_URL: `file:${join(dir, 'yishi.db')}`
		};
		for (const key of ['ORIGIN', 'REDIS_URL', 'BACKUP_DIR']) delete env[key];
		const child = spawn(process.execPath, [join(ROOT, 'build/cli/cluster.js'), '--demo'], {
			cwd: dir,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		supervisor = child;
		let output = '';
		child.stdout!.on('data', (d) => (output += d));
		child.stderr!.on('data', (d) => (output += d));
		const pids = () => [...output.matchAll(/pid (\d+)，端口 (\d+)/g)].map((m) => ({ pid: Number(m[1]), port: Number(m[2]) }));

		await expect.poll(async () => (await healthy(base)) && (await healthy(base + 1)), { timeout: 90_000, interval: 200 }).toBe(true);
		expect(output).toContain('未设置 REDIS_URL');
		const started = pids();
		expect(started.map((p) => p.port)).toEqual([base, base + 1]);
		// Both processes serve the same database: the demo seeded by the first is there on the second.
		const login = await fetch(`http://127.0.0.1:${base + 1}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: `http://127.0.0.1:${base + 1}` },
			body: new URLSearchParams({ login: 'facilitator', password: 'yishi2026', next: '/' }).toString()
		});
		expect(login.status, output).toBe(303);

		process.kill(started[1].pid, 'SIGKILL');
		await expect.poll(() => pids().length, { timeout: 30_000 }).toBe(3);
		expect(pids()[2].port).toBe(base + 1);
		await expect.poll(() => healthy(base + 1), { timeout: 60_000, interval: 200 }).toBe(true);

		const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(await healthy(base)).toBe(false);
		expect(await healthy(base + 1)).toBe(false);
		for (const { pid } of pids()) expect(() => process.kill(pid, 0)).toThrow();
	});
});
