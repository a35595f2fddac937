/** An in-process HTTP load generator: keep-alive agent, fixed concurrency, fixed duration, loopback only. */
import { Agent, request } from 'node:http';
import { now, summarize, type Summary } from './stats.ts';

export interface LoadResult {
	requests: number;
	perSecond: number;
	latency: Summary;
	statuses: Record<number, number>;
	errors: number;
	bytes: number;
}

function once(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
	return new Promise((done, fail) => {
		const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers }, (res) => {
			let bytes = 0;
			res.on('data', (d: Buffer) => (bytes += d.length));
			res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
			res.on('error', fail);
		});
		req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
		req.on('error', fail);
		req.end();
	});
}

/** Runs `concurrency` request loops against 127.0.0.1:port/path for warmupMs (discarded) then durationMs. */
export async function load(
	port: number,
	path: string,
	opts: { concurrency: number; durationMs: number; warmupMs: number; headers?: Record<string, string> }
): Promise<LoadResult> {
	const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
	const headers = { 'accept-encoding': 'identity', ...(opts.headers ?? {}) };
	try {
		const warmEnd = now() + opts.warmupMs;
		await Promise.all(
			Array.from({ length: opts.concurrency }, async () => {
				while (now() < warmEnd) await once(agent, port, path, headers).catch(() => undefined);
			})
		);
		const latencies: number[] = [];
		const statuses: Record<number, number> = {};
		let errors = 0;
		let bytes = 0;
		const started = now();
		const end = started + opts.durationMs;
		await Promise.all(
			Array.from({ length: opts.concurrency }, async () => {
				while (now() < end) {
					const t0 = now();
					try {
						const r = await once(agent, port, path, headers);
						latencies.push(now() - t0);
						statuses[r.status] = (statuses[r.status] ?? 0) + 1;
						bytes += r.bytes;
					} catch {
						errors++;
					}
				}
			})
		);
		const elapsed = now() - started;
		return {
			requests: latencies.length,
			perSecond: latencies.length / (elapsed / 1000),
			latency: summarize(latencies),
			statuses,
			errors,
			bytes
		};
	} finally {
		agent.destroy();
	}
}
