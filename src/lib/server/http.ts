import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { AccessDenied, DomainError, NotFound } from './errors.ts';
import { m } from '../paraglide/messages.js';

export interface FormFailure {
	message: string;
	fields: Record<string, string>;
	values?: Record<string, string>;
}

/**
 * Runs a service call for a form action and maps domain errors: access → 403 page, missing → 404,
 * anything a person can correct → fail() with the Chinese message and their input kept.
 */
export async function act<T>(call: () => Promise<T>, values?: Record<string, string>): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await call();
	} catch (e) {
		if (e instanceof AccessDenied) error(403, e.message);
		if (e instanceof NotFound) error(404, e.message);
		if (e instanceof DomainError) {
			const status = e.code === 'throttled' ? 429 : e.code === 'invalid' ? 400 : 409;
			return fail(status, { message: e.message, fields: e.fields, values });
		}
		throw e;
	}
}

/** The same mapping for load functions: domain errors become error pages. */
export async function load<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (e) {
		if (e instanceof AccessDenied) error(403, e.message);
		if (e instanceof NotFound) error(404, e.message);
		if (e instanceof DomainError) error(400, e.message);
		throw e;
	}
}

export function formValues<K extends string>(data: FormData, names: K[]): Record<K, string> {
	return Object.fromEntries(names.map((n) => [n, String(data.get(n) ?? '')])) as Record<K, string>;
}

/** What a form post may be sent as: every form action reads its body with request.formData(). */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];

/**
 * A request that carries a body but not as a form: every state-changing route of Yishi is a form
 * action, so this is a 400 with a Chinese message (instead of SvelteKit's English 415). Null when
 * the request is acceptable.
 */
export function refuseNonFormBody(request: Request, pathname: string): Response | null {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return null;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (FORM_CONTENT_TYPES.includes(type)) return null;
	console.warn(`[http] 400 ${request.method} ${pathname}: content-type "${type.slice(0, 80)}" is not a form`);
	return plainError(request, 400, m.http_bad_content_type());
}

/** A short answer in the shape the asker expects: an action result for enhanced forms, else text. */
function plainError(request: Request, status: number, message: string): Response {
	if ((request.headers.get('accept') ?? '').includes('application/json')) {
		return new Response(JSON.stringify({ type: 'error', error: { message } }), {
			status,
			headers: { 'content-type': 'application/json' }
		});
	}
	return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
}

function statusInChain(e: unknown): number | null {
	for (let cause = e, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
		const status = (cause as { status?: unknown }).status;
		if (typeof status === 'number') return status;
	}
	return null;
}

/**
 * Makes a body that cannot be read (a broken multipart boundary, a truncated upload, bytes that are
 * not JSON) a 400 with a Chinese message for every route at once, instead of an unexpected 500:
 * request.formData() and request.json() throw error(400) (or 413 for a body over the size limit),
 * which SvelteKit shows as the error page or, to an enhanced form, as an error result.
 */
export function guardRequestBody(request: Request, pathname: string): void {
	const readers = { formData: request.formData.bind(request), json: request.json.bind(request) };
	const guarded =
		<T>(read: () => Promise<T>) =>
		async (): Promise<T> => {
			try {
				return await read();
			} catch (e) {
				const tooLarge = statusInChain(e) === 413;
				const reason = e instanceof Error ? e.message : String(e);
				console.warn(`[http] ${tooLarge ? 413 : 400} ${request.method} ${pathname}: unreadable body (${reason})`);
				if (tooLarge) error(413, m.http_body_too_large());
				error(400, m.http_bad_body());
			}
		};
	request.formData = guarded(readers.formData);
	request.json = guarded(readers.json);
}
