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
