/**
 * The built production entry (build/server.js) under plain `node`, on a fresh database file, for
 * the deployment tests. Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { answersOk, freePort, untilServing } from '../helpers/process.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ENTRY = join(ROOT, 'build/server.js');

export { freePort };

export interface ProdServer {
	port: number;
	url: string;
	dir: string;
	databasePath: string;
	child: ChildProcess;
	/** Everything the server printed so far. */
	output(): string;
	/** Resolves with the exit code (or signal name) once the process has ended. */
	exited: Promise<number | string>;
	stop(): Promise<void>;
}

export async function startProdServer(env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<ProdServer> {
	if (!existsSync(ENTRY)) throw new Error('build/server.js is missing: run `npm run build` before the deployment tests');
	const dir = mkdtempSync(join(tmpdir(), 'yishi-deploy-'));
	const databasePath = join(dir, 'yishi.db');
	// A given PORT (a process started again on its old port) is used as is.
	const port = env.PORT ? Number(env.PORT) : await freePort();
	const base: NodeJS.ProcessEnv = { ...process.env };
	for (const key of ['ORIGIN', 'PROTOCOL_HEADER', 'ADDRESS_HEADER', 'XFF_DEPTH', 'BODY_SIZE_LIMIT', 'BACKUP_DIR', 'YISHI_DEMO'])
		delete base[key];
	const child = spawn(process.execPath, [ENTRY, ...args], {
		cwd: dir,
		env: { ...base, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${databasePath}`, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)));
	const url = `http://127.0.0.1:${port}`;
	await untilServing(child, answersOk(`${url}/healthz`), () => output);
	return {
		port,
		url,
		dir,
		databasePath,
		child,
		output: () => output,
		exited,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
				await exited;
				clearTimeout(timer);
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A form post as a browser sends it (same-origin Origin header). */
export function postForm(
	url: string,
	path: string,
	fields: Record<string, string>,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: url, ...headers },
		body: new URLSearchParams(fields).toString()
	});
}
