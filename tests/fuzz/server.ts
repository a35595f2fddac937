/**
 * The fuzz tier runs against the real built server that tests/e2e/global-setup.ts starts (the
 * README's start command, no ORIGIN). After every generated case the server must still answer.
 */
import { expect, inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');
export const port = () => Number(new URL(baseUrl()).port);
export const DEMO_PASSWORD = 'yishi2026';

/** fast-check settings: bounded in count and in time, reproducible from the printed seed. */
export const FUZZ_RUNS = Number(process.env.YISHI_FUZZ_RUNS ?? 80);
export const FUZZ_TIME_MS = 60_000;

/** The process is alive and serving: GET / answers 200. */
export async function expectServerAlive(): Promise<void> {
	let status: number;
	try {
		const res = await fetch(`${baseUrl()}/`, { signal: AbortSignal.timeout(30_000) });
		status = res.status;
		await res.arrayBuffer();
	} catch (e) {
		throw new Error(`the server no longer answers GET /: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
	}
	expect(status).toBe(200);
}

/** Logs a demo account in through the real login form; returns its session token. */
export async function logIn(login: string): Promise<string> {
	const res = await fetch(`${baseUrl()}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: baseUrl() },
		body: new URLSearchParams({ login, password: DEMO_PASSWORD, next: '/' })
	});
	const token = /yishi_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
	if (res.status !== 303 || !token) throw new Error(`login ${login} failed: HTTP ${res.status}`);
	return token;
}
