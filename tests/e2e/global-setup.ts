import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		databaseUrl: string;
		clockFile: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as { port: number }).port;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

/**
 * Starts the real production server (the `npm run build` output behind src/cli/serve.ts) on a
 * fresh libSQL file with the demo seeded, exactly as the README's start command does.
 */
export default async function setup(project: TestProject) {
	if (!existsSync('build/handler.js')) throw new Error('build/ is missing: run `npm run build` before the browser tests');
	const dir = mkdtempSync(join(tmpdir(), 'yishi-e2e-'));
	// The server runs a copy of the build, so a rebuild during the run cannot pull it away. The
	// copy stays inside the project: the build imports its dependencies from node_modules.
	const buildCopy = mkdtempSync(join('tests', 'e2e', '.build-'));
	cpSync('build', buildCopy, { recursive: true });
	const port = await freePort();
	const databaseUrl = `file:${join(dir, 'e2e.db')}`;
	const clockFile = join(dir, 'clock-offset');
	writeFileSync(clockFile, '0');
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.ORIGIN;
	delete env.PROTOCOL_HEADER;
	// Phone photos (4 × 10 MB) and 20,000-unit rosters need more than adapter-node's 512 KB default.
	env.BODY_SIZE_LIMIT ??= '48M';
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', process.env.YISHI_SERVE_ENTRY ?? 'src/cli/serve.ts'], {
		// No ORIGIN, as with the README's start command: the server must work out its own origin.
		env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, YISHI_TEST_CLOCK_FILE: clockFile, YISHI_BUILD_DIR: buildCopy },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
		try {
			const res = await fetch(baseUrl + '/');
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	project.provide('baseUrl', baseUrl);
	project.provide('databaseUrl', databaseUrl);
	project.provide('clockFile', clockFile);
	return async () => {
		child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 300));
		if (child.exitCode === null) child.kill('SIGKILL');
		if (process.env.YISHI_E2E_LOG) console.log(output);
		rmSync(dir, { recursive: true, force: true });
		rmSync(buildCopy, { recursive: true, force: true });
	};
}
