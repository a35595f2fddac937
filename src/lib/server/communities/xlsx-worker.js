// @ts-check
/**
 * Worker thread for reading an uploaded XLSX roster (xlsx-off-thread.ts starts it). Plain
 * JavaScript so it runs as it is under Vitest and from the built server: the SSR build emits it as
 * its own chunk (vite.config.ts, xlsxWorkerChunk). It reads one file, answers once and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XlsxReadError, readXlsxRows } from '../../domain/roster/xlsx-read.js';

if (parentPort) {
	const port = parentPort;
	try {
		port.postMessage({ ok: true, rows: readXlsxRows(new Uint8Array(workerData.bytes)) });
	} catch (error) {
		if (error instanceof XlsxReadError) port.postMessage({ ok: false, reason: error.reason, message: error.message });
		else port.postMessage({ ok: false, reason: 'bad_xlsx', message: '这个 Excel 文件已损坏或无法打开，请在 Excel 中重新另存为 .xlsx 或 CSV 后再上传' });
	}
}
