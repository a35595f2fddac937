// @ts-check
/**
 * Worker thread for reading an uploaded XLSX roster (xlsx-off-thread.ts starts it). Plain
 * JavaScript, so it runs as it is under Vitest and `vite dev`, with no TypeScript loader.
 *
 * The main thread finds this file by importing it dynamically and reading `xlsxWorkerUrl`: a
 * dynamic import stays a chunk of its own through the Vite SSR build and adapter-node's bundling,
 * so the URL is right wherever the file ended up. Imported on the main thread it does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { XlsxReadError, readXlsxRows } from '../../domain/roster/xlsx-read.js';

/** Where this module really is, after any bundling. */
export const xlsxWorkerUrl = import.meta.url;

/** Told to the worker so that only a worker started for this purpose reads anything. */
export const XLSX_WORKER_TASK = 'yishi-xlsx-roster';

if (!isMainThread && parentPort && workerData?.task === XLSX_WORKER_TASK) {
	const port = parentPort;
	try {
		port.postMessage({ ok: true, rows: readXlsxRows(new Uint8Array(workerData.bytes)) });
	} catch (error) {
		// A code and its numbers, not a sentence: the worker has no request, so the main thread words it in the reader's language.
		if (error instanceof XlsxReadError) port.postMessage({ ok: false, reason: error.reason, code: error.code, params: error.params });
		else port.postMessage({ ok: false, reason: 'bad_xlsx', code: 'corrupt', params: {} });
	}
}
