/**
 * Issue #11: an unauthenticated client must not be able to take the server down with one bad
 * WebSocket frame. The collaboration server runs in its own process (the fixture), so a crash shows
 * as that process exiting instead of taking the test runner with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { MAX_FRAME_BYTES, COLLAB_CLOSE } from '../../../src/lib/domain/drafting/limits.ts';
import { encodeFrame, OPCODE, rawUpgrade, until, type RawConnection } from '../../fuzz/raw-websocket.ts';

const root = resolve(import.meta.dirname, '../../..');
let database: TestDatabase;
let child: ChildProcess;
let port: number;
let output = '';

beforeAll(async () => {
	database = await createTestDatabase();
	child = spawn(
		process.execPath,
		[resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'tests/integration/collab/fixtures/collab-server.ts', database.path, '0'],
		{
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	child.stderr!.on('data', (chunk) => (output += chunk));
	port = await new Promise<number>((resolvePort, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += chunk;
			const m = /listening (\d+)/.exec(output);
			if (m) resolvePort(Number(m[1]));
		});
		child.on('exit', (code) => reject(new Error(`collab server exited early (${code}): ${output}`)));
	});
});
afterAll(() => {
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	database.destroy();
});

/** The server still answers HTTP, and its process has not exited. */
async function expectAlive(): Promise<void> {
	expect(child.exitCode, `server exited:\n${output}`).toBeNull();
	const status = await new Promise<number>((resolveStatus, reject) => {
		const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
			res.resume();
			resolveStatus(res.statusCode ?? 0);
		});
		req.on('error', (e) => reject(new Error(`server not answering (${e.message}):\n${output}`)));
		req.end();
	});
	expect(status).toBe(404);
}

async function upgraded(): Promise<RawConnection> {
	const connection = await rawUpgrade(port, '/collab');
	expect(connection.status).toBe(101);
	return connection;
}

async function expectClosedWith(connection: RawConnection, code: number): Promise<void> {
	await until(() => connection.closeCode() !== null, 10_000, `close frame ${code}`);
	expect(connection.closeCode()).toBe(code);
	connection.destroy();
}

describe('hostile WebSocket input on /collab', () => {
	it('closes a frame with a reserved opcode with 1002 and stays up', async () => {
		const c = await upgraded();
		c.send(encodeFrame({ opcode: 0x3, payload: new Uint8Array([1, 2, 3]) }));
		await expectClosedWith(c, COLLAB_CLOSE.protocolError.code);
		await expectAlive();
	});

	it('closes one frame over the size limit with 1009 and stays up', async () => {
		const c = await upgraded();
		c.send(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(MAX_FRAME_BYTES + 1) }));
		await expectClosedWith(c, COLLAB_CLOSE.frameTooLarge.code);
		await expectAlive();
	});

	it('closes a header that announces a huge frame before any of it arrives', async () => {
		const c = await upgraded();
		c.send(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(0), declaredLength: 2n ** 62n }));
		await expectClosedWith(c, COLLAB_CLOSE.frameTooLarge.code);
		await expectAlive();
	});

	it('closes an unmasked client frame, RSV bits, and a fragmented ping with 1002', async () => {
		for (const frame of [
			encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array([0]), masked: false }),
			encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array([0]), rsv: 0b100 }),
			encodeFrame({ opcode: OPCODE.ping, payload: new Uint8Array([0]), fin: false }),
			encodeFrame({ opcode: OPCODE.continuation, payload: new Uint8Array([0]) })
		]) {
			const c = await upgraded();
			c.send(frame);
			await expectClosedWith(c, COLLAB_CLOSE.protocolError.code);
		}
		await expectAlive();
	});

	it('closes a text frame that is not UTF-8 with 1007', async () => {
		const c = await upgraded();
		c.send(encodeFrame({ opcode: OPCODE.text, payload: new Uint8Array([0xc3, 0x28, 0xff]) }));
		await expectClosedWith(c, COLLAB_CLOSE.invalidText.code);
		await expectAlive();
	});

	it('closes a message that is not the Hocuspocus format with 4400', async () => {
		const c = await upgraded();
		c.send(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }));
		await expectClosedWith(c, COLLAB_CLOSE.malformed.code);
		await expectAlive();
	});

	it('closes a connection that opens too many documents before signing in', async () => {
		const c = await upgraded();
		// Hocuspocus queues every unauthenticated message per document name: without a bound,
		// one connection could grow that queue without end.
		for (let i = 0; i < 200; i++) {
			const name = `alt:x${i}`;
			const bytes = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from([0, 0, 0])]);
			c.send(encodeFrame({ opcode: OPCODE.binary, payload: bytes }));
		}
		await expectClosedWith(c, COLLAB_CLOSE.tooManyDocuments.code);
		await expectAlive();
	});

	it('closes a connection that sends a flood for a document it never signs in to', async () => {
		const c = await upgraded();
		// Without a bound, every one of these would wait in Hocuspocus's queue until sign-in.
		const name = 'alt:flood';
		const filler = new Uint8Array(16 * 1024);
		const message = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from([0, 2, 0x80, 0x80, 0x01]), filler]);
		for (let i = 0; i < 40 && c.closeCode() === null; i++) c.send(encodeFrame({ opcode: OPCODE.binary, payload: message }));
		await expectClosedWith(c, COLLAB_CLOSE.unauthenticatedFlood.code);
		await expectAlive();
	});

	it('survives a client that resets the connection mid-handshake and mid-frame', async () => {
		const half = await upgraded();
		half.send(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(1000) }).subarray(0, 500));
		half.socket.resetAndDestroy();
		const { connect } = await import('node:net');
		const early = connect(port, '127.0.0.1');
		early.on('error', () => undefined);
		await new Promise<void>((r) => early.once('connect', () => r()));
		early.write(
			'GET /collab HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: ' +
				'Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: '
		);
		early.resetAndDestroy();
		await expectAlive();
	});

	it('refuses upgrades on any other path with 404', async () => {
		const c = await rawUpgrade(port, '/not-collab');
		expect(c.status).toBe(404);
		c.destroy();
		await expectAlive();
	});
});
