/**
 * The domain's typed errors. Routes map them: AccessDenied → 403, NotFound → 404,
 * RuleBroken → fail(400/409) with its Chinese message. Nothing is swallowed.
 */
import { m } from '../paraglide/messages.js';

export class DomainError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly fields: Record<string, string> = {}
	) {
		super(message);
		this.name = new.target.name;
	}
}

export class AccessDenied extends DomainError {
	constructor(message: string = m.errors_forbidden()) {
		super(message, 'forbidden');
	}
}

export class NotFound extends DomainError {
	constructor(message: string = m.errors_not_found()) {
		super(message, 'not_found');
	}
}

/** Input a person can correct: the message says how, in Chinese. */
export class InvalidInput extends DomainError {
	constructor(message: string, fields: Record<string, string> = {}) {
		super(message, 'invalid', fields);
	}
}

/** A rule of the process was broken (e.g. voting after the close); retrying the same will not help. */
export class RuleBroken extends DomainError {
	constructor(message: string, code = 'rule') {
		super(message, code);
	}
}

export class TooManyAttempts extends DomainError {
	constructor(message: string) {
		super(message, 'throttled');
	}
}

/** True when the error is a unique-constraint violation: the database refused a duplicate. */
export function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; message?: string; cause?: unknown } | null;
	if (!e) return false;
	if (typeof e.message === 'string' && /UNIQUE constraint failed/i.test(e.message)) return true;
	if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
	return e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}

/**
 * Runs a write whose unique index is the rule (one rating per person, one answer per objection, one pending change per
 * unit): the database's refusal of a duplicate reaches the person as `refusal`; any other failure passes through.
 */
export async function refuseDuplicate<T>(write: PromiseLike<T>, refusal: DomainError): Promise<T> {
	try {
		return await write;
	} catch (error) {
		if (isUniqueViolation(error)) throw refusal;
		throw error;
	}
}
