/**
 * The sample nginx configuration (src/deploy/nginx/yishi.conf) in front of the built server, on
 * loopback with a self-signed certificate made here: HTTP→HTTPS, login over HTTPS with Secure
 * cookies, /collab through the proxy, the client address the throttle sees, and large uploads.
 * Runs Debian's nginx (/usr/sbin/nginx, as root: `apt-get install nginx-light openssl`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startProdServer, type ProdServer } from './server.ts';
import { configFromSample, newNginxSite, startNginx, type NginxSite, type RunningNginx } from './nginx-site.ts';
import { openDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { createDraft } from '../../src/lib/server/drafting/index.ts';
import { loadActor } from '../../src/lib/server/access.ts';
import { appendParagraph, bodyText } from '../integration/collab/harness.ts';

const PASSWORD = 'yishi2026';

let site: NginxSite;
let app: ProdServer;
let nginx: RunningNginx | undefined;
let httpsPort: number;
let httpPort: number;
let origin: string;
let ca: Buffer;
let database: Database;

interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** An HTTPS request to nginx, optionally from another loopback address (a different client). */
function send(
	method: string,
	path: string,
	options: { headers?: Record<string, string>; body?: string | Buffer; from?: string } = {}
): Promise<Reply> {
	return new Promise((done, fail) => {
		const req = request(
			{ host: '127.0.0.1', port: httpsPort, method, path, ca, localAddress: options.from, headers: options.headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
			}
		);
		req.on('error', fail);
		req.end(options.body);
	});
}

function login(user: string, password: string, from?: string, extra: Record<string, string> = {}): Promise<Reply> {
	return send('POST', '/login', {
		from,
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin, ...extra },
		body: new URLSearchParams({ login: user, password, next: '/' }).toString()
	});
}

const throttled = (reply: Reply) => reply.status === 429 || reply.body.includes('后再试');

beforeAll(async () => {
	site = await newNginxSite('nginx');
	({ httpsPort, httpPort, origin, ca } = site);
	app = await startProdServer({ ORIGIN: origin, ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '1' }, ['--demo']);
	const config = configFromSample(site, () => `server 127.0.0.1:${app.port};`);
	nginx = await startNginx(site, config, async () => (await send('GET', '/healthz')).status === 200);
	database = openDatabase(`file:${app.databasePath}`);
});

afterAll(async () => {
	database?.close();
	await nginx?.stop();
	await app?.stop();
});

describe('behind nginx (src/deploy/nginx/yishi.conf)', () => {
	it('sends plain HTTP to HTTPS', async () => {
		const reply = await new Promise<{ status: number; location?: string }>((done, fail) => {
			httpRequest({ host: '127.0.0.1', port: httpPort, path: '/login?next=%2F', agent: false }, (res) => {
				res.resume();
				done({ status: res.statusCode!, location: res.headers.location });
			})
				.on('error', fail)
				.end();
		});
		expect(reply.status).toBe(301);
		expect(reply.location).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/login\?next=%2F$/);
	});

	it('signs in over HTTPS with a Secure session cookie, and /collab edits through the proxy', async () => {
		const reply = await login('facilitator', PASSWORD);
		expect(reply.status).toBe(303);
		const cookies = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
		const session = cookies.find((c) => c.startsWith('yishi_session='));
		expect(session).toBeDefined();
		expect(session).toMatch(/;\s*Secure/i);
		expect(session).toMatch(/;\s*HttpOnly/i);
		const token = session!.split(';')[0].split('=')[1];

		const [user] = (await database.client.execute({ sql: 'SELECT id FROM users WHERE login = ?', args: ['facilitator'] })).rows;
		const actor = await loadActor(database, String(user.id));
		const { alternatives } = await createDraft(database, actor, {
			title: '边门方案（反向代理测试）',
			compoundIds: ['aijian', 'hongqiao'],
			sessionId: 'gate-case',
			alternatives: [{ title: '全天开放' }, { title: '维持关闭' }]
		});

		class ThroughProxy extends WebSocket {
			constructor(address: string, protocols?: string | string[]) {
				super(address, protocols, { headers: { cookie: `yishi_session=${token}`, origin }, ca });
			}
		}
		const doc = new Y.Doc();
		let scope: string | null = null;
		const provider = new HocuspocusProvider({
			url: `wss://127.0.0.1:${httpsPort}/collab`,
			name: `alt:${alternatives[0].id}`,
			document: doc,
			WebSocketPolyfill: ThroughProxy as unknown as typeof globalThis.WebSocket,
			onAuthenticated: ({ scope: s }) => void (scope = s)
		} as ConstructorParameters<typeof HocuspocusProvider>[0]);
		try {
			await expect.poll(() => provider.isSynced, { timeout: 20_000 }).toBe(true);
			expect(scope).toBe('read-write');
			appendParagraph(doc, '经过反向代理写入的一段');
			// Acknowledged only after the server committed it (persistence.ts).
			await expect.poll(() => provider.unsyncedChanges, { timeout: 20_000 }).toBe(0);
			const stored = await database.client.execute({
				sql: 'SELECT count(*) AS n FROM draft_doc_updates WHERE alternative_id = ? AND user_id = ?',
				args: [alternatives[0].id, String(user.id)]
			});
			expect(Number(stored.rows[0].n)).toBeGreaterThan(0);
			expect(bodyText(doc)).toContain('经过反向代理写入的一段');
		} finally {
			provider.destroy();
		}
	});

	it(
		'throttles by the address nginx saw: one client failing does not slow another, and a ' + 'forged X-Forwarded-For does not help',
		async () => {
			// The throttle counts failures per (account, address): a few free tries, then growing delays.
			let tries = 0;
			for (; tries < 50; tries++) {
				const reply = await login('nobody_guessed', 'wrong-password-1', '127.0.0.2');
				if (throttled(reply)) break;
				expect(reply.body).toContain('账号或密码不对');
			}
			expect(tries, 'the throttle never answered').toBeLessThan(50);
			// The same client, claiming to be someone else: nginx appends the real address, which the app reads.
			expect(throttled(await login('nobody_guessed', 'wrong-password-1', '127.0.0.2', { 'x-forwarded-for': '198.51.100.7' }))).toBe(
				true
			);
			// Another client trying the same account is not slowed.
			const other = await login('nobody_guessed', 'wrong-password-1', '127.0.0.3');
			expect(throttled(other)).toBe(false);
			expect(other.body).toContain('账号或密码不对');
		}
	);

	it('passes an 8 MB upload through nginx and the app, and refuses one over client_max_body_size', async () => {
		const post = (bytes: number) =>
			send('POST', '/login', {
				headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
				body: `note=${'x'.repeat(bytes)}&login=a&password=b`
			});
		const eight = await post(8 * 1024 * 1024);
		expect(eight.status).not.toBe(413);
		expect(eight.body).toContain('登录');
		const tooLarge = await post(51 * 1024 * 1024).catch(() => null);
		if (tooLarge) expect(tooLarge.status).toBe(413);
	});
});
