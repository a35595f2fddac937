/**
 * Malformed WebSocket frames, written byte by byte after a real upgrade on /collab: reserved
 * opcodes, RSV bits, lying and huge lengths, oversized frames, fragmented control frames, invalid
 * UTF-8 text, unmasked client frames. Each case may close its own connection; none may stop the server.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { MAX_FRAME_BYTES } from '../../src/lib/domain/drafting/limits.ts';
import { encodeFrame, OPCODE, rawUpgrade, type FrameSpec } from './raw-websocket.ts';
import { waitUntil } from '../helpers/wait.ts';
import { expectServerAlive, FUZZ_RUNS, FUZZ_TIME_MS, port } from './server.ts';

const frame: fc.Arbitrary<FrameSpec> = fc.record(
	{
		fin: fc.boolean(),
		rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
		opcode: fc.oneof(fc.constantFrom(0, 1, 2, 8, 9, 10), fc.integer({ min: 0, max: 15 })),
		payload: fc.oneof(
			fc.uint8Array({ maxLength: 200 }),
			// invalid UTF-8 (lone continuation bytes, truncated sequences, overlongs, surrogates)
			fc.constantFrom(
				new Uint8Array([0x80]),
				new Uint8Array([0xc3]),
				new Uint8Array([0xc0, 0xaf]),
				new Uint8Array([0xed, 0xa0, 0x80]),
				new Uint8Array([0xff, 0xfe])
			)
		),
		masked: fc.oneof(fc.constant(true), fc.boolean()),
		declaredLength: fc.option(
			fc.constantFrom(0n, 125n, 126n, 65_535n, 65_536n, BigInt(MAX_FRAME_BYTES) + 1n, 2n ** 53n + 1n, 2n ** 63n - 1n),
			{ nil: undefined }
		)
	},
	{ requiredKeys: ['opcode', 'payload'] }
);

/** A case: a few frames, optionally one far over the frame cap, cut off anywhere. */
const caseOf = fc.record({
	frames: fc.array(frame, { minLength: 1, maxLength: 4 }),
	oversized: fc.boolean(),
	cut: fc.option(fc.nat(), { nil: undefined })
});

async function run(spec: { frames: FrameSpec[]; oversized: boolean; cut?: number }): Promise<void> {
	const c = await rawUpgrade(port(), '/collab');
	if (c.status !== 101) throw new Error(`upgrade answered ${c.status}`);
	const parts = spec.frames.map(encodeFrame);
	if (spec.oversized) parts.push(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(MAX_FRAME_BYTES + 1) }));
	let bytes = Buffer.concat(parts);
	if (spec.cut !== undefined) bytes = bytes.subarray(0, spec.cut % (bytes.length + 1));
	c.send(bytes);
	// A ping after the case: the server answers it, or has closed the connection, or (after a
	// frame that announced more bytes than were sent) still waits; in every case the server must live.
	c.send(encodeFrame({ opcode: OPCODE.ping, payload: new Uint8Array([1]) }));
	let ended = false;
	void c.ended.then(() => (ended = true));
	const answered = () => ended || c.frames.some((f) => f.opcode === OPCODE.pong || f.opcode === OPCODE.close);
	// No answer within 3 s is allowed (the server still waits for announced bytes); the check is that it lives.
	await waitUntil(answered, { timeoutMs: 3_000, everyMs: 5, what: 'a pong or a close' }).catch(() => undefined);
	c.destroy();
	await expectServerAlive();
}

describe('fuzz: malformed WebSocket frames on /collab', () => {
	it('closes at most the offending connection, never the server', async () => {
		await fc.assert(fc.asyncProperty(caseOf, run), { numRuns: FUZZ_RUNS, interruptAfterTimeLimit: FUZZ_TIME_MS });
		await expectServerAlive();
	});

	it('survives the reported attack: a reserved opcode, then one frame over the cap', async () => {
		await run({ frames: [{ opcode: 0x3, payload: new Uint8Array([1]) }], oversized: false });
		await run({ frames: [], oversized: true });
	});
});
