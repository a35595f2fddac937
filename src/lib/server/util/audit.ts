import type { Tx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';
import type { DomainError } from '../errors.ts';
import { clock } from './clock.ts';

export interface AuditEntry {
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string;
	detail?: unknown;
}

/** Appends one audit row inside the caller's write, so the action and its trace commit together. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
	await tx.insert(auditLog).values({
		at: clock.now(),
		actorId: entry.actorId,
		action: entry.action,
		subjectType: entry.subjectType,
		subjectId: entry.subjectId,
		detail: JSON.stringify(entry.detail ?? {})
	});
}

/**
 * A change that happens once (publish, withdraw, revoke, open, close) and its audit row. The update's WHERE names
 * the state the change needs (`isNull(withdrawnAt)`…) and it returns the rows it changed: when two people act at
 * once only one of them changes the row; the other changed nothing, gets `refusal`, and no audit row is written.
 */
export async function changeOnce(tx: Tx, update: PromiseLike<readonly unknown[]>, refusal: DomainError, entry: AuditEntry): Promise<void> {
	const changed = await update;
	if (changed.length === 0) throw refusal;
	await audit(tx, entry);
}

const AUDIT_SQL = 'INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail) VALUES (?, ?, ?, ?, ?, ?)';

/** The same row as `audit`, as a statement for a write that runs its statements as one batch (voting/repository.ts). */
export function auditStatement(entry: AuditEntry): { sql: string; args: (string | number | null)[] } {
	return {
		sql: AUDIT_SQL,
		args: [clock.now(), entry.actorId, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.detail ?? {})]
	};
}
