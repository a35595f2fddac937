/**
 * How the Node entry (src/cli/serve.ts, bundled to build/server.js) reaches the server code: the
 * SvelteKit bundle's `init` hook (hooks.server.ts) registers these functions on globalThis when
 * adapter-node's handler.js loads, and the entry calls them. So the database, the write queue and
 * the collaboration server exist once in memory: the entry itself holds no server code (only this
 * file, which has no state and no value imports).
 */
import type { Server } from 'node:http';
import type { StartupOptions, StartupOutcome } from '../admin/startup.ts';

export const RUNTIME_KEY = Symbol.for('yishi.runtime');

export interface HealthReport {
	ok: boolean;
	database: 'ok' | 'unreachable';
	migrations: { applied: number; expected: number; current: boolean };
	error?: string;
}

export interface YishiRuntime {
	/** Opens the database (DATABASE_URL) and applies the migrations. */
	prepare(): Promise<{ url: string }>;
	/** The start-up decision (admin/startup.ts): seed the demo, or production with its setup link and refusals. */
	startup(options: StartupOptions): Promise<StartupOutcome>;
	printStartup(outcome: Extract<StartupOutcome, { start: true }>, origin: string): void;
	/** Carries /collab (Hocuspocus) on the HTTP server. */
	attachCollab(server: Server): void;
	health(): Promise<HealthReport>;
	/** The nightly backup when BACKUP_DIR is set; returns a description for the start-up log, or null. */
	startBackups(env: NodeJS.ProcessEnv): string | null;
	/**
	 * Starts the scheduler that opens and closes ballots by the clock (scheduler/scheduler.ts); its
	 * first pass catches up on what fell due while the server was down. Stopped by shutdown.
	 */
	startScheduler(env: NodeJS.ProcessEnv): string | null;
	/**
	 * Closes /collab (storing open collaborative documents), waits for `requestsDone` (the HTTP
	 * requests in flight), drains the write queue and closes the database.
	 */
	shutdown(requestsDone: Promise<void>): Promise<void>;
}

type WithRuntime = typeof globalThis & { [RUNTIME_KEY]?: YishiRuntime };

export function getRuntime(): YishiRuntime | undefined {
	return (globalThis as WithRuntime)[RUNTIME_KEY];
}

export function setRuntime(runtime: YishiRuntime): void {
	(globalThis as WithRuntime)[RUNTIME_KEY] = runtime;
}
