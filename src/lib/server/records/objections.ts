/**
 * 异议: during the dispute window a verified owner or resident of a participating compound files
 * an objection; the 居委 answers it publicly. Neither is edited afterwards: one answer per
 * objection, enforced by the answers table's primary key.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { formatDate } from '../../i18n/format.ts';
import { m } from '../../paraglide/messages.js';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { recordObjectionAnswers, recordObjections } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, refuseDuplicate } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { compoundIdsOf, documentOf, latestVersion, loadRecord, requireMember, requirePublisher } from './common.ts';

const MIN_LENGTH = 5;
const MAX_LENGTH = 2000;

function body(text: unknown, what: string): string {
	const value = typeof text === 'string' ? text.trim().replace(/\r\n?/g, '\n') : '';
	if (value.length < MIN_LENGTH)
		throw new InvalidInput(m.records_error_too_short({ what, min: MIN_LENGTH }), { text: m.records_error_field_too_short() });
	if (value.length > MAX_LENGTH)
		throw new InvalidInput(m.records_error_too_long({ what, max: MAX_LENGTH }), { text: m.records_error_field_too_long() });
	return value;
}

/** 提出异议: only on the current preliminary record, only while its window is open. */
export async function fileObjection(
	database: Database,
	actor: Actor | null,
	input: { recordId: string; text: string }
): Promise<{ objectionId: string }> {
	const record = await loadRecord(database.db, String(input.recordId ?? ''));
	const member = await requireMember(database, actor, 'record.object', compoundIdsOf(record));
	const latest = await latestVersion(database.db, record.itemId);
	if (latest.id !== record.id) throw new RuleBroken(m.records_error_superseded(), 'superseded');
	if (documentOf(record).stage !== 'preliminary' || record.disputeEndsAt === null)
		throw new RuleBroken(m.records_error_final_published(), 'window_closed');
	const now = clock.now();
	if (now >= record.disputeEndsAt)
		throw new RuleBroken(m.records_error_window_ended({ date: formatDate(record.disputeEndsAt - 1) }), 'window_closed');
	const text = body(input.text, m.records_error_what_objection());
	const objectionId = newId();
	await database.write(async (tx) => {
		await tx.insert(recordObjections).values({
			id: objectionId,
			itemId: record.itemId,
			recordId: record.id,
			compoundId: member.compoundId,
			relation: member.relation,
			filedBy: actor!.userId,
			body: text,
			filedAt: now
		});
		await audit(tx, {
			actorId: actor!.userId,
			action: 'record.object',
			subjectType: 'outcome_record',
			subjectId: record.id,
			detail: { objectionId }
		});
	});
	return { objectionId };
}

/** 答复异议: public, by the 居委 that published the record. */
export async function answerObjection(database: Database, actor: Actor, input: { objectionId: string; text: string }): Promise<void> {
	const [objection] = await database.db
		.select()
		.from(recordObjections)
		.where(eq(recordObjections.id, String(input.objectionId ?? '')))
		.limit(1);
	if (!objection) throw new NotFound(m.records_error_no_objection());
	const record = await loadRecord(database.db, objection.recordId);
	requirePublisher(actor, await compoundScopes(database, compoundIdsOf(record)));
	const text = body(input.text, m.records_error_what_answer());
	await refuseDuplicate(
		database.write(async (tx) => {
			await tx
				.insert(recordObjectionAnswers)
				.values({ objectionId: objection.id, body: text, answeredBy: actor.userId, answeredAt: clock.now() });
			await audit(tx, {
				actorId: actor.userId,
				action: 'record.answer',
				subjectType: 'outcome_record',
				subjectId: record.id,
				detail: { objectionId: objection.id }
			});
		}),
		new RuleBroken(m.records_error_already_answered())
	);
}
