/**
 * Generated form posts against real form actions: multipart bodies with broken or missing
 * boundaries, truncated bodies, invalid percent-encoding and UTF-8, wrong content types, and
 * well-formed forms full of odd values. A sender's mistake is a 4xx with a Chinese message; nothing
 * is a 500, and the server keeps serving.
 */
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baseUrl, expectServerAlive, FUZZ_RUNS, FUZZ_TIME_MS, logIn, port } from './server.ts';

let token: string;
beforeAll(async () => {
	token = await logIn('tenant');
});

/** Form actions that take input: anonymous sign-up, and a signed-in resident's new concern (with photos). */
const TARGETS = [
	{ path: '/register', signedIn: false, fields: ['login', 'password', 'password2', 'name'] },
	{ path: '/concerns/new', signedIn: true, fields: ['title', 'body', 'compound', 'photos'] }
] as const;

const HAN = /[\u4e00-\u9fff]/;

interface Post {
	target: number;
	contentType: string;
	body: Uint8Array;
	accept: 'application/json' | 'text/html';
}

const text = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.constantFrom('=1+1', '%zz', '\u0000', '<script>', '🏠', '1e309', '-0')
);

function multipart(boundary: string, parts: { name: string; value: string; filename?: string }[]): string {
	return (
		parts
			.map((p) => {
				const file = p.filename !== undefined ? `; filename="${p.filename}"\r\nContent-Type: image/jpeg` : '';
				return `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n\r\n${p.value}\r\n`;
			})
			.join('') + `--${boundary}--\r\n`
	);
}

const post: fc.Arbitrary<Post> = fc
	.record({
		target: fc.nat(TARGETS.length - 1),
		kind: fc.constantFrom(
			'multipart-ok',
			'multipart-wrong-boundary',
			'multipart-no-boundary',
			'multipart-truncated',
			'multipart-garbage',
			'urlencoded',
			'urlencoded-bad',
			'wrong-type',
			'no-type'
		),
		values: fc.array(fc.record({ field: fc.nat(3), value: text, filename: fc.option(text, { nil: undefined }) }), { maxLength: 5 }),
		garbage: fc.uint8Array({ maxLength: 300 }),
		cut: fc.nat(),
		accept: fc.constantFrom('application/json' as const, 'text/html' as const)
	})
	.map(({ target, kind, values, garbage, cut, accept }): Post => {
		const names = TARGETS[target].fields;
		const parts = values.map((v) => ({ name: names[v.field] ?? 'x', value: v.value, filename: v.filename }));
		const boundary = '----yishiFuzz7MA4YWxkTrZu0gW';
		const enc = (s: string) => new TextEncoder().encode(s);
		const body = multipart(boundary, parts);
		switch (kind) {
			case 'multipart-ok':
				return { target, accept, contentType: `multipart/form-data; boundary=${boundary}`, body: enc(body) };
			case 'multipart-wrong-boundary':
				return { target, accept, contentType: 'multipart/form-data; boundary=somethingelse', body: enc(body) };
			case 'multipart-no-boundary':
				return { target, accept, contentType: 'multipart/form-data', body: enc(body) };
			case 'multipart-truncated':
				return {
					target,
					accept,
					contentType: `multipart/form-data; boundary=${boundary}`,
					body: enc(body).subarray(0, cut % Math.max(1, body.length))
				};
			case 'multipart-garbage':
				return { target, accept, contentType: `multipart/form-data; boundary=${boundary}`, body: garbage };
			case 'urlencoded':
				return {
					target,
					accept,
					contentType: 'application/x-www-form-urlencoded',
					body: enc(new URLSearchParams(parts.map((p) => [p.name, p.value])).toString())
				};
			case 'urlencoded-bad':
				return {
					target,
					accept,
					contentType: 'application/x-www-form-urlencoded',
					body: Buffer.concat([enc('title=%E4%B8&body=%zz%'), garbage])
				};
			case 'wrong-type':
				return { target, accept, contentType: 'application/json', body: garbage };
			default:
				return { target, accept, contentType: '', body: garbage };
		}
	});

async function send(p: Post): Promise<{ status: number; text: string }> {
	const target = TARGETS[p.target];
	const headers: Record<string, string> = { accept: p.accept, origin: baseUrl() };
	if (p.contentType) headers['content-type'] = p.contentType;
	if (target.signedIn) headers.cookie = `yishi_session=${token}`;
	const res = await fetch(`${baseUrl()}${target.path}`, { method: 'POST', redirect: 'manual', headers, body: Buffer.from(p.body) });
	return { status: res.status, text: await res.text() };
}

describe('fuzz: form posts against real form actions', () => {
	it('answers every generated post without a 500, in Chinese when refused, and keeps serving', async () => {
		await fc.assert(
			fc.asyncProperty(post, async (p) => {
				const { status, text: answer } = await send(p);
				expect(status, answer.slice(0, 300)).toBeLessThan(500);
				if (status === 400 || status === 413) expect(answer).toMatch(HAN);
				await expectServerAlive();
			}),
			{ numRuns: FUZZ_RUNS * 3, interruptAfterTimeLimit: FUZZ_TIME_MS }
		);
	});

	it('gives a clear 400 for a multipart body with a broken boundary (the reported 500)', async () => {
		const broken = new TextEncoder().encode('--abc\r\nContent-Disposition: form-data; name="title"\r\n\r\n门禁\r\n--abc');
		for (const accept of ['text/html', 'application/json'] as const) {
			const { status, text: answer } = await send({
				target: 1,
				accept,
				contentType: 'multipart/form-data; boundary=xyz',
				body: broken
			});
			expect(status).toBe(400);
			expect(answer).toContain('提交的内容不完整或格式不对');
		}
	});

	it('gives a clear 400 for a form action posted as JSON', async () => {
		const { status, text: answer } = await send({
			target: 0,
			accept: 'text/html',
			contentType: 'application/json',
			body: new TextEncoder().encode('{"login":"x"}')
		});
		expect(status).toBe(400);
		expect(answer).toContain('提交的方式不对');
	});

	it('answers a body over the size limit with 413, also when it streams without a length', async () => {
		// One byte over the server's body limit (BODY_SIZE_LIMIT, 48M by default in build/server.js).
		const big = new Uint8Array(48 * 1024 * 1024 + 1).fill(0x61);
		const headers = {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: baseUrl(),
			cookie: `yishi_session=${token}`
		};
		const declared = await fetch(`${baseUrl()}/concerns/new`, { method: 'POST', redirect: 'manual', headers, body: big });
		expect(declared.status).toBe(413);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < big.length; i += 1024 * 1024) controller.enqueue(big.subarray(i, i + 1024 * 1024));
				controller.close();
			}
		});
		const streamed = await fetch(`${baseUrl()}/concerns/new`, {
			method: 'POST',
			redirect: 'manual',
			headers,
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(streamed.status).toBe(413);
		// A form page answers with its own message (the uploads keep what was typed); others with the generic one.
		expect(await streamed.text()).toMatch(/太大/);
		await expectServerAlive();
	});

	it('survives a body cut off before its announced length', async () => {
		await new Promise<void>((resolve) => {
			const socket = connect(port(), '127.0.0.1', () => {
				socket.write(
					`POST /register HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: ` +
						`${baseUrl()}\r\nContent-Type: multipart/form-data; boundary=abc\r\nContent-Length: ` +
						`100000\r\n\r\n--abc\r\nContent-Disposition: form-data; name="login"\r\n\r\nx`
				);
				socket.end();
			});
			socket.on('error', () => resolve());
			socket.on('close', () => resolve());
			socket.resume();
		});
		await expectServerAlive();
	});
});
