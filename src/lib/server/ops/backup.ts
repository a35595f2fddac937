/**
 * Backups of the embedded database: `VACUUM INTO` writes a consistent copy of the file as of one
 * read transaction (WAL mode: the server keeps reading and writing meanwhile), into a file named
 * by the time it began. The copy is written under a temporary name and renamed when complete, so
 * a backup folder never holds a half-written file under a backup's name.
 *
 *   npm run backup -- DIR            (src/cli/backup.ts; needs `npm run build`)
 *   BACKUP_DIR=… BACKUP_KEEP=14      nightly inside the server (startBackupSchedule)
 *
 * Restore (server stopped): copy a backup over the database file and remove its -wal/-shm files.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from '@libsql/client';
import { embeddedPath } from '../db/embedded-client.ts';

const NAME = /^yishi-(\d{8})-(\d{6})Z\.db$/;

/** yishi-20261207-031500Z.db (UTC, sortable). */
export function backupName(at: Date): string {
	const iso = at.toISOString(); // 2026-12-07T03:15:00.000Z
	return `yishi-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}Z.db`;
}

export interface BackupResult {
	path: string;
	bytes: number;
}

/**
 * Writes a snapshot of the database behind `client` (an embedded file) into `dir`. Only embedded
 * databases: a libSQL server has its own backups.
 */
export async function backupDatabase(client: Client, url: string, dir: string, at: Date = new Date()): Promise<BackupResult> {
	if (embeddedPath(url) === null) throw new Error(`只能备份本机数据库文件（file:…），不能备份 ${url}`);
	const folder = resolve(dir);
	mkdirSync(folder, { recursive: true });
	let path = join(folder, backupName(at));
	// Two backups within one second (a manual one beside the nightly one) keep both.
	for (let n = 1; exists(path); n++) path = join(folder, backupName(at).replace(/Z\.db$/, `Z-${n}.db`));
	const partial = `${path}.partial`;
	rmSync(partial, { force: true });
	await client.execute({ sql: 'VACUUM INTO ?', args: [partial] });
	renameSync(partial, path);
	return { path, bytes: statSync(path).size };
}

function exists(path: string): boolean {
	try {
		statSync(path);
		return true;
	} catch {
		return false;
	}
}

/** Removes backups in `dir` (by their names) older than `keepDays` days; returns the removed names. */
export function pruneBackups(dir: string, keepDays: number, now: Date = new Date()): string[] {
	const cutoff = now.getTime() - keepDays * 86_400_000;
	const removed: string[] = [];
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return removed;
	}
	for (const name of names) {
		const m = NAME.exec(name.replace(/-\d+\.db$/, '.db'));
		if (!m) continue;
		const [d, t] = [m[1], m[2]];
		const taken = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
		if (taken < cutoff) {
			rmSync(join(dir, name), { force: true });
			removed.push(name);
		}
	}
	return removed;
}

export interface ScheduleOptions {
	dir: string;
	/** Days of backups kept (older ones are removed after each backup). */
	keepDays: number;
	/** Local hour of the nightly backup (0–23). */
	hour: number;
	log?: (line: string) => void;
}

/** Milliseconds from `now` to the next `hour`:00 local time. */
export function msUntilHour(now: Date, hour: number): number {
	const next = new Date(now);
	next.setHours(hour, 0, 0, 0);
	if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
	return next.getTime() - now.getTime();
}

/** Reads BACKUP_DIR, BACKUP_KEEP (days, default 14) and BACKUP_HOUR (default 3); null when BACKUP_DIR is unset. */
export function scheduleFromEnv(env: NodeJS.ProcessEnv): ScheduleOptions | null {
	const dir = env.BACKUP_DIR?.trim();
	if (!dir) return null;
	const keepDays = env.BACKUP_KEEP ? Number(env.BACKUP_KEEP) : 14;
	const hour = env.BACKUP_HOUR ? Number(env.BACKUP_HOUR) : 3;
	if (!Number.isInteger(keepDays) || keepDays < 1) throw new Error(`BACKUP_KEEP 应为至少 1 的整数（天数），现在是 ${env.BACKUP_KEEP}`);
	if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`BACKUP_HOUR 应为 0 到 23 的整数，现在是 ${env.BACKUP_HOUR}`);
	return { dir, keepDays, hour };
}

/** Runs a backup every night at `hour`, then prunes; returns a stop function. Timers do not keep the process alive. */
export function startBackupSchedule(client: Client, url: string, options: ScheduleOptions): () => void {
	const log = options.log ?? ((line) => console.log(line));
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	const arm = () => {
		if (stopped) return;
		timer = setTimeout(run, msUntilHour(new Date(), options.hour));
		timer.unref();
	};
	const run = async () => {
		try {
			const result = await backupDatabase(client, url, options.dir);
			const removed = pruneBackups(options.dir, options.keepDays);
			log(`[backup] 已备份 ${result.path}（${result.bytes} 字节）${removed.length ? `，删除过期备份 ${removed.length} 个` : ''}`);
		} catch (error) {
			console.error(`[backup] 备份失败：${error instanceof Error ? error.message : String(error)}`);
		}
		arm();
	};
	arm();
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
	};
}
