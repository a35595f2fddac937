/** Child processes of the tests: the built server, nginx, redis, a scheduler. */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { waitUntil } from './wait.ts';

/** Ports this process has handed out: the OS may offer a just-closed port again before its taker binds it. */
const handedOut = new Set<number>();

function unusedPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as { port: number }).port;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

/**
 * A TCP port nobody listens on right now (127.0.0.1), and never one this process handed out before:
 * nginx's HTTP and HTTPS ports are chosen one after the other and bound later, and once got the same port
 * (nginx then refused the config: "no ssl_certificate is defined for the listen ... ssl directive").
 */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await unusedPort();
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/**
 * Resolves once `answers()` is true (e.g. GET /healthz is 200); fails at once when `child` exits
 * first, with its output, and after `timeoutMs` when it never answers.
 */
export async function untilServing(
	child: ChildProcess,
	answers: () => Promise<boolean>,
	output: () => string,
	timeoutMs = 60_000
): Promise<void> {
	const name = child.spawnfile;
	try {
		await waitUntil(
			async () => {
				if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited early:\n${output()}`);
				return answers().catch(() => false);
			},
			{ timeoutMs, everyMs: 100, what: `${name} to answer` }
		);
	} catch (error) {
		if (error instanceof Error && error.message.startsWith('timed out'))
			throw new Error(`${name} did not start:\n${output()}`, { cause: error });
		throw error;
	}
}

/** An HTTP probe for untilServing: true when `url` answers 2xx. */
export const answersOk = (url: string) => async (): Promise<boolean> => {
	const res = await fetch(url);
	await res.arrayBuffer();
	return res.ok;
};
