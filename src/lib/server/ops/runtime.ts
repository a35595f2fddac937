/**
 * The server-side functions the Node entry needs, registered by the SvelteKit bundle's `init`
 * hook (see registry.ts for why). Shutdown order: the entry stops accepting connections first;
 * then open collaborative documents are stored, the write queue is drained (every write already
 * queued is committed), and the database is closed.
 */
import type { Server } from 'node:http';
import { getDatabase, prepareDatabase, type Database } from '../db/client.ts';
import { applyStartupPolicy, printStartup } from '../admin/startup.ts';
import { attachCollab, type AttachedCollab } from '../collab/attach.ts';
import { checkHealth } from './health.ts';
import { scheduleFromEnv, startBackupSchedule } from './backup.ts';
import { setRuntime, type YishiRuntime } from './registry.ts';
import { startScheduler, type Scheduler } from '../scheduler/scheduler.ts';

/** Waits until every write queued so far is committed: the queue is first in, first out. */
export async function drainWrites(database: Database): Promise<void> {
	await database.write(async () => undefined, { immediate: true });
}

export function createRuntime(): YishiRuntime {
	let database: Database | null = null;
	let collab: AttachedCollab | null = null;
	let stopBackups: (() => void) | null = null;
	let scheduler: Scheduler | null = null;
	const db = () => (database ??= getDatabase());
	return {
		async prepare() {
			await prepareDatabase(db());
			return { url: db().url };
		},
		startup: (options) => applyStartupPolicy(db(), options),
		printStartup,
		attachCollab(server: Server) {
			collab = attachCollab(server, db());
		},
		health: () => checkHealth(db()),
		startBackups(env) {
			const schedule = scheduleFromEnv(env);
			if (!schedule) return null;
			stopBackups = startBackupSchedule(db().client, db().url, schedule);
			return `每天 ${schedule.hour} 点备份到 ${schedule.dir}，保留 ${schedule.keepDays} 天`;
		},
		startScheduler(env) {
			// YISHI_SCHEDULER=0 turns it off (e.g. a second process that only serves pages).
			if (env.YISHI_SCHEDULER === '0') return null;
			const intervalMs = Number(env.YISHI_SCHEDULER_INTERVAL_MS ?? 30_000);
			if (!Number.isInteger(intervalMs) || intervalMs < 100)
				throw new Error(`YISHI_SCHEDULER_INTERVAL_MS 须为不小于 100 的整数（现为 ${env.YISHI_SCHEDULER_INTERVAL_MS}）`);
			scheduler = startScheduler(db(), { intervalMs });
			return `每 ${Math.round(intervalMs / 1000)} 秒检查到期的开始投票、截止计票和催票提醒`;
		},
		async shutdown(requestsDone) {
			stopBackups?.();
			await scheduler?.stop();
			await collab?.close();
			await requestsDone;
			if (database) {
				await drainWrites(database);
				database.close();
			}
		}
	};
}

/** Called from the `init` hook. */
export function registerRuntime(): void {
	setRuntime(createRuntime());
}
