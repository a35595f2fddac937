/**
 * 备份 (backup): writes a consistent snapshot of the embedded database into DIR, safe while the
 * server is running and writing (VACUUM INTO; see src/lib/server/ops/backup.ts), then checks it.
 *
 *   npm run backup -- DIR                 the database at DATABASE_URL (default data/yishi.db)
 *   npm run backup -- DIR --keep 14       also removes backups in DIR older than 14 days
 *
 * Needs `npm run build` (runs build/cli/backup.js). Exit codes: 0 written and intact; 1 failed.
 */
import { openClient } from '../lib/server/db/embedded-client.ts';
import { DEFAULT_DATABASE_URL } from '../lib/server/db/client.ts';
import { backupDatabase, pruneBackups } from '../lib/server/ops/backup.ts';

async function main(argv: string[]): Promise<number> {
	const args = [...argv];
	let keep: number | null = null;
	const k = args.indexOf('--keep');
	if (k >= 0) {
		keep = Number(args[k + 1]);
		args.splice(k, 2);
		if (!Number.isInteger(keep) || keep < 1) {
			console.error('--keep 后面应写保留的天数（至少 1）');
			return 1;
		}
	}
	if (args.length !== 1) {
		console.error('用法 / usage: npm run backup -- <备份目录 DIR> [--keep 天数]');
		return 1;
	}
	const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
	const client = openClient(url, { timeout: 5000 });
	try {
		const result = await backupDatabase(client, url, args[0]);
		const copy = openClient(`file:${result.path}`, {});
		try {
			const check = await copy.execute('PRAGMA integrity_check');
			const verdict = String(check.rows[0]?.[0]);
			if (verdict !== 'ok') {
				console.error(`备份文件检查未通过 / integrity check failed: ${verdict}`);
				return 1;
			}
		} finally {
			copy.close();
		}
		console.log(`已备份 / backup written: ${result.path} (${result.bytes} bytes)`);
		if (keep !== null) for (const name of pruneBackups(args[0], keep)) console.log(`已删除过期备份 / removed: ${name}`);
		return 0;
	} catch (error) {
		console.error(`备份失败 / backup failed: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	} finally {
		client.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
