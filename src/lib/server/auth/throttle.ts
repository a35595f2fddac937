import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { inArray, lt, sql } from 'drizzle-orm';
import { afterFailure, waitMessage, waitMs, type ThrottlePolicy, type ThrottleState } from '../../domain/auth/throttle.ts';
import type { Database } from '../db/client.ts';
import { throttleAttempts } from '../db/schema/index.ts';
import { TooManyAttempts } from '../errors.ts';
import { clock } from '../util/clock.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The throttle rules. Delays grow (1 s, doubling, at most 15 minutes); nothing ever locks anyone out.
 *
 * - `loginPair` is per account AND address: whoever keeps guessing one account from one address is
 *   slowed, but the owner logging in from anywhere else is never refused because of it.
 * - `loginAddress` is a ceiling for one address however many accounts it tries. It is generous
 *   because a 居委 office, a shared Wi-Fi or a proxy sends many people from one address.
 * - `signupAddress` counts every sign-up (new or not) from an address.
 * - `claimUser` / `claimAddress` slow the guessing of verification codes.
 */
export const THROTTLE_RULES = {
	loginPair: { freeFailures: 5, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: 24 * HOUR },
	loginAddress: { freeFailures: 300, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR },
	signupAddress: { freeFailures: 30, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR },
	claimUser: { freeFailures: 10, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: 24 * HOUR },
	claimAddress: { freeFailures: 100, baseDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR }
} satisfies Record<string, ThrottlePolicy>;
export type ThrottleRule = keyof typeof THROTTLE_RULES;

/** Rules whose count a success wipes (the person proved who they are); the address ceilings are not wiped. */
const FORGIVEN_ON_SUCCESS: ReadonlySet<ThrottleRule> = new Set(['loginPair', 'claimUser']);

/**
 * Where throttle state lives. Keys are opaque (hashed). The database store below keeps it across
 * restarts; a store shared by several servers (e.g. Redis) implements the same three calls, with
 * `recordFailure` atomic per key (the transition is `afterFailure` of src/lib/domain/auth/throttle.ts).
 */
export interface ThrottleStore {
	/** The state of each key that has one. Called once per attempt, so it must be cheap. */
	read(keys: string[]): Promise<Map<string, ThrottleState>>;
	/** Counts one failure (atomically) and returns the new state. */
	recordFailure(key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleState>;
	/** Forgets keys (after a success). */
	clear(keys: string[]): Promise<void>;
}

/** Rows past their window are deleted at most this often, inside a failure's write. */
const PRUNE_EVERY_MS = 10 * MINUTE;

/** Throttle state in the `throttle_attempts` table, written through the write queue (failures only). */
export class DatabaseThrottleStore implements ThrottleStore {
	#lastPrune = 0;
	constructor(private readonly database: Database) {}

	async read(keys: string[]): Promise<Map<string, ThrottleState>> {
		if (keys.length === 0) return new Map();
		const rows = await this.database.db
			.select({
				key: throttleAttempts.key,
				failures: throttleAttempts.failures,
				windowStartedAt: throttleAttempts.windowStartedAt,
				lastFailureAt: throttleAttempts.lastFailureAt
			})
			.from(throttleAttempts)
			.where(inArray(throttleAttempts.key, keys));
		return new Map(rows.map(({ key, ...state }) => [key, state]));
	}

	async recordFailure(key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleState> {
		const prune = now - this.#lastPrune >= PRUNE_EVERY_MS;
		if (prune) this.#lastPrune = now;
		return this.database.write(async (tx) => {
			if (prune) await tx.delete(throttleAttempts).where(lt(throttleAttempts.expiresAt, now));
			// The same transition as afterFailure, done by the database so concurrent failures all count.
			const expired = sql`(${now} - ${throttleAttempts.windowStartedAt} >= ${policy.windowMs})`;
			const rows = await tx
				.insert(throttleAttempts)
				.values({ key, failures: 1, windowStartedAt: now, lastFailureAt: now, expiresAt: now + policy.windowMs })
				.onConflictDoUpdate({
					target: throttleAttempts.key,
					set: {
						failures: sql`CASE WHEN ${expired} THEN 1 ELSE ${throttleAttempts.failures} + 1 END`,
						windowStartedAt: sql`CASE WHEN ${expired} THEN ${now} ELSE ${throttleAttempts.windowStartedAt} END`,
						lastFailureAt: sql`CASE WHEN ${expired} THEN ${now} ELSE MAX(${throttleAttempts.lastFailureAt}, ${now}) END`,
						expiresAt: sql`CASE WHEN ${expired} THEN ${now + policy.windowMs} ELSE ${throttleAttempts.expiresAt} END`
					}
				})
				.returning({
					failures: throttleAttempts.failures,
					windowStartedAt: throttleAttempts.windowStartedAt,
					lastFailureAt: throttleAttempts.lastFailureAt
				});
			return rows[0];
		});
	}

	async clear(keys: string[]): Promise<void> {
		if (keys.length === 0) return;
		await this.database.write((tx) => tx.delete(throttleAttempts).where(inArray(throttleAttempts.key, keys)));
	}
}

let makeStore: (database: Database) => ThrottleStore = (database) => new DatabaseThrottleStore(database);
let stores = new WeakMap<Database, ThrottleStore>();

/** The throttle store for this database (one per handle, so its prune timer is shared). */
export function throttleStoreOf(database: Database): ThrottleStore {
	let store = stores.get(database);
	if (!store) stores.set(database, (store = makeStore(database)));
	return store;
}

/** Puts another store (e.g. one shared by several servers) behind every throttle. */
export function useThrottleStore(factory: (database: Database) => ThrottleStore): void {
	makeStore = factory;
	stores = new WeakMap();
}

/** One thing a throttle counts: a rule and what it is about (an address, `account + address`, …). */
export interface ThrottleSubject {
	rule: ThrottleRule;
	subject: string;
}

/** The outcome of a throttled attempt; exactly one of these is called, once. */
export interface Attempt {
	/** Count it (a wrong password, a wrong code, a sign-up). */
	failed(): Promise<void>;
	/** Success: forgets the per-person counts (not the address ceilings). */
	succeeded(): Promise<void>;
	/** Neither (e.g. the input was not even well-formed); only ends the attempt. */
	release(): void;
}

function keyOf({ rule, subject }: ThrottleSubject): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`${rule}\u0000${subject}`)));
}

/**
 * Attempts this process has let through and not yet settled, per key. They count as failures
 * happening now, so a burst of parallel guesses cannot all slip through before the first is counted.
 */
const inFlight = new Map<string, number>();

/**
 * Starts an attempt: refuses with 请 X 秒后再试 (TooManyAttempts) while any subject must wait.
 * One read; nothing is written until the attempt has failed.
 */
export async function beginAttempt(database: Database, subjects: ThrottleSubject[]): Promise<Attempt> {
	const store = throttleStoreOf(database);
	const keyed = subjects.map((s) => ({ ...s, key: keyOf(s), policy: THROTTLE_RULES[s.rule] as ThrottlePolicy }));
	const states = await store.read(keyed.map((k) => k.key));
	const now = clock.now();
	let wait = 0;
	for (const { key, policy } of keyed) {
		let state = states.get(key) ?? null;
		for (let i = inFlight.get(key) ?? 0; i > 0; i--) state = afterFailure(policy, state, now);
		wait = Math.max(wait, waitMs(policy, state, now));
	}
	if (wait > 0) throw new TooManyAttempts(waitMessage(wait));
	for (const { key } of keyed) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
	let settled = false;
	const release = () => {
		if (settled) return;
		settled = true;
		for (const { key } of keyed) {
			const left = (inFlight.get(key) ?? 1) - 1;
			if (left > 0) inFlight.set(key, left);
			else inFlight.delete(key);
		}
	};
	return {
		async failed() {
			if (settled) return;
			try {
				const at = clock.now();
				await Promise.all(keyed.map(({ key, policy }) => store.recordFailure(key, policy, at)));
			} finally {
				release();
			}
		},
		async succeeded() {
			if (settled) return;
			try {
				const forgiven = keyed.filter((k) => FORGIVEN_ON_SUCCESS.has(k.rule) && states.has(k.key)).map((k) => k.key);
				await store.clear(forgiven);
			} finally {
				release();
			}
		},
		release
	};
}

/** A throttled call: `run` settles the attempt (failed/succeeded); if it throws without settling, the attempt is released. */
export async function throttled<T>(database: Database, subjects: ThrottleSubject[], run: (attempt: Attempt) => Promise<T>): Promise<T> {
	const attempt = await beginAttempt(database, subjects);
	try {
		return await run(attempt);
	} finally {
		attempt.release();
	}
}
