import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { answersOk, freePort, untilServing } from '../helpers/process.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		databaseUrl: string;
		clockFile: string;
	}
}

/**
 * Starts the real production server (build/server.js, bundled from src/cli/serve.ts) on a
 * fresh libSQL file with the demo seeded, exactly as the README's start command does.
 */
/**
 * The server's clock starts at the next Monday, 10:00 Beijing time (never earlier than the real time,
 * so cookie expiry dates stay in the future for the browser). Every date the walks derive — the
 * notice period, the default closing day, the dispute window — then falls on the same weekdays
 * whatever day the tests run on.
 */
function pinnedStart(realNow: number): number {
	const CHINA = 8 * 3600_000;
	const DAY = 24 * 3600_000;
	const today = Math.floor((realNow + CHINA) / DAY);
	const weekday = (today + 4) % 7; // 0 = Sunday
	let start = (today + ((8 - weekday) % 7)) * DAY - CHINA + 10 * 3600_000;
	if (start < realNow) start += 7 * DAY;
	return start;
}

export default async function setup(project: TestProject) {
	if (!existsSync('build/server.js')) throw new Error('build/ is missing: run `npm run build` before the browser tests');
	const dir = mkdtempSync(join(tmpdir(), 'yishi-e2e-'));
	// The server runs a copy of the build, so a rebuild during the run cannot pull it away. The
	// copy stays inside the project: the build imports its dependencies from node_modules.
	const buildCopy = mkdtempSync(join('tests', 'e2e', '.build-'));
	cpSync('build', buildCopy, { recursive: true });
	const port = await freePort();
	const databaseUrl = `file:${join(dir, 'e2e.db')}`;
	const clockFile = join(dir, 'clock-offset');
	writeFileSync(clockFile, String(pinnedStart(Date.now()) - Date.now()));
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.ORIGIN;
	delete env.PROTOCOL_HEADER;
	// The bundled entry with plain node, as `npm start` runs it: no TypeScript loader.
	const child: ChildProcess = spawn(process.execPath, [join(buildCopy, 'server.js'), '--demo'], {
		// No ORIGIN, as with the README's start command: the server must work out its own origin.
		// The walks press 开始投票 / 结束计票 themselves after moving the clock; the scheduler that would
		// do it on its own is tested in tests/integration/scheduler.
		env: {
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: databaseUrl,
			YISHI_TEST_CLOCK_FILE: clockFile,
			YISHI_SCHEDULER: '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const baseUrl = `http://127.0.0.1:${port}`;
	await untilServing(child, answersOk(baseUrl + '/'), () => output);
	project.provide('baseUrl', baseUrl);
	project.provide('databaseUrl', databaseUrl);
	project.provide('clockFile', clockFile);
	return async () => {
		// A graceful stop (requests finish, documents are stored); cut short if it hangs.
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		if (child.exitCode === null && child.signalCode === null) await exited;
		clearTimeout(timer);
		if (process.env.YISHI_E2E_LOG) console.log(output);
		rmSync(dir, { recursive: true, force: true });
		rmSync(buildCopy, { recursive: true, force: true });
	};
}
