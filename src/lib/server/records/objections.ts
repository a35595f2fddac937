/**
 * 异议: during the dispute window a verified owner or resident of a participating compound files
 * an objection; the 居委 answers it publicly. Neither is edited afterwards: one answer per
 * objection, enforced by the answers table's primary key.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { formatDate } from '../../domain/time/china-date.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { recordObjectionAnswers, recordObjections } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { compoundIdsOf, documentOf, latestVersion, loadRecord, requireMember, requirePublisher } from './common.ts';

const MIN_LENGTH = 5;
const MAX_LENGTH = 2000;

function body(text: unknown, what: string): string {
	const value = typeof text === 'string' ? text.trim().replace(/\r\n?/g, '\n') : '';
	if (value.length < MIN_LENGTH) throw new InvalidInput(`请写明${what}（至少 ${MIN_LENGTH} 个字）`, { text: '太短了' });
	if (value.length > MAX_LENGTH) throw new InvalidInput(`${what}不能超过 ${MAX_LENGTH} 字`, { text: '太长了' });
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
	if (latest.id !== record.id) throw new RuleBroken('这一版公示已被新版本取代，请在最新版本上提出异议', 'superseded');
	if (documentOf(record).stage !== 'preliminary' || record.disputeEndsAt === null)
		throw new RuleBroken('正式公告已经发布，询异期已结束', 'window_closed');
	const now = clock.now();
	if (now >= record.disputeEndsAt) throw new RuleBroken(`询异期已于${formatDate(record.disputeEndsAt - 1)}结束`, 'window_closed');
	const text = body(input.text, '异议内容');
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
	if (!objection) throw new NotFound('没有找到这条异议');
	const record = await loadRecord(database.db, objection.recordId);
	requirePublisher(actor, await compoundScopes(database, compoundIdsOf(record)));
	const text = body(input.text, '答复内容');
	try {
		await database.write(async (tx) => {
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
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw new RuleBroken('这条异议已经答复过了');
		throw error;
	}
}
