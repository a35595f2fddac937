import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdSends, rememberRawSocket } from '../../../src/lib/server/collab/sends.ts';

/** A socket stand-in that records each write it is asked to make (one entry per writev or write). */
function recordingSocket() {
	const writes: string[][] = [];
	const socket = new Writable({
		writev(chunks, callback) {
			writes.push(chunks.map((c) => String(c.chunk)));
			callback();
		},
		write(chunk, _encoding, callback) {
			writes.push([String(chunk)]);
			callback();
		}
	});
	return { socket, writes };
}

/** The turn after the current one's microtasks (where held sends are released). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What ws does for one frame: cork, header, payload, uncork. */
function frame(socket: Writable, n: number): void {
	socket.cork();
	socket.write(`h${n}`);
	socket.write(`p${n}`);
	socket.uncork();
}

describe('held sends (collab/sends.ts)', () => {
	it('sends a burst of frames in one write after the turn, in order', async () => {
		const { socket, writes } = recordingSocket();
		const request = {} as IncomingMessage;
		rememberRawSocket(request, socket);
		holdSends(request);
		holdSends(request);
		await Promise.resolve();
		for (let n = 0; n < 3; n++) frame(socket, n);
		expect(writes).toEqual([]);
		await nextTurn();
		expect(writes).toEqual([['h0', 'p0', 'h1', 'p1', 'h2', 'p2']]);
		// Released: the next frame goes out at once, as ws would send it.
		frame(socket, 3);
		expect(writes.at(-1)).toEqual(['h3', 'p3']);
	});

	it('without a hold, each frame is its own write', () => {
		const { socket, writes } = recordingSocket();
		rememberRawSocket({} as IncomingMessage, socket);
		frame(socket, 0);
		frame(socket, 1);
		expect(writes).toEqual([
			['h0', 'p0'],
			['h1', 'p1']
		]);
	});

	it('leaves unknown requests and ended sockets alone, and an end() during a hold still flushes', async () => {
		holdSends(undefined);
		holdSends({} as IncomingMessage);
		const ended = recordingSocket();
		const endedRequest = {} as IncomingMessage;
		rememberRawSocket(endedRequest, ended.socket);
		ended.socket.end();
		holdSends(endedRequest);
		expect(ended.socket.writableCorked).toBe(0);

		const closing = recordingSocket();
		const closingRequest = {} as IncomingMessage;
		rememberRawSocket(closingRequest, closing.socket);
		holdSends(closingRequest);
		frame(closing.socket, 0);
		closing.socket.end('close');
		expect(closing.writes.flat()).toEqual(['h0', 'p0', 'close']);
		await nextTurn();
		expect(closing.socket.writableCorked).toBe(0);
	});
});
