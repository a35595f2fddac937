/**
 * The embedded (`file:`) libSQL client of Yishi: the `Client` interface of @libsql/client, over
 * the same native `libsql` binding, with prepared statements kept and reused.
 *
 * Why: @libsql/client prepares every statement anew and builds every row with one
 * `Object.defineProperty` per value. On a ballot (about a dozen statements) that was a third of
 * the server's CPU; a kept statement costs a fifth of a fresh one (tests/bench/REPORT.md, notes).
 *
 * Measured again for issue #18 (tests/bench/embedded-client.ts, @libsql/client 0.18.0, one WAL
 * file, December 2026, a shared 2-core machine under load ~20, so absolute times are high):
 *   keyed read, raw SQL       217.6 µs → 52.2 µs   (4.2×)
 *   keyed read, drizzle       566.6 µs → 260 µs    (2.2×)
 *   100-row read               2289 µs → 1071 µs   (2.1×)
 *   12-statement write tx      6408 µs → 6400 µs   (1.0×: the COMMIT's fsync dominates)
 * Reads, which every page and every access check makes, stay two to four times cheaper, so the
 * client stays. Writes gain nothing in time; what they gain is BEGIN through sqlite3_exec (a BUSY
 * refusal leaves no statement pending, so the writer keeps its connection and statements).
 *
 * What stays the same, so drizzle and every caller see no difference (tests/integration/db/
 * embedded-client.test.ts holds each point against @libsql/client itself):
 * - rows are objects with the column names as enumerable properties, plus non-enumerable index
 *   properties and `length` (drizzle reads rows by index; raw SQL callers by name);
 * - integers come back as numbers, and one beyond 2^53 is a RangeError, never a rounded value;
 *   blobs come back as ArrayBuffer;
 * - errors are LibsqlError with the base code (SQLITE_BUSY, SQLITE_CONSTRAINT…), the extended
 *   code and the raw code; a batch failure is a LibsqlBatchError naming the statement;
 * - `batch` is one transaction; `transaction(mode)` holds a connection of its own until it ends,
 *   so other statements of the client never see or join it.
 *
 * Other URLs: a local file with options (file:…?…) or :memory: uses @libsql/client; a libSQL server is refused (see openClient).
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import {
	createClient,
	LibsqlBatchError,
	LibsqlError,
	type Client,
	type InArgs,
	type InStatement,
	type InValue,
	type ResultSet,
	type Row,
	type Transaction,
	type TransactionMode,
	type Value
} from '@libsql/client';

/** The parts of the native binding (package `libsql`, which @libsql/client itself uses) read here. */
interface NativeStatement {
	readonly reader: boolean;
	raw(toggle?: boolean): NativeStatement;
	safeIntegers(toggle?: boolean): NativeStatement;
	columns(): { name: string; type: string | null }[];
	all(args: unknown): unknown[][];
	run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}
interface NativeDatabase {
	readonly open: boolean;
	readonly inTransaction: boolean;
	prepare(sql: string): NativeStatement;
	exec(sql: string): void;
	close(): void;
}
type NativeError = Error & { code: string; rawCode?: number };
interface NativeModule {
	new (path: string, options: { timeout?: number }): NativeDatabase;
	SqliteError: new (...args: never[]) => NativeError;
}

// CommonJS without type declarations; loaded the way @libsql/client loads it.
const Native = createRequire(import.meta.url)('libsql') as NativeModule;

/** Statements longer than this (multi-row inserts of an import, long IN lists) are not kept: each is unique. */
const MAX_KEPT_SQL_LENGTH = 2_000;
/** Kept statements per connection. The app has a few hundred distinct statements. */
const MAX_KEPT_STATEMENTS = 512;

export interface EmbeddedOptions {
	/** Native busy timeout in milliseconds (as @libsql/client's `timeout`). */
	timeout?: number;
}

/**
 * A `file:` URL to a path, or null when the URL is not an embedded file this client serves
 * (a libSQL server, or an in-memory database, which exists only on the connection that made it).
 */
export function embeddedPath(url: string): string | null {
	if (!url.startsWith('file:')) return null;
	let rest = url.slice('file:'.length);
	const query = rest.indexOf('?');
	if (query !== -1) return null; // options in the URL: leave them to @libsql/client
	if (rest.startsWith('//')) {
		const slash = rest.indexOf('/', 2);
		const host = rest.slice(2, slash === -1 ? undefined : slash).toLowerCase();
		if (host !== '' && host !== 'localhost') return null;
		rest = slash === -1 ? '' : rest.slice(slash);
	}
	if (rest === '' || rest === ':memory:' || rest.startsWith(':memory:')) return null;
	return resolve(decodeURIComponent(rest));
}

/** The client for `url`: the embedded client for a `file:` database, @libsql/client otherwise. */
export function openClient(url: string, options: EmbeddedOptions & { concurrency?: number } = {}): Client {
	const path = embeddedPath(url);
	if (path !== null) return new EmbeddedClient(path, { timeout: options.timeout });
	// A local file with options in the URL (file:…?…) goes to @libsql/client as before. A libSQL
	// server (libsql://, http(s)://, ws(s)://) is refused: that path could not be tested here, and
	// an untested path to the votes is worse than none (README, "Database beyond one machine").
	if (!url.startsWith('file:')) throw new Error(REMOTE_REFUSED);
	return createClient({ url, timeout: options.timeout, concurrency: options.concurrency });
}

/** Why a libSQL server URL is refused (DATABASE_URL). */
export const REMOTE_REFUSED =
	'DATABASE_URL 只支持本机数据库文件（file:…）。libSQL 服务器（libsql://、http://）在这里无法测试，暂不支持；多台机器的部署方式见 README。';

// ── values ──────────────────────────────────────────────────────────────────

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -9223372036854775808n;
const MAX_INT64 = 9223372036854775807n;

function valueToSql(value: InValue): unknown {
	switch (typeof value) {
		case 'string':
			return value;
		case 'number':
			if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
			return value;
		case 'bigint':
			if (value < MIN_INT64 || value > MAX_INT64)
				throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
			return value;
		case 'boolean':
			return value ? 1 : 0;
		case 'undefined':
			throw new TypeError('undefined cannot be passed as argument to the database');
	}
	if (value instanceof ArrayBuffer) return Buffer.from(value);
	if (value instanceof Date) return value.valueOf();
	return value;
}

function argsToSql(args: InArgs | undefined): unknown {
	if (args === undefined) return [];
	if (Array.isArray(args)) {
		const out = new Array(args.length);
		for (let i = 0; i < args.length; i++) out[i] = valueToSql(args[i]);
		return out;
	}
	const named: Record<string, unknown> = {};
	for (const name in args) {
		const key = name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.slice(1) : name;
		named[key] = valueToSql(args[name]);
	}
	return named;
}

function valueFromSql(value: unknown): Value {
	if (typeof value === 'bigint') {
		if (value < MIN_SAFE || value > MAX_SAFE)
			throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
		return Number(value);
	}
	if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
	return value as Value;
}

// ── rows ────────────────────────────────────────────────────────────────────

/**
 * Builds the rows of one statement's result shape. Column names become own enumerable properties
 * (the first of equal names wins, as in @libsql/client); indexes and `length` are read through
 * the prototype, so they are neither enumerable nor copied by a spread. Names that would clash
 * with those ("length", "0", "__proto__") take the slower path of one property per value.
 */
type RowMaker = (values: Value[]) => Row;

const ROW_VALUES = Symbol('values');

function rowMaker(columns: string[]): RowMaker {
	const seen = new Set<string>();
	const named: [string, number][] = [];
	let plain = true;
	columns.forEach((name, i) => {
		if (seen.has(name)) return;
		seen.add(name);
		named.push([name, i]);
		if (name === 'length' || name === '__proto__' || String(Number(name)) === name) plain = false;
	});
	if (!plain) return (values) => slowRow(values, columns);
	const proto: object = Object.create(Object.prototype);
	Object.defineProperty(proto, 'length', { value: columns.length });
	for (let i = 0; i < columns.length; i++) {
		Object.defineProperty(proto, i, {
			get(this: { [ROW_VALUES]: Value[] }) {
				return this[ROW_VALUES][i];
			}
		});
	}
	return (values) => {
		const row = Object.create(proto) as Record<string | symbol, unknown>;
		// Non-enumerable: Object.keys, JSON and spreads see the column names only.
		Object.defineProperty(row, ROW_VALUES, { value: values });
		for (let k = 0; k < named.length; k++) row[named[k][0]] = values[named[k][1]];
		return row as unknown as Row;
	};
}

function slowRow(values: Value[], columns: string[]): Row {
	const row: Record<string | number, unknown> = {};
	Object.defineProperty(row, 'length', { value: values.length });
	for (let i = 0; i < values.length; i++) {
		Object.defineProperty(row, i, { value: values[i] });
		const name = columns[i];
		if (!Object.hasOwn(row, name))
			Object.defineProperty(row, name, { value: values[i], enumerable: true, configurable: true, writable: true });
	}
	return row as unknown as Row;
}

function resultSet(
	columns: string[],
	columnTypes: string[],
	rows: Row[],
	rowsAffected: number,
	lastInsertRowid: bigint | undefined
): ResultSet {
	return {
		columns,
		columnTypes,
		rows,
		rowsAffected,
		lastInsertRowid,
		toJSON() {
			return {
				columns,
				columnTypes,
				rows: rows.map((row) =>
					Array.prototype.map.call(row, (v: Value) =>
						typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v
					)
				),
				rowsAffected,
				lastInsertRowid: lastInsertRowid !== undefined ? String(lastInsertRowid) : null
			};
		}
	};
}

// ── errors ──────────────────────────────────────────────────────────────────

const BASE_CODES: Record<number, string> = {
	1: 'SQLITE_ERROR',
	2: 'SQLITE_INTERNAL',
	3: 'SQLITE_PERM',
	4: 'SQLITE_ABORT',
	5: 'SQLITE_BUSY',
	6: 'SQLITE_LOCKED',
	7: 'SQLITE_NOMEM',
	8: 'SQLITE_READONLY',
	9: 'SQLITE_INTERRUPT',
	10: 'SQLITE_IOERR',
	11: 'SQLITE_CORRUPT',
	12: 'SQLITE_NOTFOUND',
	13: 'SQLITE_FULL',
	14: 'SQLITE_CANTOPEN',
	15: 'SQLITE_PROTOCOL',
	16: 'SQLITE_EMPTY',
	17: 'SQLITE_SCHEMA',
	18: 'SQLITE_TOOBIG',
	19: 'SQLITE_CONSTRAINT',
	20: 'SQLITE_MISMATCH',
	21: 'SQLITE_MISUSE',
	22: 'SQLITE_NOLFS',
	23: 'SQLITE_AUTH',
	24: 'SQLITE_FORMAT',
	25: 'SQLITE_RANGE',
	26: 'SQLITE_NOTADB',
	27: 'SQLITE_NOTICE',
	28: 'SQLITE_WARNING'
};

/** The native error as @libsql/client reports it: LibsqlError(base code, extended code, raw code, cause). */
function mapError(error: unknown): unknown {
	if (!(error instanceof Native.SqliteError)) return error;
	const raw = error.rawCode;
	const code = raw === undefined ? 'SQLITE_UNKNOWN' : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
	return new LibsqlError(error.message, code, error.code, raw, error);
}

function batchError(error: unknown, index: number): unknown {
	if (error instanceof LibsqlBatchError) return error;
	if (error instanceof LibsqlError)
		return new LibsqlBatchError(
			error.message,
			index,
			error.code,
			error.extendedCode,
			error.rawCode,
			error.cause instanceof Error ? error.cause : undefined
		);
	return error;
}

// ── one connection ──────────────────────────────────────────────────────────

interface Kept {
	statement: NativeStatement;
	reader: boolean;
	columns: string[];
	columnTypes: string[];
	makeRow: RowMaker | null;
}

const DDL = /^\s*(create|alter|drop)\b/i;

class Connection {
	readonly native: NativeDatabase;
	readonly #kept = new Map<string, Kept>();
	/** Set when a statement failed on a lock and may still be in progress: the connection is not reused. */
	broken = false;

	constructor(path: string, options: EmbeddedOptions) {
		try {
			this.native = new Native(path, { timeout: options.timeout });
		} catch (error) {
			throw mapError(error);
		}
	}

	#statement(sql: string): Kept {
		const hit = this.#kept.get(sql);
		if (hit) return hit;
		const statement = this.native.prepare(sql);
		const reader = statement.reader;
		const kept: Kept = { statement, reader, columns: [], columnTypes: [], makeRow: null };
		if (reader) {
			statement.raw(true);
			statement.safeIntegers(true);
			this.#describe(kept);
		}
		if (sql.length <= MAX_KEPT_SQL_LENGTH) {
			if (this.#kept.size >= MAX_KEPT_STATEMENTS) this.#kept.delete(this.#kept.keys().next().value!);
			this.#kept.set(sql, kept);
		}
		return kept;
	}

	#describe(kept: Kept): void {
		const columns = kept.statement.columns();
		kept.columns = columns.map((c) => c.name);
		kept.columnTypes = columns.map((c) => c.type ?? '');
		kept.makeRow = rowMaker(kept.columns);
	}

	execute(stmt: InStatement | [string, InArgs?]): ResultSet {
		const sql = typeof stmt === 'string' ? stmt : Array.isArray(stmt) ? stmt[0] : stmt.sql;
		const args = typeof stmt === 'string' ? [] : argsToSql(Array.isArray(stmt) ? stmt[1] : stmt.args);
		try {
			const kept = this.#statement(sql);
			if (kept.reader) {
				const raw = kept.statement.all(args);
				// The schema changed under a kept statement (SQLite re-prepared it): describe it again.
				if (raw.length > 0 && raw[0].length !== kept.columns.length) this.#describe(kept);
				const rows = new Array<Row>(raw.length);
				for (let r = 0; r < raw.length; r++) {
					const values = raw[r] as Value[];
					for (let i = 0; i < values.length; i++) {
						const v = values[i];
						if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) values[i] = valueFromSql(v);
					}
					rows[r] = kept.makeRow!(values);
				}
				return resultSet(kept.columns, kept.columnTypes, rows, 0, undefined);
			}
			const info = kept.statement.run(args);
			if (DDL.test(sql)) this.#kept.clear();
			return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
		} catch (error) {
			this.#kept.delete(sql);
			const mapped = mapError(error);
			// A statement that failed on a lock (BUSY, LOCKED) stays "in progress" inside SQLite
			// until it is reset, which this binding only does by running it again, and until then
			// no COMMIT or RELEASE can pass on this connection. The connection is replaced instead.
			if (isLockError(mapped)) this.broken = true;
			throw mapped;
		}
	}

	/**
	 * Transaction control (BEGIN, COMMIT, ROLLBACK, PRAGMA) through sqlite3_exec, which finalizes
	 * its statement even when it fails: a BEGIN IMMEDIATE refused with BUSY while another process
	 * writes leaves nothing behind, and the next attempt on the same connection is clean.
	 */
	control(sql: string): void {
		try {
			this.native.exec(sql);
		} catch (error) {
			throw mapError(error);
		}
	}

	executeMultiple(sql: string): void {
		try {
			this.native.exec(sql);
		} catch (error) {
			throw mapError(error);
		} finally {
			this.#kept.clear();
		}
	}

	rollbackIfOpen(): void {
		if (this.native.open && this.native.inTransaction) this.control('ROLLBACK');
	}

	close(): void {
		this.#kept.clear();
		try {
			if (this.native.open) this.native.close();
		} catch {
			// nothing useful to do while tearing down
		}
	}
}

function isLockError(error: unknown): boolean {
	const raw = (error as { rawCode?: number }).rawCode;
	return raw !== undefined && ((raw & 0xff) === 5 || (raw & 0xff) === 6);
}

function beginStatement(mode: TransactionMode): string {
	if (mode === 'write') return 'BEGIN IMMEDIATE';
	if (mode === 'read') return 'BEGIN TRANSACTION READONLY';
	if (mode === 'deferred') return 'BEGIN DEFERRED';
	throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}

/** BEGIN, every statement (a failure names its index), COMMIT; the caller rolls back what is left open. */
function runAll(connection: Connection, begin: string, stmts: Array<InStatement | [string, InArgs?]>): ResultSet[] {
	connection.control(begin);
	const results: ResultSet[] = [];
	for (let i = 0; i < stmts.length; i++) {
		if (!connection.native.inTransaction) throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
		try {
			results.push(connection.execute(stmts[i]));
		} catch (error) {
			throw batchError(error, i);
		}
	}
	connection.control('COMMIT');
	return results;
}

// ── client ──────────────────────────────────────────────────────────────────

export class EmbeddedClient implements Client {
	closed = false;
	protocol = 'file';
	readonly #path: string;
	readonly #options: EmbeddedOptions;
	/** Connections not held by a transaction; statements run on the first. All calls are synchronous underneath. */
	#free: Connection[] = [];
	readonly #held = new Set<Connection>();

	constructor(path: string, options: EmbeddedOptions = {}) {
		this.#path = path;
		this.#options = options;
		// Fail at once when the file cannot be opened, as @libsql/client does.
		const first = new Connection(path, options);
		try {
			first.execute('SELECT 1');
		} catch (error) {
			first.close();
			throw error;
		}
		this.#free.push(first);
	}

	#connection(): Connection {
		if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
		while (this.#free.length > 0 && this.#free[0].broken) this.#free.shift()!.close();
		if (this.#free.length === 0) this.#free.push(new Connection(this.#path, this.#options));
		return this.#free[0];
	}

	async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
		const stmt: InStatement = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
		return this.#connection().execute(stmt);
	}

	async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
		const connection = this.#connection();
		try {
			return runAll(connection, beginStatement(mode), stmts);
		} finally {
			connection.rollbackIfOpen();
		}
	}

	async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
		const connection = this.#connection();
		connection.control('PRAGMA foreign_keys=off');
		try {
			return runAll(connection, 'BEGIN DEFERRED', stmts);
		} finally {
			connection.rollbackIfOpen();
			connection.control('PRAGMA foreign_keys=on');
		}
	}

	async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
		const connection = this.#connection();
		// Held until the transaction ends: the client's other statements go to another connection.
		this.#free.shift();
		this.#held.add(connection);
		try {
			connection.control(beginStatement(mode));
		} catch (error) {
			this.#release(connection);
			throw error;
		}
		return new EmbeddedTransaction(connection, (c) => this.#release(c));
	}

	#release(connection: Connection): void {
		this.#held.delete(connection);
		if (this.closed || !connection.native.open || connection.broken) {
			connection.close();
			return;
		}
		try {
			connection.rollbackIfOpen();
		} catch {
			connection.close();
			return;
		}
		this.#free.push(connection);
	}

	async executeMultiple(sql: string): Promise<void> {
		const connection = this.#connection();
		try {
			connection.executeMultiple(sql);
		} finally {
			connection.rollbackIfOpen();
		}
	}

	async sync(): Promise<undefined> {
		return undefined;
	}

	reconnect(): void {
		for (const connection of this.#free) connection.close();
		this.#free = [];
		this.closed = false;
	}

	close(): void {
		this.closed = true;
		for (const connection of [...this.#free, ...this.#held]) connection.close();
		this.#free = [];
		this.#held.clear();
	}
}

class EmbeddedTransaction implements Transaction {
	#connection: Connection | null;
	readonly #release: (connection: Connection) => void;

	constructor(connection: Connection, release: (connection: Connection) => void) {
		this.#connection = connection;
		this.#release = release;
	}

	get closed(): boolean {
		const c = this.#connection;
		return c === null || !c.native.open || !c.native.inTransaction;
	}

	#open(): Connection {
		if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
		return this.#connection!;
	}

	#settle(): void {
		const c = this.#connection;
		if (c === null) return;
		this.#connection = null;
		this.#release(c);
	}

	async execute(stmt: InStatement): Promise<ResultSet> {
		return this.#open().execute(stmt);
	}

	async batch(stmts: InStatement[]): Promise<ResultSet[]> {
		const results: ResultSet[] = [];
		for (let i = 0; i < stmts.length; i++) {
			try {
				results.push(this.#open().execute(stmts[i]));
			} catch (error) {
				throw batchError(error, i);
			}
		}
		return results;
	}

	async executeMultiple(sql: string): Promise<void> {
		this.#open().executeMultiple(sql);
	}

	async rollback(): Promise<void> {
		const c = this.#connection;
		try {
			if (c !== null && c.native.open && c.native.inTransaction) c.control('ROLLBACK');
		} finally {
			this.#settle();
		}
	}

	async commit(): Promise<void> {
		try {
			this.#open().control('COMMIT');
		} finally {
			this.#settle();
		}
	}

	close(): void {
		try {
			const c = this.#connection;
			if (c !== null && c.native.open && c.native.inTransaction) c.control('ROLLBACK');
		} finally {
			this.#settle();
		}
	}
}
