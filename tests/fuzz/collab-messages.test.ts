/**
 * Generated Hocuspocus / Yjs messages on /collab, before authentication (anyone on the internet)
 * and after it (a signed-in demo owner on a real alternative): random bytes, every message type with
 * garbage inside, sync steps and updates that do not decode, awareness and stateless junk. Each case
 * may close its own connection with a named code; the server must keep serving.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { inject } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { openDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { draftAlternatives } from '../../src/lib/server/db/schema/index.ts';
import { baseUrl, expectServerAlive, FUZZ_RUNS, FUZZ_TIME_MS, logIn } from './server.ts';

const MESSAGE_AUTH = 2;
const AUTH_TOKEN = 0;
const AUTH_AUTHENTICATED = 2;

let database: Database;
let documentName: string;
let token: string;

beforeAll(async () => {
	database = openDatabase(inject('databaseUrl'));
	const [alternative] = await database.db.select({ id: draftAlternatives.id }).from(draftAlternatives).limit(1);
	documentName = `alt:${alternative.id}`;
	token = await logIn('aijian_owner');
});
afterAll(() => database.close());

function authMessage(name: string, sessionToken: string): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, name);
	encoding.writeVarUint(e, MESSAGE_AUTH);
	encoding.writeVarUint(e, AUTH_TOKEN);
	encoding.writeVarString(e, sessionToken);
	return encoding.toUint8Array(e);
}

/** A message with a plausible header and garbage (or a random update) inside. */
const structured = (names: fc.Arbitrary<string>) =>
	fc
		.record({
			name: names,
			type: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8), fc.nat(1000)),
			sub: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.nat(1 << 20)),
			inner: fc.uint8Array({ maxLength: 300 }),
			tail: fc.uint8Array({ maxLength: 20 }),
			asString: fc.boolean()
		})
		.map(({ name, type, sub, inner, tail, asString }) => {
			const e = encoding.createEncoder();
			encoding.writeVarString(e, name);
			encoding.writeVarUint(e, type);
			encoding.writeVarUint(e, sub);
			if (asString) encoding.writeVarString(e, new TextDecoder().decode(inner));
			else encoding.writeVarUint8Array(e, inner);
			encoding.writeUint8Array(e, tail);
			return encoding.toUint8Array(e);
		});

const messages = (names: fc.Arbitrary<string>) =>
	fc.array(
		fc.oneof(
			fc.uint8Array({ maxLength: 200 }),
			structured(names),
			structured(names).map((m) => m.subarray(0, Math.max(1, m.length - 3)))
		),
		{
			minLength: 1,
			maxLength: 6
		}
	);

function open(headers: Record<string, string>): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${baseUrl().replace(/^http/, 'ws')}/collab`, { headers });
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
	});
}

/** Resolves when the server has answered a ping sent after the case, or closed the connection. */
function settled(ws: WebSocket): Promise<void> {
	return new Promise((resolve) => {
		if (ws.readyState !== WebSocket.OPEN) return resolve();
		ws.once('pong', () => resolve());
		ws.once('close', () => resolve());
		ws.ping();
	});
}

async function runCase(batch: Uint8Array[], authenticated: boolean): Promise<void> {
	const ws = await open(authenticated ? { cookie: `yishi_session=${token}`, origin: baseUrl() } : {});
	ws.on('error', () => undefined);
	if (authenticated) {
		const signedIn = new Promise<void>((resolve, reject) => {
			ws.on('message', (data: Buffer) => {
				const d = decoding.createDecoder(new Uint8Array(data));
				if (decoding.readVarString(d) !== documentName) return;
				if (decoding.readVarUint(d) === MESSAGE_AUTH && decoding.readVarUint(d) === AUTH_AUTHENTICATED) resolve();
			});
			ws.once('close', (code) => reject(new Error(`closed ${code} before authentication`)));
		});
		ws.send(authMessage(documentName, token));
		await signedIn;
	}
	for (const message of batch) if (ws.readyState === WebSocket.OPEN) ws.send(message);
	await settled(ws);
	ws.terminate();
	await expectServerAlive();
}

describe('fuzz: Hocuspocus messages on /collab', () => {
	const names = () => fc.oneof(fc.constant(documentName), fc.string({ maxLength: 20 }), fc.constantFrom('alt:', 'alt:zz', ''));

	it('before authentication: closes or ignores, never stops', async () => {
		await fc.assert(
			fc.asyncProperty(messages(names()), (batch) => runCase(batch, false)),
			{ numRuns: FUZZ_RUNS, interruptAfterTimeLimit: FUZZ_TIME_MS }
		);
	});

	it('after authentication as a demo owner: refuses bad updates, never stops', async () => {
		await fc.assert(
			fc.asyncProperty(messages(fc.constant(documentName)), (batch) => runCase(batch, true)),
			{ numRuns: FUZZ_RUNS, interruptAfterTimeLimit: FUZZ_TIME_MS }
		);
	});
});
