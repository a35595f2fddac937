/**
 * The production entry (build/server.js under plain node): one copy of the server code, /healthz,
 * the body limit, logs of failed requests, and a graceful SIGTERM that keeps every acknowledged write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openClient } from '../../src/lib/server/db/embedded-client.ts';
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
		const server = await start();
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
			fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url }, body: 'note=' + 'x'.repeat(bytes) });
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
		const res = await postForm(server.url, '/login', { login: 'aijian_owner', password: 'secret-password-1' }, { cookie: 'yishi_session=cookie-value-secret' });
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
					const res = await postForm(server.url, '/register', { login, displayName: '关闭测试', password: 'long-enough-pw', next: '/' });
					const ok = res.status === 303;
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
});
