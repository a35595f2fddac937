/**
 * A WebSocket client that speaks the wire format by hand over a plain TCP socket, so tests can send
 * what no well-behaved library would: reserved opcodes, RSV bits, unmasked frames, lying lengths,
 * fragmented control frames, invalid UTF-8. Used by the fuzz tier and the collab hostile-input tests.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { waitUntil } from '../helpers/wait.ts';

export interface FrameSpec {
	fin?: boolean;
	/** RSV1..3 as a 3-bit number (0 for a plain frame). */
	rsv?: number;
	opcode: number;
	payload: Uint8Array;
	/** Client frames must be masked (RFC 6455 §5.1); false sends an unmasked one. */
	masked?: boolean;
	/** Declare this payload length instead of the real one (a lying header). */
	declaredLength?: bigint;
}

export function encodeFrame(spec: FrameSpec): Buffer {
	const masked = spec.masked ?? true;
	const length = spec.declaredLength ?? BigInt(spec.payload.byteLength);
	const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
	const maskBit = masked ? 0x80 : 0;
	let extended = Buffer.alloc(0);
	if (length < 126n) head.push(maskBit | Number(length));
	else if (length < 65536n) {
		head.push(maskBit | 126);
		extended = Buffer.alloc(2);
		extended.writeUInt16BE(Number(length));
	} else {
		head.push(maskBit | 127);
		extended = Buffer.alloc(8);
		extended.writeBigUInt64BE(length);
	}
	const payload = Buffer.from(spec.payload);
	if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
	const key = randomBytes(4);
	for (let i = 0; i < payload.length; i++) payload[i] ^= key[i % 4];
	return Buffer.concat([Buffer.from(head), extended, key, payload]);
}

export interface ServerFrame {
	opcode: number;
	payload: Buffer;
}

export interface RawConnection {
	socket: Socket;
	/** The HTTP status of the handshake answer (101 when upgraded). */
	status: number;
	frames: ServerFrame[];
	/** The close code the server sent in its close frame, if any. */
	closeCode(): number | null;
	/** Resolves when the TCP connection has ended (from either side). */
	ended: Promise<void>;
	send(data: Buffer | Uint8Array): void;
	destroy(): void;
}

/** Opens a TCP connection and performs a WebSocket handshake on `path`. */
export function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}): Promise<RawConnection> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		const frames: ServerFrame[] = [];
		let buffer = Buffer.alloc(0);
		let status = 0;
		let endedResolve!: () => void;
		const ended = new Promise<void>((r) => (endedResolve = r));
		socket.on('close', () => {
			endedResolve();
			if (status === 0) reject(new Error('connection closed before the handshake answer'));
		});
		socket.on('error', () => undefined);
		const connection: RawConnection = {
			socket,
			get status() {
				return status;
			},
			frames,
			closeCode() {
				const close = frames.find((f) => f.opcode === 0x8);
				return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
			},
			ended,
			send(data) {
				if (!socket.destroyed && socket.writable) socket.write(data);
			},
			destroy() {
				socket.destroy();
			}
		};
		socket.on('data', (chunk: Buffer) => {
			buffer = Buffer.concat([buffer, chunk]);
			if (status === 0) {
				const end = buffer.indexOf('\r\n\r\n');
				if (end < 0) return;
				status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0);
				buffer = buffer.subarray(end + 4);
				resolve(connection);
				if (status !== 101) return;
			}
			// Server frames are never masked.
			for (;;) {
				if (buffer.length < 2) return;
				let length = buffer[1] & 0x7f;
				let offset = 2;
				if (length === 126) {
					if (buffer.length < 4) return;
					length = buffer.readUInt16BE(2);
					offset = 4;
				} else if (length === 127) {
					if (buffer.length < 10) return;
					length = Number(buffer.readBigUInt64BE(2));
					offset = 10;
				}
				if (buffer.length < offset + length) return;
				frames.push({ opcode: buffer[0] & 0x0f, payload: buffer.subarray(offset, offset + length) });
				buffer = buffer.subarray(offset + length);
			}
		});
		const lines = [
			`GET ${path} HTTP/1.1`,
			`Host: 127.0.0.1:${port}`,
			'Upgrade: websocket',
			'Connection: Upgrade',
			`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
			'Sec-WebSocket-Version: 13',
			...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
		];
		socket.write(lines.join('\r\n') + '\r\n\r\n');
	});
}

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Resolves once `predicate` holds, polling the event loop (never a fixed sleep before a check). */
export function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
	return waitUntil(predicate, { timeoutMs, everyMs: 10, what });
}
