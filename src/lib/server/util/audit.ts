import type { Tx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';
import { clock } from './clock.ts';

/** Appends one audit row inside the caller's write, so the action and its trace commit together. */
export async function audit(
	tx: Tx,
	entry: { actorId: string | null; action: string; subjectType: string; subjectId: string; detail?: unknown }
): Promise<void> {
	await tx.insert(auditLog).values({
		at: clock.now(),
		actorId: entry.actorId,
		action: entry.action,
		subjectType: entry.subjectType,
		subjectId: entry.subjectId,
		detail: JSON.stringify(entry.detail ?? {})
	});
}

const AUDIT_SQL = 'INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail) VALUES (?, ?, ?, ?, ?, ?)';

/** The same row as `audit`, as a statement for a write that runs its statements as one batch (voting/repository.ts). */
export function auditStatement(entry: {
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string;
	detail?: unknown;
}): {
	sql: string;
	args: (string | number | null)[];
} {
	return {
		sql: AUDIT_SQL,
		args: [clock.now(), entry.actorId, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.detail ?? {})]
	};
}
