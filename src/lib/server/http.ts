import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { AccessDenied, DomainError, NotFound } from './errors.ts';

export interface FormFailure {
	message: string;
	fields: Record<string, string>;
	values?: Record<string, string>;
}

/**
 * Runs a service call for a form action and maps domain errors: access → 403 page, missing → 404,
 * anything a person can correct → fail() with the Chinese message and their input kept.
 */
export async function act<T>(
	call: () => Promise<T>,
	values?: Record<string, string>
): Promise<T | ActionFailure<FormFailure>> {
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
