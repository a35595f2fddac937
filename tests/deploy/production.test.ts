/**
 * The production entry (build/server.js under plain node): one copy of the server code, /healthz,
 * the body limit, logs of failed requests, and a graceful SIGTERM that keeps every acknowledged write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as Y from 'yjs';
import { openClient } from '../../src/lib/server/db/embedded-client.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { createDraft } from '../../src/lib/server/drafting/index.ts';
import { loadActor } from '../../src/lib/server/access.ts';
import { appendParagraph, bodyText, connect, waitSynced } from '../integration/collab/harness.ts';
import { ENTRY, ROOT, postForm, startProdServer, type ProdServer } from './server.ts';

const running: ProdServer[] = [];
afterEach(async () => {
	for (const server of running.splice(0)) await server.stop();
});
async function start(env: NodeJS.ProcessEnv = {}, args: string[] = []) {
	const server = await startProdServer(env, args);
	running.push(server);
	return server;
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.js') ? [path] : [];
	});
}

describe('production build', () => {
	it('keeps one copy of the server code: the entry holds none, the SvelteKit bundle holds it once', () => {
		const entry = readFileSync(ENTRY, 'utf8');
		// Markers of the database, write queue and collaboration modules.
		for (const marker of [/class WriteQueue\b|WriteQueue = class\b/, /new Hocuspocus\(/, /function openDatabase\(/]) {
			expect(entry).not.toMatch(marker);
			const holders = filesUnder(join(ROOT, 'build/server')).filter((file) => marker.test(readFileSync(file, 'utf8')));
			expect(holders, String(marker)).toHaveLength(1);
		}
		expect(entry).not.toMatch(/from ['"]tsx|--import/);
	});

	it('serves the app and reports health: 200 while migrations are current, 503 when one is missing', async () => {
		const server = await start({ BACKUP_DIR: 'nightly-backups', BACKUP_KEEP: '30' });
		expect(server.output()).toContain('备份：每天 3 点备份到 nightly-backups，保留 30 天');
		const page = await fetch(`${server.url}/login`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('登录');

		const healthy = await fetch(`${server.url}/healthz`);
		expect(healthy.status).toBe(200);
		const report = await healthy.json();
		expect(report).toMatchObject({ ok: true, database: 'ok', migrations: { current: true } });
		expect(report.migrations.applied).toBe(report.migrations.expected);

		// A database behind this build's migrations (a restore from an older release without a restart).
		const client = openClient(`file:${server.databasePath}`, { timeout: 5000 });
		await client.execute('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)');
		client.close();
		const behind = await fetch(`${server.url}/healthz`);
		expect(behind.status).toBe(503);
		expect(await behind.json()).toMatchObject({ ok: false, database: 'ok', migrations: { current: false } });
	});

	it('accepts an 8 MB form body and refuses one over the 48 MB limit', async () => {
		const server = await start();
		const post = (bytes: number) =>
			fetch(`${server.url}/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
				body: 'note=' + 'x'.repeat(bytes)
			});
		const eight = await post(8 * 1024 * 1024);
		expect(eight.status).not.toBe(413);
		const tooLarge = await post(49 * 1024 * 1024).catch(() => null);
		// adapter-node answers 413, or resets the connection while the body is still being sent.
		if (tooLarge) expect(tooLarge.status).toBe(413);
	});

	it('logs a failed request with method, path, status and cause, and no cookie or password', async () => {
		const server = await start({}, ['--demo']);
		const client = openClient(`file:${server.databasePath}`, { timeout: 5000 });
		await client.execute('ALTER TABLE users RENAME TO users_gone');
		client.close();
		const res = await postForm(
			server.url,
			'/login',
			{ login: 'aijian_owner', password: 'secret-password-1' },
			{ cookie: 'yishi_session=cookie-value-secret' }
		);
		expect(res.status).toBe(500);
		await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('[request] POST /login → 500');
		expect(server.output()).toMatch(/\[\w+\] POST \/login → 500[\s\S]*no such table: users/);
		expect(server.output()).not.toContain('cookie-value-secret');
		expect(server.output()).not.toContain('secret-password-1');
	});

	it('on SIGTERM stops accepting, finishes the requests in flight, and keeps every acknowledged write', async () => {
		const server = await start();
		const logins = Array.from({ length: 24 }, (_, i) => `shutdown_${i}`);
		let acknowledged = 0;
		let signalled = false;
		const results = await Promise.all(
			logins.map(async (login) => {
				try {
					const res = await postForm(server.url, '/register', {
						login,
						displayName: '关闭测试',
						password: 'long-enough-pw',
						next: '/'
					});
					// Registration answers 注册完成 on the page (200), the same for a taken login (no
					// account enumeration); these logins are all new, so each such answer is a stored row.
					const ok = res.status === 200 && (await res.text()).includes('注册完成');
					if (ok && ++acknowledged === 1 && !signalled) {
						// Writes are now flowing: the rest are in flight or queued.
						signalled = true;
						server.child.kill('SIGTERM');
					}
					return { login, ok };
				} catch {
					return { login, ok: false }; // refused once the server stopped accepting
				}
			})
		);
		expect(await server.exited).toBe(0);
		expect(server.output()).toContain('已安全关闭');
		const acked = results.filter((r) => r.ok).map((r) => r.login);
		expect(acked.length).toBeGreaterThanOrEqual(1);
		const client = openClient(`file:${server.databasePath}`, {});
		try {
			const rows = await client.execute("SELECT login FROM users WHERE login LIKE 'shutdown_%'");
			const stored = new Set(rows.rows.map((r) => String(r.login)));
			for (const login of acked) expect(stored.has(login), login).toBe(true);
			expect(String((await client.execute('PRAGMA integrity_check')).rows[0][0])).toBe('ok');
		} finally {
			client.close();
		}
	});

	it('on SIGTERM stores an open collaborative document before it exits', async () => {
		const server = await start({}, ['--demo']);
		const login = await postForm(server.url, '/login', { login: 'facilitator', password: 'yishi2026', next: '/' });
		expect(login.status).toBe(303);
		const token = /yishi_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1];
		const database = openDatabase(`file:${server.databasePath}`);
		let alternativeId: string;
		try {
			const [user] = (await database.client.execute("SELECT id FROM users WHERE login = 'facilitator'")).rows;
			const { alternatives } = await createDraft(database, await loadActor(database, String(user.id)), {
				title: '边门方案（关闭测试）',
				compoundIds: ['aijian', 'hongqiao'],
				sessionId: 'gate-case',
				alternatives: [{ title: '全天开放' }, { title: '维持关闭' }]
			});
			alternativeId = alternatives[0].id;
		} finally {
			database.close();
		}
		const editor = connect(`ws://127.0.0.1:${server.port}/collab`, `alt:${alternativeId}`, { cookie: token, origin: server.url });
		try {
			await waitSynced(editor, 20_000);
			appendParagraph(editor.doc, '关闭前写下的一段');
			await waitSynced(editor, 20_000);
			server.child.kill('SIGTERM');
			expect(await server.exited).toBe(0);
		} finally {
			editor.destroy();
		}
		const client = openClient(`file:${server.databasePath}`, {});
		try {
			// Stored as one compacted state: no loose updates left behind.
			const loose = await client.execute({
				sql: 'SELECT count(*) AS n FROM draft_doc_updates WHERE alternative_id = ?',
				args: [alternativeId]
			});
			expect(Number(loose.rows[0].n)).toBe(0);
			const snapshot = await client.execute({
				sql: 'SELECT state FROM draft_doc_snapshots WHERE alternative_id = ?',
				args: [alternativeId]
			});
			const doc = new Y.Doc();
			Y.applyUpdate(doc, new Uint8Array(snapshot.rows[0].state as ArrayBuffer));
			expect(bodyText(doc)).toContain('关闭前写下的一段');
		} finally {
			client.close();
		}
	});

	it('runs the bundled tools with plain node: backup, recount, verify-records', async () => {
		const server = await start({}, ['--demo']);
		const env = { ...process.env, DATABASE_URL: `file:${server.databasePath}` };
		const run = (tool: string, ...args: string[]) =>
			spawnSync(process.execPath, [join(ROOT, 'build/cli', `${tool}.js`), ...args], { env, encoding: 'utf8', timeout: 60_000 });
		const backup = run('backup', join(server.dir, 'backups'));
		expect(backup.status, backup.stderr).toBe(0);
		expect(backup.stdout).toMatch(/yishi-\d{8}-\d{6}Z\.db/);
		const recount = run('recount');
		expect(recount.status, recount.stderr).toBe(0);
		// recount hands a database to verify-records once (the bundle does not run that tool's own main too).
		expect(recount.stdout.match(/公示记录校验通过/g)).toHaveLength(1);
		const verify = run('verify-records', `file:${server.databasePath}`);
		expect(verify.status, verify.stderr).toBe(0);
	});
});
