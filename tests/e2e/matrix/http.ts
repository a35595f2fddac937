/**
 * HTTP side of the access matrix: one session per role of the matrix's own accounts (made as a
 * login makes it, by session.ts), and form-action posts classified by what SvelteKit answers.
 *
 * Posts ask for JSON (`accept: application/json`, what `use:enhance` sends), so SvelteKit answers
 * the action alone, without rendering the page's load: an access refusal is `{ type: 'error' }`
 * with HTTP 403, the login redirect is `{ type: 'redirect', location: '/login?…' }`, a fail() is
 * `{ type: 'failure', status }` and a success is `{ type: 'success' }`.
 */
import { baseUrl } from '../browser.ts';
import { CAST_ROLES, type Account } from '../seed.ts';
import { sessionToken } from '../session.ts';

export const ROLES = ['anonymous', ...CAST_ROLES] as const;
export type Role = (typeof ROLES)[number];
export type Login = Exclude<Role, 'anonymous'>;
export const LOGINS = ROLES.filter((r): r is Login => r !== 'anonymous');

/** Session token per login (the yishi_session cookie's value). */
export type Jar = Map<Login, string>;

/** A fresh session token (the yishi_session cookie's value) of `login`'s account in `people`. */
export function logIn(people: Record<Login, Account>, login: Login): Promise<string> {
	return sessionToken(people[login]);
}

export async function logInAll(people: Record<Login, Account>): Promise<Jar> {
	return new Map(await Promise.all(LOGINS.map(async (l) => [l, await logIn(people, l)] as const)));
}

export type Fields = Record<string, string | string[]> | FormData;

export interface Outcome {
	/** forbidden = HTTP 403; login = requireActor's redirect to /login?next=…; failure = fail(); error = any other error status. */
	kind: 'forbidden' | 'login' | 'redirect' | 'failure' | 'success' | 'error';
	status: number;
	/** The response text (a Chinese message for refusals and failures). */
	text: string;
	location?: string;
}

function encode(fields: Fields): { body: BodyInit; headers: Record<string, string> } {
	if (fields instanceof FormData) return { body: fields, headers: {} };
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
	return { body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

/** POSTs a form action (`action` 'default' posts to the page itself) with the given session token. */
export async function postAction(path: string, action: string, fields: Fields, token: string | null): Promise<Outcome> {
	const { body, headers } = encode(fields);
	const sep = path.includes('?') ? '&' : '?';
	const url = `${baseUrl()}${path}${action === 'default' ? '' : `${sep}/${action}`}`;
	const res = await fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: { ...headers, accept: 'application/json', origin: baseUrl(), ...(token ? { cookie: `yishi_session=${token}` } : {}) },
		body
	});
	const text = await res.text();
	if (res.status === 403) return { kind: 'forbidden', status: 403, text };
	let json: { type?: string; status?: number; location?: string };
	try {
		json = JSON.parse(text);
	} catch {
		return { kind: 'error', status: res.status, text: text.slice(0, 300) };
	}
	if (json.type === 'redirect')
		return {
			kind: /^\/login\?next=/.test(json.location ?? '') ? 'login' : 'redirect',
			status: json.status ?? 303,
			text,
			location: json.location
		};
	if (json.type === 'failure') return { kind: 'failure', status: json.status ?? 400, text };
	if (json.type === 'success') return { kind: 'success', status: json.status ?? 200, text };
	return { kind: 'error', status: res.status, text: text.slice(0, 300) };
}

/** Runs `fn` over `items` with at most `width` in flight. */
export async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
	return out;
}
