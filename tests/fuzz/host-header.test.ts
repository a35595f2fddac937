/**
 * No trust in Host: the server runs without ORIGIN (as the README starts it), so absolute links may
 * come from the request only for loopback and private LAN hosts. A forged Host never appears in the
 * feed, the open-data API, a record page or a QR code, and a page that does carry the request's
 * host is `Cache-Control: private`.
 */
import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import fc from 'fast-check';
import { and, count, eq } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { orgNodes, verificationCodes } from '../../src/lib/server/db/schema/index.ts';
import { isPrivateHost } from '../../src/lib/server/public-origin.ts';
import { baseUrl, expectServerAlive, FUZZ_RUNS, FUZZ_TIME_MS, logIn, port } from './server.ts';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** A request with a Host header of our choosing (fetch does not allow setting it). */
function send(
	path: string,
	host: string,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: port(),
				path,
				method: options.method ?? 'GET',
				headers: { host, ...options.headers },
				setHost: false
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
			}
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

const EVIL = 'evil.example';
let recordId: string;

beforeAll(async () => {
	const res = await fetch(`${baseUrl()}/api/v1/records`);
	const list = (await res.json()) as { records: { id: string }[] };
	recordId = list.records[0].id;
});

describe('links never take a forged Host', () => {
	it('feed and open-data API: relative links and tag: ids for a public host without ORIGIN', async () => {
		const feed = await send('/records/feed.xml', EVIL);
		expect(feed.status).toBe(200);
		expect(feed.body).not.toContain(EVIL);
		expect(feed.body).toContain(`href="/records/${recordId}"`);
		expect(feed.body).toContain(`<id>tag:yishi,2025:/records/${recordId}</id>`);
		expect(feed.headers['cache-control']).toBe('public, max-age=60');

		const list = await send('/api/v1/records', EVIL);
		expect(list.body).not.toContain(EVIL);
		const entry = (JSON.parse(list.body) as { records: { id: string; url: string; api: string }[] }).records.find(
			(r) => r.id === recordId
		)!;
		expect(entry.url).toBe(`/records/${recordId}`);
		expect(entry.api).toBe(`/api/v1/records/${recordId}`);

		const one = await send(`/api/v1/records/${recordId}`, EVIL);
		expect(one.status).toBe(200);
		expect(one.body).not.toContain(EVIL);
	});

	it('feed on a loopback host: absolute links of that host, marked private', async () => {
		const host = `127.0.0.1:${port()}`;
		const feed = await send('/records/feed.xml', host);
		expect(feed.body).toContain(`href="http://${host}/records/${recordId}"`);
		expect(feed.headers['cache-control']).toMatch(/^private/);
		const list = await send('/api/v1/records', host);
		expect(list.headers['cache-control']).toMatch(/^private/);
	});

	it('a 公示 notice asks for ORIGIN instead of printing a QR code for a forged host', async () => {
		const forged = await send(`/records/${recordId}/notice`, EVIL);
		expect(forged.status).toBe(200);
		expect(forged.body).not.toContain(EVIL);
		expect(forged.body).not.toContain('data:image/png');
		expect(forged.body).toContain('请管理员设置 ORIGIN');

		const host = `127.0.0.1:${port()}`;
		const local = await send(`/records/${recordId}/notice`, host);
		expect(local.body).toContain('data:image/png');
		expect(local.body).toContain(`http://${host}/records/${recordId}`);
		expect(local.headers['cache-control']).toBe('private');
	});

	it('a cached record page never carries another request’s host', async () => {
		await send(`/records/${recordId}`, `127.0.0.1:${port()}`);
		const page = await send(`/records/${recordId}`, EVIL);
		expect(page.status).toBe(200);
		expect(page.body).not.toContain(EVIL);
		expect(page.body).not.toContain(`127.0.0.1:${port()}`);
	});

	it('verification letters are refused, with nothing issued, when the host cannot be trusted', async () => {
		const database = openDatabase(inject('databaseUrl'));
		try {
			const [building] = await database.db
				.select({ id: orgNodes.id })
				.from(orgNodes)
				.where(and(eq(orgNodes.kind, 'building'), eq(orgNodes.parentId, 'aijian')))
				.limit(1);
			const token = await logIn('juwei');
			const codes = async () => (await database.db.select({ n: count() }).from(verificationCodes))[0].n;
			const before = await codes();
			const answer = await send('/manage/compounds/aijian/letters?/issue', EVIL, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'application/json',
					origin: `http://${EVIL}`,
					cookie: `yishi_session=${token}`
				},
				body: new URLSearchParams({ building: building.id, kind: 'owner', onlyUnverified: 'on' }).toString()
			});
			expect(answer.status).toBe(200); // an action failure travels inside a 200 JSON answer
			const result = JSON.parse(answer.body) as { type: string; status: number; data: string };
			expect(result.type).toBe('failure');
			expect(result.status).toBe(400);
			expect(result.data).toContain('请管理员设置 ORIGIN');
			expect(await codes()).toBe(before);
		} finally {
			database.close();
		}
	});

	it('fuzz: no generated Host header ever appears in the feed or the API unless it is private', async () => {
		const hosts = fc.oneof(
			fc.domain(),
			fc.ipV4(),
			fc.constantFrom(
				'localhost.evil.example',
				'127.0.0.1.nip.io',
				'10.0.0.1.evil.example',
				'evil.local.example',
				'[2001:db8::1]',
				'xn--fiqs8s.example'
			)
		);
		await fc.assert(
			fc.asyncProperty(hosts, fc.constantFrom('/records/feed.xml', '/api/v1/records'), async (host, path) => {
				const answer = await send(path, host);
				if (answer.status !== 200) return;
				const hostname = new URL(`http://${host}`).hostname;
				if (!isPrivateHost(hostname)) expect(answer.body).not.toContain(`//${host}`);
			}),
			{ numRuns: FUZZ_RUNS, interruptAfterTimeLimit: FUZZ_TIME_MS }
		);
		await expectServerAlive();
	});
});
