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
