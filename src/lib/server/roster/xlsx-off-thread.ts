/**
 * Reads an uploaded XLSX roster in a worker thread, so a hostile file (a decompression bomb, XML
 * built to be slow) never holds the event loop that answers everyone else's requests. The reader
 * enforces its own size limits (domain/roster/xlsx-read.js); here a time limit ends the worker,
 * and a memory limit bounds its heap. One worker at a time: parses queue rather than pile up.
 */
import { Worker } from 'node:worker_threads';
import { RosterFileError } from '../../domain/roster/index.ts';
import { xlsxRefusal } from '../../domain/roster/xlsx.ts';
import type { XlsxRefusalCode } from '../../domain/roster/xlsx-read.js';
import { m } from '../../paraglide/messages.js';
import { getLocale } from '../../paraglide/runtime.js';

/** A real 20,000-unit roster reads in about 2–3 s on a loaded 2-core machine. */
export const XLSX_TIME_LIMIT_MS = 30_000;
const WORKER_HEAP_MB = 512;

/**
 * The worker's file, wherever the build put it (see xlsx-worker.js). A bundle that inlined the
 * worker into itself would start a whole server per upload; refuse that loudly instead.
 */
async function workerUrl(): Promise<{ url: URL; task: string }> {
	const { xlsxWorkerUrl, XLSX_WORKER_TASK } = await import('./xlsx-worker.js');
	if (!/xlsx-worker/.test(xlsxWorkerUrl))
		throw new Error(`xlsx-worker.js must stay a file of its own (it was bundled into ${xlsxWorkerUrl})`);
	return { url: new URL(xlsxWorkerUrl), task: XLSX_WORKER_TASK };
}

/** What xlsx-worker.js posts back: the rows, or why not as a code the request words in its reader's language. */
type WorkerAnswer =
	{ ok: true; rows: string[][] } | { ok: false; reason: 'bad_xlsx' | 'too_large'; code: XlsxRefusalCode; params: Record<string, number> };

let queue: Promise<unknown> = Promise.resolve();

export function readXlsxOffThread(bytes: Uint8Array, timeLimitMs = XLSX_TIME_LIMIT_MS): Promise<string[][]> {
	const run = queue.then(() => readInWorker(bytes, timeLimitMs));
	queue = run.catch(() => undefined);
	return run;
}

async function readInWorker(bytes: Uint8Array, timeLimitMs: number): Promise<string[][]> {
	const { url, task } = await workerUrl();
	// Read now: the worker's callbacks run outside the request that asked.
	const o = { locale: getLocale() };
	return new Promise((resolve, reject) => {
		// A copy goes to the worker: the caller keeps its bytes (the upload is staged for the confirm step).
		const copy = bytes.slice().buffer;
		const worker = new Worker(url, {
			workerData: { task, bytes: copy },
			transferList: [copy],
			resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }
		});
		let settled = false;
		const finish = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void worker.terminate();
			outcome();
		};
		const timer = setTimeout(
			() =>
				finish(() => reject(new RosterFileError('too_slow', m.admin_rf_too_slow({ seconds: Math.round(timeLimitMs / 1000) }, o)))),
			timeLimitMs
		);
		worker.once('message', (message: WorkerAnswer) =>
			finish(() =>
				message.ok
					? resolve(message.rows)
					: reject(new RosterFileError(message.reason, xlsxRefusal(message.code, message.params, o)))
			)
		);
		worker.once('error', (error: Error & { code?: string }) =>
			finish(() =>
				reject(
					error.code === 'ERR_WORKER_OUT_OF_MEMORY'
						? new RosterFileError('too_large', m.admin_rf_out_of_memory({ mb: WORKER_HEAP_MB }, o))
						: error
				)
			)
		);
		worker.once('exit', () => finish(() => reject(new Error('the XLSX reading worker exited without an answer'))));
	});
}
