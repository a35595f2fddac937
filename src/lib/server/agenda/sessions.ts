/**
 * 协商会 and its agenda: participating compounds, co-convenors who each sign the agenda off,
 * a facilitator, invited departments, a timetable of phases, agenda items, publication.
 */
import { and, asc, desc, eq, inArray, isNull, max } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import {
	DECIDING_RULES,
	PHASES,
	PHASE_LABELS,
	SESSION_KINDS,
	SIGNING_ROLE,
	checkAdvance,
	checkLimits,
	convenorName,
	isPhase,
	missingSignOffs,
	nextPhase,
	phaseAllows,
	type DecidingRule,
	type Phase,
	type SessionKind,
	type TurnLimits
} from '../../domain/agenda/index.ts';
import { DEFAULT_LIMITS } from '../../domain/agenda/debate.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import { normaliseLogin } from '../auth/accounts.ts';
import type { Database, Tx } from '../db/client.ts';
import {
	agendaItemImpacts,
	agendaItems,
	agendaSignOffs,
	concerns,
	delibSessions,
	orgNodes,
	roleGrants,
	sessionConvenors,
	sessionDepartments,
	sessionPhaseLog,
	sessionTimetable,
	users
} from '../db/schema/index.ts';
import { AccessDenied, InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { requireChinaDay } from '../util/dates.ts';
import { newId } from '../util/ids.ts';
import { charCount, grantHolders, loadItem, loadSession, nodeNames, parseIds, requirePhase, residentsOf, sessionTarget, type SessionRow } from './common.ts';
import { notify, remind } from './notifications.ts';

export interface CreateSessionInput {
	/** Optional fixed id (the demo uses 'gate-case'); a random one otherwise. */
	id?: string;
	title: string;
	kind: string;
	compoundIds: string[];
	/** The concern this session takes up; the page offers its text as the first item's draft. */
	concernId?: string | null;
	/** Login of the facilitator (主持人); they get a facilitator grant scoped to this session. */
	facilitatorLogin?: string | null;
	limits?: Partial<TurnLimits>;
}

/** 发起协商会. Needs agenda.manage over every participating compound (a 片区 for a joint one). */
export async function createSession(database: Database, actor: Actor, input: CreateSessionInput): Promise<{ sessionId: string }> {
	const compoundIds = [...new Set(input.compoundIds ?? [])];
	if (compoundIds.length === 0) throw new InvalidInput('请选择参与的小区', { compoundIds: '至少选择一个小区' });
	requireAccess(actor, 'agenda.manage', { compounds: await compoundScopes(database, compoundIds) });
	const title = (input.title ?? '').trim();
	if (!title || charCount(title) > 80) throw new InvalidInput('请填写协商会名称（80字以内）', { title: '请填写' });
	if (!SESSION_KINDS.includes(input.kind as SessionKind)) throw new InvalidInput('请选择会议类型', { kind: '请选择' });
	const limits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
	const limitProblem = checkLimits(limits);
	if (limitProblem) throw new InvalidInput(limitProblem);
	let facilitatorId: string | null = null;
	if (input.facilitatorLogin?.trim()) {
		const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, normaliseLogin(input.facilitatorLogin) ?? input.facilitatorLogin.trim().toLowerCase())).limit(1);
		if (!u) throw new InvalidInput('没有这个主持人账号', { facilitator: '请填写主持人的登录名' });
		facilitatorId = u.id;
	}
	let concern: typeof concerns.$inferSelect | null = null;
	if (input.concernId) {
		[concern] = await database.db.select().from(concerns).where(eq(concerns.id, input.concernId)).limit(1);
		if (!concern) throw new NotFound('没有这个议题');
		if (concern.status !== 'accepted') throw new RuleBroken('只有已受理（列入议程）的议题可以发起协商会');
	}
	const sessionId = input.id ?? newId();
	const now = clock.now();
	try {
		await database.write(async (tx) => {
			await tx.insert(delibSessions).values({
				id: sessionId,
				title,
				kind: input.kind as SessionKind,
				compoundIds: JSON.stringify(compoundIds),
				concernId: concern?.id ?? null,
				facilitatorId,
				phase: 'agenda',
				maxTurns: limits.maxTurns,
				maxChars: limits.maxChars,
				speakSeconds: limits.speakSeconds,
				createdBy: actor.userId,
				createdAt: now
			});
			await tx.insert(sessionPhaseLog).values({ id: newId(), sessionId, phase: 'agenda', actorId: actor.userId, at: now });
			if (facilitatorId) await grantFacilitator(tx, sessionId, facilitatorId, actor.userId);
			if (concern) {
				await notify(tx, [concern.raisedBy], { kind: 'agenda', title: `您的议题进入协商会：${title}`, href: `/sessions/${sessionId}` }, actor.userId);
			}
			await audit(tx, { actorId: actor.userId, action: 'session.create', subjectType: 'session', subjectId: sessionId, detail: { compoundIds, kind: input.kind, concernId: concern?.id } });
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken('这个协商会已经存在');
		throw e;
	}
	return { sessionId };
}

async function grantFacilitator(tx: Tx, sessionId: string, userId: string, by: string) {
	await tx.insert(roleGrants).values({ id: newId(), userId, role: 'facilitator', scopeId: sessionId, grantedBy: by, grantedAt: clock.now() }).onConflictDoNothing();
}

/** Every agenda change bumps the revision, which voids earlier sign-offs: each convenor signs what is published. */
async function bumpRevision(tx: Tx, session: SessionRow): Promise<void> {
	const done = await tx
		.update(delibSessions)
		.set({ agendaRevision: session.agendaRevision + 1 })
		.where(and(eq(delibSessions.id, session.id), eq(delibSessions.agendaRevision, session.agendaRevision), isNull(delibSessions.agendaPublishedAt)))
		.returning({ id: delibSessions.id });
	if (done.length === 0) throw new RuleBroken('议程刚被修改或已公布，请刷新页面后再试');
}

async function editableSession(database: Database, actor: Actor, sessionId: string): Promise<SessionRow> {
	const session = await loadSession(database.db, sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	if (session.agendaPublishedAt !== null) throw new RuleBroken('议程已经公布，不能再修改');
	requirePhase(session, 'agenda.edit');
	return session;
}

/** 召集方: a 小区 (its 业委会 signs), a 居委 (its staff), a 片区 (its coordinator). */
export async function addConvenor(database: Database, actor: Actor, sessionId: string, nodeId: string): Promise<void> {
	const session = await editableSession(database, actor, sessionId);
	const [node] = await database.db.select({ id: orgNodes.id, kind: orgNodes.kind }).from(orgNodes).where(eq(orgNodes.id, nodeId)).limit(1);
	if (!node || node.kind === 'building') throw new InvalidInput('请选择一个小区、居委或片区作为召集方', { convenor: '请选择' });
	await database.write(async (tx) => {
		const [{ n }] = await tx.select({ n: max(sessionConvenors.position) }).from(sessionConvenors).where(eq(sessionConvenors.sessionId, sessionId));
		const added = await tx.insert(sessionConvenors).values({ sessionId, nodeId, position: (n ?? 0) + 1 }).onConflictDoNothing().returning({ nodeId: sessionConvenors.nodeId });
		if (added.length === 0) throw new RuleBroken('这个召集方已经在名单上了');
		await bumpRevision(tx, session);
		await audit(tx, { actorId: actor.userId, action: 'session.convenor', subjectType: 'session', subjectId: sessionId, detail: { nodeId } });
	});
}

export interface TimetableRow {
	phase: Phase;
	startsOn: string;
	endsOn: string;
}

/** 时间表: planned dates per phase, printed on the notice. */
export async function setTimetable(database: Database, actor: Actor, sessionId: string, typed: TimetableRow[]): Promise<void> {
	const session = await editableSession(database, actor, sessionId);
	const rows = typed.map((r) => ({ ...r, startsOn: r.startsOn.trim(), endsOn: r.endsOn.trim() }));
	for (const r of rows) {
		if (!isPhase(r.phase)) throw new InvalidInput('阶段无效');
		if (!r.startsOn || !r.endsOn) throw new InvalidInput(`请填写“${PHASE_LABELS[r.phase]}”的起止日期`, { [r.phase]: '请填写' });
		requireChinaDay(r.startsOn, r.phase, `“${PHASE_LABELS[r.phase]}”的开始日期`);
		requireChinaDay(r.endsOn, r.phase, `“${PHASE_LABELS[r.phase]}”的结束日期`);
		if (r.endsOn < r.startsOn) throw new InvalidInput(`“${PHASE_LABELS[r.phase]}”的结束日期早于开始日期`, { [r.phase]: '日期顺序不对' });
	}
	const ordered = [...rows].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
	for (let i = 1; i < ordered.length; i++) {
		if (ordered[i].startsOn < ordered[i - 1].endsOn) throw new InvalidInput(`“${PHASE_LABELS[ordered[i].phase]}”须在“${PHASE_LABELS[ordered[i - 1].phase]}”结束后开始`);
	}
	await database.write(async (tx) => {
		await tx.delete(sessionTimetable).where(eq(sessionTimetable.sessionId, sessionId));
		if (ordered.length) await tx.insert(sessionTimetable).values(ordered.map((r) => ({ sessionId, ...r })));
		await bumpRevision(tx, session);
		await audit(tx, { actorId: actor.userId, action: 'session.timetable', subjectType: 'session', subjectId: sessionId, detail: ordered });
	});
}

/** 条块约请: invite a department (交警、房管局 …). */
export async function inviteDepartment(database: Database, actor: Actor, sessionId: string, name: string): Promise<{ departmentId: string }> {
	const session = await loadSession(database.db, sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	const clean = (name ?? '').trim();
	if (!clean || charCount(clean) > 60) throw new InvalidInput('请填写部门名称', { department: '请填写' });
	const departmentId = newId();
	await database.write(async (tx) => {
		await tx.insert(sessionDepartments).values({ id: departmentId, sessionId, name: clean, invitedBy: actor.userId, invitedAt: clock.now() });
		await audit(tx, { actorId: actor.userId, action: 'session.department', subjectType: 'session', subjectId: sessionId, detail: { name: clean } });
	});
	return { departmentId };
}

/** Attaches a department's written response (书面回复), once; a correction is a new invitation. */
export async function recordDepartmentResponse(database: Database, actor: Actor, departmentId: string, response: string): Promise<void> {
	const [dept] = await database.db.select().from(sessionDepartments).where(eq(sessionDepartments.id, departmentId)).limit(1);
	if (!dept) throw new NotFound('没有这个部门');
	const session = await loadSession(database.db, dept.sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	const text = (response ?? '').trim();
	if (!text || charCount(text) > 5000) throw new InvalidInput('请填写部门的书面回复（5000字以内）', { response: '请填写' });
	await database.write(async (tx) => {
		const done = await tx
			.update(sessionDepartments)
			.set({ response: text, respondedAt: clock.now(), recordedBy: actor.userId })
			.where(and(eq(sessionDepartments.id, departmentId), isNull(sessionDepartments.response)))
			.returning({ id: sessionDepartments.id });
		if (done.length === 0) throw new RuleBroken('这个部门的回复已经登记过了');
		await audit(tx, { actorId: actor.userId, action: 'session.department_response', subjectType: 'session', subjectId: session.id, detail: { departmentId } });
	});
}

export interface AgendaItemInput {
	title: string;
	question: string;
	rule: string;
	background?: string;
	/** The concern the item frames (only the session's own). */
	concernId?: string | null;
	/** 成本收益 per participating compound. */
	impacts?: { compoundId: string; costs: string; benefits: string }[];
}

/** The checked fields of an item, or InvalidInput naming each problem (add and edit alike). */
function checkedItem(session: SessionRow, input: AgendaItemInput) {
	const compoundIds = parseIds(session.compoundIds);
	const title = (input.title ?? '').trim();
	const question = (input.question ?? '').trim();
	const fields: Record<string, string> = {};
	if (!title || charCount(title) > 80) fields.title = '请填写议题名称（80字以内）';
	if (!question || charCount(question) > 500) fields.question = '请写清楚要决定的问题（500字以内）';
	if (!DECIDING_RULES.includes(input.rule as DecidingRule)) fields.rule = '请选择表决规则';
	if (charCount(input.background ?? '') > 5000) fields.background = '背景材料不超过5000字';
	for (const i of input.impacts ?? []) if (!compoundIds.includes(i.compoundId)) fields.impacts = '成本收益只能针对参与小区';
	if (Object.keys(fields).length) throw new InvalidInput(Object.values(fields)[0], fields);
	const impacts = (input.impacts ?? [])
		.filter((i) => i.costs.trim() || i.benefits.trim())
		.map((i) => ({ compoundId: i.compoundId, costs: i.costs.trim().slice(0, 2000), benefits: i.benefits.trim().slice(0, 2000) }));
	return { title, question, rule: input.rule as DecidingRule, background: (input.background ?? '').trim(), impacts };
}

/** 添加议程事项: the exact question, the deciding rule, background, cost/benefit per compound. */
export async function addAgendaItem(database: Database, actor: Actor, sessionId: string, input: AgendaItemInput): Promise<{ itemId: string }> {
	const session = await editableSession(database, actor, sessionId);
	const item = checkedItem(session, input);
	const concernId = input.concernId && input.concernId === session.concernId ? input.concernId : null;
	const itemId = newId();
	await database.write(async (tx) => {
		const [{ n }] = await tx.select({ n: max(agendaItems.position) }).from(agendaItems).where(eq(agendaItems.sessionId, sessionId));
		await tx.insert(agendaItems).values({ id: itemId, sessionId, position: (n ?? 0) + 1, title: item.title, question: item.question, rule: item.rule, background: item.background, concernId, createdAt: clock.now() });
		if (item.impacts.length) await tx.insert(agendaItemImpacts).values(item.impacts.map((i) => ({ itemId, ...i })));
		await bumpRevision(tx, session);
		await audit(tx, { actorId: actor.userId, action: 'agenda.item', subjectType: 'session', subjectId: sessionId, detail: { itemId, title: item.title, rule: item.rule } });
	});
	return { itemId };
}

/**
 * 修改议题, before the agenda is published: the same checks as adding. Like any change to the
 * agenda it starts a new revision, so the convenors' sign-offs must be given again.
 */
export async function editAgendaItem(database: Database, actor: Actor, itemId: string, input: AgendaItemInput): Promise<void> {
	const existing = await loadItem(database.db, itemId);
	const session = await editableSession(database, actor, existing.sessionId);
	const item = checkedItem(session, input);
	await database.write(async (tx) => {
		await tx.update(agendaItems).set({ title: item.title, question: item.question, rule: item.rule, background: item.background }).where(eq(agendaItems.id, itemId));
		await tx.delete(agendaItemImpacts).where(eq(agendaItemImpacts.itemId, itemId));
		if (item.impacts.length) await tx.insert(agendaItemImpacts).values(item.impacts.map((i) => ({ itemId, ...i })));
		await bumpRevision(tx, session);
		await audit(tx, {
			actorId: actor.userId,
			action: 'agenda.item_edit',
			subjectType: 'session',
			subjectId: session.id,
			detail: { itemId, before: { title: existing.title, question: existing.question, rule: existing.rule }, after: { title: item.title, question: item.question, rule: item.rule } }
		});
	});
}

/** 调整顺序, before the agenda is published: swaps the item with its neighbour above or below. */
export async function moveAgendaItem(database: Database, actor: Actor, itemId: string, direction: string): Promise<void> {
	if (direction !== 'up' && direction !== 'down') throw new InvalidInput('请选择上移或下移');
	const item = await loadItem(database.db, itemId);
	const session = await editableSession(database, actor, item.sessionId);
	await database.write(async (tx) => {
		const items = await tx.select({ id: agendaItems.id, position: agendaItems.position }).from(agendaItems).where(eq(agendaItems.sessionId, session.id)).orderBy(asc(agendaItems.position));
		const at = items.findIndex((i) => i.id === itemId);
		const other = items[direction === 'up' ? at - 1 : at + 1];
		if (at < 0 || !other) throw new RuleBroken(direction === 'up' ? '这已经是第一个议题了' : '这已经是最后一个议题了');
		const mine = items[at];
		// Positions are unique per session: park this item at 0 (positions start at 1) while swapping.
		await tx.update(agendaItems).set({ position: 0 }).where(eq(agendaItems.id, mine.id));
		await tx.update(agendaItems).set({ position: mine.position }).where(eq(agendaItems.id, other.id));
		await tx.update(agendaItems).set({ position: other.position }).where(eq(agendaItems.id, mine.id));
		await bumpRevision(tx, session);
		await audit(tx, { actorId: actor.userId, action: 'agenda.item_move', subjectType: 'session', subjectId: session.id, detail: { itemId, direction } });
	});
}

/** Sets an item's per-person limits (facilitator's tool); debate already under way keeps its posts. */
export async function setItemLimits(database: Database, actor: Actor, itemId: string, limits: TurnLimits): Promise<void> {
	const item = await loadItem(database.db, itemId);
	const session = await loadSession(database.db, item.sessionId);
	requireAccess(actor, 'deliberation.moderate', await sessionTarget(database, session));
	const problem = checkLimits(limits);
	if (problem) throw new InvalidInput(problem);
	await database.write(async (tx) => {
		await tx.update(agendaItems).set({ maxTurns: limits.maxTurns, maxChars: limits.maxChars, speakSeconds: limits.speakSeconds }).where(eq(agendaItems.id, itemId));
		await audit(tx, { actorId: actor.userId, action: 'agenda.limits', subjectType: 'agenda_item', subjectId: itemId, detail: limits });
	});
}

/** The convenors the actor may sign for: a grant of the matching role scoped exactly to that organisation. */
function signsFor(actor: Actor, convenor: { nodeId: string; kind: string }): boolean {
	const role = SIGNING_ROLE[convenor.kind as keyof typeof SIGNING_ROLE];
	if (!role) return false;
	return actor.grants.some((g) => g.role === role && (role === 'admin' || g.scopeId === convenor.nodeId));
}

/** 召集方签字: one convenor approves the current agenda revision. */
export async function signOffAgenda(database: Database, actor: Actor, sessionId: string, convenorNodeId: string): Promise<void> {
	const session = await loadSession(database.db, sessionId);
	const convenors = await convenorsOf(database, sessionId);
	const convenor = convenors.find((c) => c.nodeId === convenorNodeId);
	if (!convenor) throw new NotFound('这个组织不是本次协商会的召集方');
	if (!signsFor(actor, convenor)) throw new AccessDenied(`只有${convenor.name}可以签字`);
	if (session.agendaPublishedAt !== null) throw new RuleBroken('议程已经公布，无需再签字');
	requirePhase(session, 'agenda.signoff');
	const items = await database.db.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.sessionId, sessionId));
	if (items.length === 0) throw new RuleBroken('议程还没有议题，不能签字');
	try {
		await database.write(async (tx) => {
			await tx.insert(agendaSignOffs).values({ id: newId(), sessionId, convenorNodeId, revision: session.agendaRevision, userId: actor.userId, at: clock.now() });
			// The revision must still be the one signed: an edit in between voids this sign-off.
			const [now] = await tx.select({ r: delibSessions.agendaRevision }).from(delibSessions).where(eq(delibSessions.id, sessionId));
			if (now.r !== session.agendaRevision) throw new RuleBroken('议程刚被修改，请看过新版本后再签字');
			await audit(tx, { actorId: actor.userId, action: 'agenda.signoff', subjectType: 'session', subjectId: sessionId, detail: { convenorNodeId, revision: session.agendaRevision } });
			await notify(tx, [session.createdBy, ...(session.facilitatorId ? [session.facilitatorId] : [])], { kind: 'signoff', title: `${convenor.name}已签字：${session.title}`, href: `/sessions/${sessionId}` }, actor.userId);
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(`${convenor.name}已经签过字了`);
		throw e;
	}
}

/** 公布议程: only when every convenor has signed the current revision. The items are frozen from here on. */
export async function publishAgenda(database: Database, actor: Actor, sessionId: string): Promise<{ publishedAt: number }> {
	const session = await loadSession(database.db, sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	if (session.agendaPublishedAt !== null) throw new RuleBroken('议程已经公布过了');
	requirePhase(session, 'agenda.publish');
	const convenors = await convenorsOf(database, sessionId);
	if (convenors.length === 0) throw new RuleBroken('请先添加召集方');
	const items = await database.db.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.sessionId, sessionId));
	if (items.length === 0) throw new RuleBroken('议程还没有议题');
	const signed = await signedRevisions(database, sessionId);
	const missing = missingSignOffs(convenors.map((c) => c.nodeId), signed, session.agendaRevision);
	if (missing.length) {
		const names = convenors.filter((c) => missing.includes(c.nodeId)).map((c) => c.name);
		throw new RuleBroken(`还有召集方没有签字：${names.join('、')}。每个召集方都签字后才能公布议程`, 'signoff_missing');
	}
	const now = clock.now();
	await database.write(async (tx) => {
		const done = await tx
			.update(delibSessions)
			.set({ agendaPublishedAt: now, agendaPublishedBy: actor.userId })
			.where(and(eq(delibSessions.id, sessionId), isNull(delibSessions.agendaPublishedAt), eq(delibSessions.agendaRevision, session.agendaRevision)))
			.returning({ id: delibSessions.id });
		if (done.length === 0) throw new RuleBroken('议程刚被修改或已公布，请刷新页面');
		await audit(tx, { actorId: actor.userId, action: 'agenda.publish', subjectType: 'session', subjectId: sessionId, detail: { revision: session.agendaRevision } });
		const audience = (await residentsOf(tx, parseIds(session.compoundIds))).map((r) => r.userId);
		await notify(tx, audience, { kind: 'agenda', title: `议程公告：${session.title}`, body: '议程已公布，欢迎参加讨论。', href: `/sessions/${sessionId}/notice`, dedupeKey: `agenda:${sessionId}` }, actor.userId);
	});
	return { publishedAt: now };
}

/** 进入下一阶段: forward one step; out of 议题确定 only after publication. */
export async function advancePhase(database: Database, actor: Actor, sessionId: string, to: string): Promise<{ phase: Phase }> {
	const session = await loadSession(database.db, sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	if (!isPhase(to)) throw new InvalidInput('阶段无效');
	const refusal = checkAdvance(session.phase as Phase, to, session.agendaPublishedAt !== null);
	if (refusal) throw new RuleBroken(refusal, 'phase');
	await database.write(async (tx) => {
		const done = await tx.update(delibSessions).set({ phase: to }).where(and(eq(delibSessions.id, sessionId), eq(delibSessions.phase, session.phase))).returning({ id: delibSessions.id });
		if (done.length === 0) throw new RuleBroken('阶段刚被别人调整过，请刷新页面');
		await tx.insert(sessionPhaseLog).values({ id: newId(), sessionId, phase: to, actorId: actor.userId, at: clock.now() });
		await audit(tx, { actorId: actor.userId, action: 'session.phase', subjectType: 'session', subjectId: sessionId, detail: { from: session.phase, to } });
		const audience = (await residentsOf(tx, parseIds(session.compoundIds))).map((r) => r.userId);
		await notify(tx, audience, { kind: 'agenda', title: `${session.title}进入“${PHASE_LABELS[to]}”阶段`, href: `/sessions/${sessionId}`, dedupeKey: `phase:${sessionId}:${to}` }, actor.userId);
	});
	return { phase: to };
}

/**
 * For the voting module: refuses unless the agenda item is on a PUBLISHED agenda. No vote on
 * anything that was not in the published agenda (DOMAIN.md §4).
 */
export async function assertVotableAgendaItem(database: Database, agendaItemId: string | null | undefined): Promise<{ sessionId: string; rule: DecidingRule; compoundIds: string[]; phase: Phase }> {
	const refusal = () => new RuleBroken('只能对已公布议程中的议题表决', 'not_on_agenda');
	if (!agendaItemId) throw refusal();
	const [row] = await database.db
		.select({ sessionId: agendaItems.sessionId, rule: agendaItems.rule, publishedAt: delibSessions.agendaPublishedAt, compoundIds: delibSessions.compoundIds, phase: delibSessions.phase })
		.from(agendaItems)
		.innerJoin(delibSessions, eq(delibSessions.id, agendaItems.sessionId))
		.where(eq(agendaItems.id, agendaItemId))
		.limit(1);
	if (!row || row.publishedAt === null) throw refusal();
	return { sessionId: row.sessionId, rule: row.rule, compoundIds: parseIds(row.compoundIds), phase: row.phase as Phase };
}

/**
 * 发起表决 from an agenda item (the session page's button): access to organise the vote, then the
 * published-agenda rule. Returns where the voting module takes over.
 */
export async function requestVoteOnItem(database: Database, actor: Actor, agendaItemId: string): Promise<{ href: string }> {
	const item = await loadItem(database.db, agendaItemId);
	const session = await loadSession(database.db, item.sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	await assertVotableAgendaItem(database, agendaItemId);
	return { href: `/vote/new?agendaItem=${encodeURIComponent(agendaItemId)}` };
}

/** Reminds each convenor that has not signed the current revision (once per revision). */
export async function remindSignOffs(database: Database, actor: Actor, sessionId: string): Promise<number> {
	const session = await loadSession(database.db, sessionId);
	requireAccess(actor, 'agenda.manage', await sessionTarget(database, session));
	const convenors = await convenorsOf(database, sessionId);
	const missing = missingSignOffs(convenors.map((c) => c.nodeId), await signedRevisions(database, sessionId), session.agendaRevision);
	return database.write(async (tx) => {
		let sent = 0;
		for (const c of convenors.filter((c) => missing.includes(c.nodeId))) {
			const role = SIGNING_ROLE[c.kind as keyof typeof SIGNING_ROLE];
			const holders = role === 'admin' ? [] : await grantHolders(tx, role, [c.nodeId]);
			sent += await remind(tx, holders, [], { kind: 'reminder', title: `请为议程签字：${session.title}`, body: `${c.name}尚未签字，议程公布前需要每个召集方签字。`, href: `/sessions/${sessionId}`, dedupeKey: `remind:signoff:${sessionId}:${session.agendaRevision}:${c.nodeId}` });
		}
		return sent;
	});
}

export interface ConvenorView {
	nodeId: string;
	kind: string;
	name: string;
	signedAt: number | null;
	signedBy: string | null;
	/** Whether the viewer may sign for this convenor. */
	mine: boolean;
}

export async function convenorsOf(database: Database, sessionId: string): Promise<{ nodeId: string; kind: string; name: string }[]> {
	const rows = await database.db
		.select({ nodeId: sessionConvenors.nodeId, kind: orgNodes.kind, name: orgNodes.name })
		.from(sessionConvenors)
		.innerJoin(orgNodes, eq(orgNodes.id, sessionConvenors.nodeId))
		.where(eq(sessionConvenors.sessionId, sessionId))
		.orderBy(asc(sessionConvenors.position));
	return rows.map((r) => ({ ...r, name: convenorName(r.kind, r.name) }));
}

async function signedRevisions(database: Database, sessionId: string): Promise<Map<string, number>> {
	const rows = await database.db.select({ nodeId: agendaSignOffs.convenorNodeId, revision: agendaSignOffs.revision }).from(agendaSignOffs).where(eq(agendaSignOffs.sessionId, sessionId));
	const latest = new Map<string, number>();
	for (const r of rows) latest.set(r.nodeId, Math.max(latest.get(r.nodeId) ?? -1, r.revision));
	return latest;
}

export interface SessionSummary {
	id: string;
	title: string;
	kind: SessionKind;
	phase: Phase;
	phaseLabel: string;
	compounds: string[];
	published: boolean;
}

/** Sessions the actor takes part in or manages. */
export async function listSessions(database: Database, actor: Actor): Promise<SessionSummary[]> {
	const rows = await database.db.select().from(delibSessions).orderBy(desc(delibSessions.createdAt)).limit(100);
	const names = await nodeNames(database.db, rows.flatMap((r) => parseIds(r.compoundIds)));
	const out: SessionSummary[] = [];
	for (const r of rows) {
		const target = await sessionTarget(database, r);
		if (!decide(actor, 'deliberation.participate', target).allowed && !decide(actor, 'agenda.manage', target).allowed) continue;
		out.push({ id: r.id, title: r.title, kind: r.kind, phase: r.phase as Phase, phaseLabel: PHASE_LABELS[r.phase as Phase], compounds: parseIds(r.compoundIds).map((id) => names.get(id)?.name ?? id), published: r.agendaPublishedAt !== null });
	}
	return out;
}

export interface ItemView {
	id: string;
	position: number;
	title: string;
	question: string;
	rule: DecidingRule;
	background: string;
	impacts: { compoundId: string; compound: string; costs: string; benefits: string }[];
	limits: TurnLimits;
}

export interface SessionView {
	id: string;
	title: string;
	kind: SessionKind;
	phase: Phase;
	next: Phase | null;
	compounds: { id: string; name: string }[];
	concernId: string | null;
	/** The concern's text, offered as the first item's draft while the agenda has none from it. */
	concernDraft: { title: string; body: string } | null;
	facilitator: string | null;
	revision: number;
	publishedAt: number | null;
	convenors: ConvenorView[];
	missingSignOffs: string[];
	departments: { id: string; name: string; response: string | null; respondedAt: number | null }[];
	timetable: TimetableRow[];
	items: ItemView[];
	may: { manage: boolean; moderate: boolean; participate: boolean };
	/** The phase table's answers for this phase, so the page shows only what is open. */
	allows: Record<string, boolean>;
}

export async function sessionView(database: Database, actor: Actor, sessionId: string): Promise<SessionView> {
	const session = await loadSession(database.db, sessionId);
	const target = await sessionTarget(database, session);
	const may = {
		manage: decide(actor, 'agenda.manage', target).allowed,
		moderate: decide(actor, 'deliberation.moderate', target).allowed,
		participate: decide(actor, 'deliberation.participate', target).allowed
	};
	// The agenda of a joint session is public to its participants; drafts only to its organisers.
	if (!may.manage && !may.participate) throw new AccessDenied('只有参与小区的居民可以查看这个协商会');
	const compoundIds = parseIds(session.compoundIds);
	const names = await nodeNames(database.db, compoundIds);
	const convenors = await convenorsOf(database, sessionId);
	const signs = await database.db.select().from(agendaSignOffs).where(and(eq(agendaSignOffs.sessionId, sessionId), eq(agendaSignOffs.revision, session.agendaRevision)));
	const signers = signs.length ? await database.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, signs.map((s) => s.userId))) : [];
	const items = await database.db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).orderBy(asc(agendaItems.position));
	const impacts = items.length ? await database.db.select().from(agendaItemImpacts).where(inArray(agendaItemImpacts.itemId, items.map((i) => i.id))) : [];
	const departments = await database.db.select().from(sessionDepartments).where(eq(sessionDepartments.sessionId, sessionId)).orderBy(asc(sessionDepartments.invitedAt));
	const timetable = await database.db.select().from(sessionTimetable).where(eq(sessionTimetable.sessionId, sessionId));
	const [facilitator] = session.facilitatorId ? await database.db.select({ name: users.displayName }).from(users).where(eq(users.id, session.facilitatorId)) : [];
	const signedMap = new Map(signs.map((s) => [s.convenorNodeId, s]));
	const [concern] = session.concernId && !items.some((i) => i.concernId === session.concernId) ? await database.db.select({ title: concerns.title, body: concerns.body }).from(concerns).where(eq(concerns.id, session.concernId)) : [];
	const phase = session.phase as Phase;
	return {
		id: session.id,
		title: session.title,
		kind: session.kind,
		phase,
		next: nextPhase(phase),
		compounds: compoundIds.map((id) => ({ id, name: names.get(id)?.name ?? id })),
		concernId: session.concernId,
		concernDraft: concern ?? null,
		facilitator: facilitator?.name ?? null,
		revision: session.agendaRevision,
		publishedAt: session.agendaPublishedAt,
		convenors: convenors.map((c) => {
			const s = signedMap.get(c.nodeId);
			return { ...c, signedAt: s?.at ?? null, signedBy: s ? (signers.find((u) => u.id === s.userId)?.name ?? null) : null, mine: signsFor(actor, c) };
		}),
		missingSignOffs: convenors.filter((c) => !signedMap.has(c.nodeId)).map((c) => c.name),
		departments: departments.map((d) => ({ id: d.id, name: d.name, response: d.response, respondedAt: d.respondedAt })),
		timetable: timetable.map((t) => ({ phase: t.phase as Phase, startsOn: t.startsOn, endsOn: t.endsOn })).sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase)),
		items: items.map((i) => ({
			id: i.id,
			position: i.position,
			title: i.title,
			question: i.question,
			rule: i.rule,
			background: i.background,
			impacts: impacts.filter((x) => x.itemId === i.id).map((x) => ({ compoundId: x.compoundId, compound: names.get(x.compoundId)?.name ?? x.compoundId, costs: x.costs, benefits: x.benefits })),
			limits: { maxTurns: i.maxTurns ?? session.maxTurns, maxChars: i.maxChars ?? session.maxChars, speakSeconds: i.speakSeconds ?? session.speakSeconds }
		})),
		may,
		allows: Object.fromEntries(
			(['agenda.edit', 'agenda.signoff', 'agenda.publish', 'debate.post', 'statements', 'polls', 'meetings', 'draft.edit', 'vote'] as const).map((c) => [c, phaseAllows(phase, c)])
		)
	};
}

/** What may start a session: accepted concerns without one yet, and the compounds the actor manages together. */
export async function sessionForm(database: Database, actor: Actor) {
	const accepted = await database.db.select({ id: concerns.id, title: concerns.title, compoundIds: concerns.compoundIds }).from(concerns).where(eq(concerns.status, 'accepted'));
	const taken = new Set((await database.db.select({ c: delibSessions.concernId }).from(delibSessions)).map((r) => r.c));
	const compounds = await database.db.select({ id: orgNodes.id, name: orgNodes.name }).from(orgNodes).where(eq(orgNodes.kind, 'compound')).orderBy(asc(orgNodes.name));
	const manageable = [];
	for (const c of compounds) if (decide(actor, 'agenda.manage', { compounds: await compoundScopes(database, [c.id]) }).allowed) manageable.push(c);
	const concernsOpen = [];
	for (const c of accepted) {
		if (taken.has(c.id)) continue;
		if (decide(actor, 'agenda.manage', { compounds: await compoundScopes(database, parseIds(c.compoundIds)) }).allowed) concernsOpen.push({ id: c.id, title: c.title, compoundIds: parseIds(c.compoundIds) });
	}
	return { compounds: manageable, concerns: concernsOpen };
}

/** Organisations that could convene a session of these compounds: each compound (业委会) and its ancestors. */
export async function convenorChoices(database: Database, sessionId: string) {
	const session = await loadSession(database.db, sessionId);
	const scopes = await compoundScopes(database, parseIds(session.compoundIds));
	const ids = [...new Set(scopes.flatMap((s) => s.chain))];
	const rows = await database.db.select({ id: orgNodes.id, kind: orgNodes.kind, name: orgNodes.name }).from(orgNodes).where(inArray(orgNodes.id, ids));
	return rows.map((r) => ({ id: r.id, name: convenorName(r.kind, r.name) }));
}
