/**
 * 共识: short statements residents answer 同意 / 不同意 / 跳过. Yishi shows the statements a
 * majority in every participating compound supports, and those that divide the compounds.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import {
	CHOICE_LABELS,
	DEFAULT_MIN_ANSWERS,
	groundLabel,
	classifyStatement,
	isStatementChoice,
	leaning,
	type CompoundCounts,
	type GroundClass,
	type StatementChoice
} from '../../domain/deliberation/index.ts';
import type { Database } from '../db/client.ts';
import { rowsForIds } from '../db/where-in.ts';
import { groundStatements, groundVotes } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { charCount, homeIn, nodeNames, parseIds, requirePhase, requireSessionAccess, sessionAudience } from '../agenda/common.ts';
import { remind } from '../notifications/inbox.ts';
import { m } from '../../paraglide/messages.js';

export const MAX_STATEMENT_CHARS = 140;

/** 提出表述: one short sentence others can agree or disagree with. */
export async function addStatement(database: Database, actor: Actor, sessionId: string, text: string): Promise<{ statementId: string }> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'deliberation.participate');
	if (session.agendaPublishedAt === null) throw new RuleBroken(m.delib_ground_after_agenda());
	requirePhase(session, 'statements');
	const clean = (text ?? '').trim();
	if (!clean) throw new InvalidInput(m.delib_ground_write_one(), { text: m.delib_please_fill() });
	if (charCount(clean) > MAX_STATEMENT_CHARS)
		throw new InvalidInput(m.delib_ground_too_long({ max: MAX_STATEMENT_CHARS }), { text: m.delib_too_long() });
	const statementId = newId();
	await database.write(async (tx) => {
		await tx
			.insert(groundStatements)
			.values({ id: statementId, sessionId, text: clean, authorId: actor.userId, createdAt: clock.now() });
		await audit(tx, {
			actorId: actor.userId,
			action: 'ground.statement',
			subjectType: 'session',
			subjectId: sessionId,
			detail: { statementId }
		});
	});
	return { statementId };
}

/**
 * 表态. Counted in the compound of the person's household; someone without a household in the
 * session (staff, facilitator) may read but not answer, so the per-compound figures stay residents'.
 */
export async function voteOnStatement(database: Database, actor: Actor, statementId: string, choice: string): Promise<void> {
	const [statement] = await database.db.select().from(groundStatements).where(eq(groundStatements.id, statementId)).limit(1);
	if (!statement) throw new NotFound(m.delib_no_such_statement());
	const { session } = await requireSessionAccess(database, actor, statement.sessionId, 'deliberation.participate');
	requirePhase(session, 'statements');
	if (!isStatementChoice(choice)) throw new InvalidInput(m.delib_ground_pick());
	const home = homeIn(actor, parseIds(session.compoundIds));
	if (!home) throw new RuleBroken(m.delib_ground_members_only());
	await database.write(async (tx) => {
		await tx
			.insert(groundVotes)
			.values({ statementId, userId: actor.userId, compoundId: home.compoundId, choice, at: clock.now() })
			.onConflictDoUpdate({ target: [groundVotes.statementId, groundVotes.userId], set: { choice, at: clock.now() } });
	});
}

export interface StatementView {
	id: string;
	text: string;
	ground: GroundClass;
	groundLabel: string;
	perCompound: (CompoundCounts & { name: string; leaning: string })[];
	mine: StatementChoice | null;
}

export interface CommonGroundView {
	compounds: { id: string; name: string }[];
	minAnswers: number;
	shared: StatementView[];
	divisive: StatementView[];
	others: StatementView[];
	/** Statements the actor has not answered yet, to answer next. */
	toAnswer: StatementView[];
	may: { add: boolean; answer: boolean };
	/** Why this person sees no form to add or answer (shown instead of one), or null. */
	whyNot: 'not_member' | 'phase' | null;
}

const LEANING_LABELS = { agree: m.delib_leaning_agree, disagree: m.delib_leaning_disagree, none: m.delib_leaning_none } as const;

export async function commonGround(
	database: Database,
	actor: Actor,
	sessionId: string,
	minAnswers = DEFAULT_MIN_ANSWERS
): Promise<CommonGroundView> {
	const { session, target } = await requireSessionAccess(database, actor, sessionId, 'deliberation.participate', 'agenda.manage');
	const participate = decide(actor, 'deliberation.participate', target).allowed;
	const compoundIds = parseIds(session.compoundIds);
	const names = await nodeNames(database.db, compoundIds);
	const statements = await database.db
		.select()
		.from(groundStatements)
		.where(eq(groundStatements.sessionId, sessionId))
		.orderBy(asc(groundStatements.createdAt));
	const votes = await rowsForIds(
		statements.map((s) => s.id),
		(ids) => database.db.select().from(groundVotes).where(inArray(groundVotes.statementId, ids))
	);
	const views: StatementView[] = statements.map((s) => {
		const mineVotes = votes.filter((v) => v.statementId === s.id);
		const counts: CompoundCounts[] = compoundIds.map((id) => {
			const here = mineVotes.filter((v) => v.compoundId === id);
			return {
				compoundId: id,
				agree: here.filter((v) => v.choice === 'agree').length,
				disagree: here.filter((v) => v.choice === 'disagree').length,
				pass: here.filter((v) => v.choice === 'pass').length
			};
		});
		const ground = classifyStatement(compoundIds, counts, minAnswers);
		return {
			id: s.id,
			text: s.text,
			ground,
			groundLabel: groundLabel(ground),
			perCompound: counts.map((c) => ({
				...c,
				name: names.get(c.compoundId)?.name ?? c.compoundId,
				leaning: LEANING_LABELS[leaning(c)]()
			})),
			mine: mineVotes.find((v) => v.userId === actor.userId)?.choice ?? null
		};
	});
	const open = ['deliberation', 'drafting'].includes(session.phase);
	const answerable =
		participate &&
		homeIn(actor, compoundIds) !== null &&
		session.phase !== 'agenda' &&
		['deliberation', 'drafting'].includes(session.phase);
	return {
		compounds: compoundIds.map((id) => ({ id, name: names.get(id)?.name ?? id })),
		minAnswers,
		shared: views.filter((v) => v.ground === 'shared'),
		divisive: views.filter((v) => v.ground === 'divisive'),
		others: views.filter((v) => v.ground !== 'shared' && v.ground !== 'divisive'),
		toAnswer: answerable ? views.filter((v) => v.mine === null) : [],
		may: {
			add: participate && session.agendaPublishedAt !== null && ['deliberation', 'drafting'].includes(session.phase),
			answer: answerable
		},
		whyNot: !participate || homeIn(actor, compoundIds) === null ? 'not_member' : open ? null : 'phase'
	};
}

/** Reminds residents who have not answered any statement yet (once per session). */
export async function remindStatements(database: Database, actor: Actor, sessionId: string): Promise<number> {
	const { session } = await requireSessionAccess(database, actor, sessionId, 'agenda.manage');
	requirePhase(session, 'statements');
	const audience = await sessionAudience(database.db, session);
	const statements = await database.db
		.select({ id: groundStatements.id })
		.from(groundStatements)
		.where(eq(groundStatements.sessionId, sessionId));
	const acted = (
		await rowsForIds(
			statements.map((s) => s.id),
			(ids) => database.db.select({ userId: groundVotes.userId }).from(groundVotes).where(inArray(groundVotes.statementId, ids))
		)
	).map((r) => r.userId);
	return database.write((tx) =>
		remind(tx, audience, acted, {
			kind: 'reminder',
			title: `请对“${session.title}”的共识表述表个态`,
			href: `/sessions/${sessionId}/ground`,
			dedupeKey: `remind:ground:${sessionId}`
		})
	);
}

export { CHOICE_LABELS as STATEMENT_CHOICE_LABELS };
