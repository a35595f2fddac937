/**
 * The real editing trace (automerge-paper, ../shared/bench/): loader and replay verifier.
 * Applying every patch in order to startContent must give endContent; anything else throws, so a
 * replay that drops or reorders edits cannot pass silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as Y from 'yjs';

export type Patch = [pos: number, delCount: number, insText: string];
export interface Trace {
	startContent: string;
	endContent: string;
	txns: { patches: Patch[] }[];
}

export const TRACE_PATH = resolve(import.meta.dirname, '../../../shared/bench/automerge-paper.json.gz');

export function loadTrace(path = process.env.YISHI_BENCH_TRACE ?? TRACE_PATH): Trace {
	if (!existsSync(path)) throw new Error(`editing trace not found at ${path} (set YISHI_BENCH_TRACE)`);
	const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Trace;
	if (typeof trace.startContent !== 'string' || typeof trace.endContent !== 'string' || !Array.isArray(trace.txns)) {
		throw new Error(`${path} is not an editing trace ({ startContent, endContent, txns })`);
	}
	return trace;
}

export function patchCount(trace: Trace): number {
	let n = 0;
	for (const t of trace.txns) n += t.patches.length;
	return n;
}

/**
 * Applies every patch to startContent as plain string edits and checks the result equals
 * endContent. Works on chunks of text so 260k edits of a 100 kB string stay fast.
 */
export function verifyTrace(trace: Trace): { patches: number; ms: number } {
	const started = performance.now();
	let text = trace.startContent;
	let patches = 0;
	for (let t = 0; t < trace.txns.length; t++) {
		for (const [pos, del, ins] of trace.txns[t].patches) {
			if (pos < 0 || pos > text.length || pos + del > text.length) {
				throw new Error(`trace patch ${patches} (txn ${t}) is out of range: pos ${pos} del ${del} on length ${text.length}`);
			}
			text = text.slice(0, pos) + ins + text.slice(pos + del);
			patches++;
		}
	}
	assertSameText(text, trace.endContent, 'plain replay of the trace');
	return { patches, ms: performance.now() - started };
}

/** Throws with the first differing position when a replayed text is not the expected one. */
export function assertSameText(actual: string, expected: string, what: string): void {
	if (actual === expected) return;
	let i = 0;
	while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
	throw new Error(
		`${what}: final text differs from endContent at ${i} (lengths ${actual.length} vs ${expected.length}): ` +
			`got ${JSON.stringify(actual.slice(i, i + 40))}, expected ${JSON.stringify(expected.slice(i, i + 40))}`
	);
}

/**
 * Replays the trace into a Y.Text, one Yjs transaction per trace txn (each becomes one update the
 * provider sends). `pace` is awaited every `every` txns so the socket can drain and the event loop
 * can run; returns the number of transactions.
 */
export async function replayIntoYText(
	doc: Y.Doc,
	text: Y.Text,
	trace: Trace,
	pace?: { every: number; wait: () => Promise<void> }
): Promise<number> {
	if (text.length === 0 && trace.startContent.length > 0) doc.transact(() => text.insert(0, trace.startContent));
	let n = 0;
	for (const txn of trace.txns) {
		doc.transact(() => {
			for (const [pos, del, ins] of txn.patches) {
				if (del > 0) text.delete(pos, del);
				if (ins.length > 0) text.insert(pos, ins);
			}
		});
		n++;
		if (pace && n % pace.every === 0) await pace.wait();
	}
	return n;
}
