import { AsyncResource } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
	task: (tx: Tx) => Promise<unknown>;
	immediate: boolean;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

const MAX_BATCH = 256;
/**
 * Group commit under load: when a commit ended less than BUSY_GAP_MS ago and fewer than
 * GATHER_ENOUGH tasks wait, the next group waits GATHER_MS for more. Measured with two app
 * processes on one file (tests/bench/REPORT.md, notes): 2 ms gave 1,587–1,770 ballots/s over HTTP
 * against 1,067–1,389 without.
 */
const GATHER_MS = 2;
const GATHER_ENOUGH = 32;
const BUSY_GAP_MS = 5;
/**
 * How long a batch keeps retrying BUSY before its tasks fail. Time, not a count of tries: the
 * retries are short (a few ms, so the lock is taken soon after the other process commits), and
 * under a long burst from another process a count would run out in well under a second.
 */
const BUSY_RETRY_BUDGET_MS = 12_000;

/** True for SQLite's "database is locked/busy" family, raised when another process holds the write lock. */
export function isBusyError(error: unknown): boolean {
	const e = error as { code?: string; rawCode?: number; message?: string; cause?: unknown } | null;
	if (!e) return false;
	if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED' || e.rawCode === 5 || e.rawCode === 6) return true;
	if (typeof e.message === 'string' && /database is (locked|busy)|SQLITE_BUSY/i.test(e.message)) return true;
	return e.cause !== undefined && e.cause !== error && isBusyError(e.cause);
}

const SAVEPOINT = { sql: 'SAVEPOINT task', args: [] };
const RELEASE = { sql: 'RELEASE task', args: [] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the write transactions this process has finished (committed or not). Short-lived read
 * caches (the public record page, the demo flag) remember the epoch they were filled at and are
 * dropped as soon as it moves, so a write in this process is never hidden by its own cache; writes
 * of other processes are bounded by each cache's lifetime instead.
 */
// On globalThis, like the database itself: the Node entry and the SvelteKit bundle each load their
// own copy of this module, and the queue that commits lives in whichever opened the database.
const EPOCH_KEY = Symbol.for('yishi.writeEpoch');
const epochHolder = ((globalThis as Record<symbol, unknown>)[EPOCH_KEY] ??= { value: 0 }) as { value: number };
export function writeEpoch(): number {
	return epochHolder.value;
}

/** The statement runner of an open libSQL transaction (what `execute`/`batch` run on). */
export interface RawTx {
	batch(stmts: { sql: string; args: (string | number | null)[] }[]): Promise<{ rows: Record<string, unknown>[]; rowsAffected: number }[]>;
}

/**
 * The libSQL transaction under a drizzle write handle, or null. Its `batch` runs a precomputed list
 * of statements back to back on the connection, synchronously, so no other request's work runs
 * between them while this process holds the write lock (each awaited drizzle statement yields to
 * the event loop, and whatever runs then lengthens the lock). Only valid inside `write`.
 */
export function rawTx(tx: Tx): RawTx | null {
	const raw = (tx as unknown as { session?: { tx?: unknown } }).session?.tx as RawTx | undefined;
	return raw && typeof raw.batch === 'function' ? raw : null;
}

/**
 * Serialises every write of this process into one stream of `BEGIN IMMEDIATE` transactions.
 *
 * Invariants:
 * - at most one write transaction of this process is open at any time, so this process never
 *   races itself for the lock (the SQLITE_BUSY storms of concurrent libSQL transactions);
 * - a task's promise settles only after the COMMIT that contains it (or after its savepoint was
 *   rolled back), so "acknowledged" means "on disk";
 * - BUSY from another process is retried here with backoff, never shown to a user as a 500.
 */
export class WriteQueue {
	#pending: Pending[] = [];
	#running = false;
	#lastCommitEnd = -Infinity;

	/**
	 * @param connect opens the handle tasks write through: for an embedded file a dedicated
	 *                connection (with its own kept statements), for a libSQL server the shared client.
	 */
	#db: Db | null = null;
	#close: (() => void) | null = null;

	constructor(private readonly connect: () => Promise<{ db: Db; close: () => void }>) {}

	async #handle(): Promise<Db> {
		if (!this.#db) {
			const opened = await this.connect();
			this.#db = opened.db;
			this.#close = opened.close;
		}
		return this.#db;
	}

	close(): void {
		this.#close?.();
		this.#db = null;
		this.#close = null;
	}

	/** `immediate`: this task does not wait for a group to gather (see GATHER_MS). */
	push<T>(task: (tx: Tx) => Promise<T>, immediate = false): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			// The task runs on the queue's loop, started by whichever caller came first: bound to its own caller's
			// async context, it keeps that request's language (and anything else the request carries).
			this.#pending.push({ task: AsyncResource.bind(task), immediate, resolve: resolve as (v: unknown) => void, reject });
			if (!this.#running) void this.#drain();
		});
	}

	async #drain(): Promise<void> {
		this.#running = true;
		try {
			while (this.#pending.length > 0) {
				// Under load (the previous commit just ended), wait a moment so the requests already
				// on their way join this group: one durable COMMIT (an fsync that blocks this thread)
				// then serves more of them. An idle server commits at once.
				if (
					this.#pending.length < GATHER_ENOUGH &&
					performance.now() - this.#lastCommitEnd < BUSY_GAP_MS &&
					!this.#pending.some((p) => p.immediate)
				)
					await sleep(GATHER_MS);
				const batch = this.#pending.splice(0, MAX_BATCH);
				await this.#commit(batch);
				this.#lastCommitEnd = performance.now();
			}
		} finally {
			this.#running = false;
		}
	}

	async #commit(batch: Pending[]): Promise<void> {
		const giveUpAt = Date.now() + BUSY_RETRY_BUDGET_MS;
		for (let attempt = 0; ; attempt++) {
			let outcomes: Outcome[];
			try {
				outcomes = await this.#run(batch);
			} catch (error) {
				epochHolder.value++;
				if (isBusyError(error) && Date.now() < giveUpAt) {
					// Another process holds the lock; nothing of this batch was committed. Tasks
					// queued meanwhile join the next attempt's group (up to MAX_BATCH), so a
					// wait for the lock turns into a larger group commit rather than lost time.
					// The connection stays: the embedded client begins with sqlite3_exec, which
					// leaves nothing pending when refused, and replaces a connection itself when a
					// statement was refused on a lock (embedded-client.ts).
					await sleep(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
					while (batch.length < MAX_BATCH && this.#pending.length > 0) batch.push(this.#pending.shift()!);
					continue;
				}
				for (const item of batch) item.reject(error);
				return;
			}
			// Before any task's promise settles: a caller that reads after its write sees a new epoch.
			epochHolder.value++;
			batch.forEach((item, i) => {
				const outcome = outcomes[i];
				if (outcome.ok) item.resolve(outcome.value);
				else item.reject(outcome.error);
			});
			return;
		}
	}

	async #run(batch: Pending[]): Promise<Outcome[]> {
		const outcomes: Outcome[] = [];
		// The first error that ended the transaction: libSQL may report a rollback of an already
		// closed transaction instead, which would hide the cause (e.g. SQLITE_FULL).
		let fatal: unknown = undefined;
		try {
			await this.#transact(batch, outcomes, (error) => (fatal ??= error));
		} catch (error) {
			throw fatal ?? error;
		}
		return outcomes;
	}

	async #transact(batch: Pending[], outcomes: Outcome[], onFatal: (error: unknown) => void): Promise<void> {
		await (
			await this.#handle()
		).transaction(async (tx) => {
			for (const item of batch) {
				// Each task gets a savepoint: its failure rolls back only its own changes.
				const raw = rawTx(tx as unknown as Tx);
				if (raw) await raw.batch([SAVEPOINT]);
				else await tx.run(sql.raw('SAVEPOINT task'));
				try {
					const value = await item.task(tx as unknown as Tx);
					if (raw) await raw.batch([RELEASE]);
					else await tx.run(sql.raw('RELEASE task'));
					outcomes.push({ ok: true, value });
				} catch (error) {
					if (isBusyError(error)) {
						onFatal(error);
						throw error;
					}
					try {
						await tx.run(sql.raw('ROLLBACK TO task'));
						await tx.run(sql.raw('RELEASE task'));
					} catch {
						// SQLite already rolled the whole transaction back (a full disk, an I/O
						// error): nothing of this batch is committed, so every task fails with the cause.
						onFatal(error);
						throw error;
					}
					outcomes.push({ ok: false, error });
				}
			}
		});
	}
}
