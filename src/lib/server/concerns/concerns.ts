/**
 * 议题征集: raise a concern, co-sign it, triage it (merge, answer, reject, accept, escalate).
 * Every state change checks access first and goes through database.write; every triage step is
 * an appended row with a reason the submitter reads.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { decide, type Actor } from '../../domain/access/policy.ts';
import {
	CATEGORY_LABELS,
	CONCERN_CATEGORIES,
	STATUS_LABELS,
	OUTCOME_LABELS,
	OUTCOME_MESSAGES,
	allowedOutcomes,
	checkTriage,
	describeThreshold,
	handlingLevel,
	parseThreshold,
	supportCount,
	supportMissing,
	thresholdReached,
	statusAfter,
	type ConcernCategory,
	type ConcernStatus,
	type CosignThreshold,
	type TriageOutcome
} from '../../domain/concerns/index.ts';
import { compoundScopes, requireAccess } from '../access.ts';
import type { Database, Db, Tx } from '../db/client.ts';
import { concernCosigns, concernPhotos, concernTriage, concerns, orgNodes, rosterVersions } from '../db/schema/index.ts';
import { InvalidInput, NotFound, RuleBroken, isUniqueViolation } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { chainsOf, charCount, compoundsByName, grantHolders, homeIn, nodeNames, parseIds, userNames } from '../agenda/common.ts';
import { notify } from '../notifications/inbox.ts';
import { MAX_PHOTOS, cleanPhotos } from './photos.ts';
import { m } from '../../paraglide/messages.js';

/** Notifications are stored text: they stay Chinese whatever the reader's language. */
const ZH = { locale: 'zh-CN' } as const;

export const MAX_TITLE = 60;
export const MAX_BODY = 2000;

export type ConcernRow = typeof concerns.$inferSelect;

export interface RaiseConcernInput {
	title: string;
	body: string;
	category: string;
	location?: string;
	/** The compound it is raised in, and any others it touches (e.g. the neighbour across the gate). */
	compoundId: string;
	alsoAffects?: string[];
	photos?: Uint8Array[];
}

async function loadConcern(handle: Db | Tx, id: string): Promise<ConcernRow> {
	const [row] = await handle.select().from(concerns).where(eq(concerns.id, id)).limit(1);
	if (!row) throw new NotFound(m.concerns_not_found());
	return row;
}

/** The threshold configured on the home compound (settings.concernThreshold), else the default. */
async function thresholdOf(handle: Db | Tx, compoundId: string): Promise<CosignThreshold> {
	const [row] = await handle.select({ settings: orgNodes.settings }).from(orgNodes).where(eq(orgNodes.id, compoundId)).limit(1);
	try {
		return parseThreshold((JSON.parse(row?.settings ?? '{}') as { concernThreshold?: unknown }).concernThreshold);
	} catch {
		return parseThreshold(null);
	}
}

/** Households (units on the latest roster) of the compounds: the denominator of a share threshold. */
export async function householdsOf(handle: Db | Tx, compoundIds: readonly string[]): Promise<number> {
	let total = 0;
	for (const id of compoundIds) {
		const [v] = await handle
			.select({ n: rosterVersions.unitCount })
			.from(rosterVersions)
			.where(eq(rosterVersions.compoundId, id))
			.orderBy(desc(rosterVersions.versionNo))
			.limit(1);
		total += v?.n ?? 0;
	}
	return total;
}

/** Who triages at the concern's current level: the home compound's 业委会 and 居委, or the 片区. */
async function handlersOf(handle: Db | Tx, concern: ConcernRow): Promise<string[]> {
	if (concern.status === 'escalated' && concern.escalatedTo) return grantHolders(handle, 'cluster_coordinator', [concern.escalatedTo]);
	const [chain] = await chainsOf(handle, [concern.homeCompoundId]);
	const committee = chain.find((n) => n.kind === 'committee');
	return [
		...(await grantHolders(handle, 'owners_committee', [concern.homeCompoundId])),
		...(committee ? await grantHolders(handle, 'committee_staff', [committee.id]) : [])
	];
}

/** 提出议题. The raiser's own support counts as the first co-sign. */
export async function raiseConcern(
	database: Database,
	actor: Actor,
	input: RaiseConcernInput
): Promise<{ concernId: string; status: ConcernStatus }> {
	const compoundIds = [...new Set([input.compoundId, ...(input.alsoAffects ?? [])].filter(Boolean))];
	// Raised where the actor belongs; neighbours it touches are named, not required to be theirs.
	requireAccess(actor, 'concern.raise', { compounds: await compoundScopes(database, [input.compoundId]) });
	await compoundScopes(database, compoundIds);
	const title = (input.title ?? '').trim();
	const body = (input.body ?? '').trim();
	const fields: Record<string, string> = {};
	if (!title) fields.title = m.concerns_title_missing();
	else if (charCount(title) > MAX_TITLE) fields.title = m.concerns_title_long({ max: MAX_TITLE });
	if (!body) fields.body = m.concerns_body_missing();
	else if (charCount(body) > MAX_BODY) fields.body = m.concerns_body_long({ max: MAX_BODY });
	if (!CONCERN_CATEGORIES.includes(input.category as ConcernCategory)) fields.category = m.concerns_category_missing();
	if (Object.keys(fields).length) throw new InvalidInput(Object.values(fields)[0], fields);
	const location = (input.location ?? '').trim().slice(0, 100);
	const photos = input.photos ?? [];
	if (photos.length > MAX_PHOTOS)
		throw new InvalidInput(m.concerns_photos_max({ max: MAX_PHOTOS }), { photos: m.concerns_photos_too_many() });
	const cleaned = await cleanPhotos(photos);

	const threshold = await thresholdOf(database.db, input.compoundId);
	const households = await householdsOf(database.db, compoundIds);
	const home = homeIn(actor, [input.compoundId]);
	const concernId = newId();
	const now = clock.now();
	const reached = thresholdReached(1, households, threshold);
	const status: ConcernStatus = reached ? 'queued' : 'collecting';
	await database.write(async (tx) => {
		await tx.insert(concerns).values({
			id: concernId,
			title,
			body,
			category: input.category,
			location,
			homeCompoundId: input.compoundId,
			compoundIds: JSON.stringify(compoundIds),
			threshold: JSON.stringify(threshold),
			households,
			status,
			raisedBy: actor.userId,
			raisedAt: now,
			queuedAt: reached ? now : null
		});
		await tx
			.insert(concernCosigns)
			.values({ concernId, userId: actor.userId, unitId: home?.unitId ?? null, compoundId: home?.compoundId ?? null, at: now });
		for (const [i, p] of cleaned.entries()) {
			await tx.insert(concernPhotos).values({
				id: newId(),
				concernId,
				contentType: p.contentType,
				bytes: Buffer.from(p.bytes),
				byteSize: p.bytes.length,
				position: i,
				createdAt: now
			});
		}
		await audit(tx, {
			actorId: actor.userId,
			action: 'concern.raise',
			subjectType: 'concern',
			subjectId: concernId,
			detail: { compoundIds, photos: cleaned.length }
		});
	});
	return { concernId, status };
}

/** 附议. One per person: the primary key refuses a second one, even two taps in flight at once. */
export async function cosignConcern(database: Database, actor: Actor, concernId: string): Promise<{ support: number; queued: boolean }> {
	const concern = await loadConcern(database.db, concernId);
	const compoundIds = parseIds(concern.compoundIds);
	requireAccess(actor, 'concern.cosign', { compounds: await compoundScopes(database, compoundIds) });
	if (concern.status !== 'collecting' && concern.status !== 'queued')
		throw new RuleBroken(m.concerns_cosign_closed({ status: STATUS_LABELS[concern.status] }));
	const home = homeIn(actor, compoundIds);
	const threshold = parseThreshold(JSON.parse(concern.threshold));
	try {
		return await database.write(async (tx) => {
			const now = clock.now();
			await tx
				.insert(concernCosigns)
				.values({ concernId, userId: actor.userId, unitId: home?.unitId ?? null, compoundId: home?.compoundId ?? null, at: now });
			const all = await tx
				.select({ userId: concernCosigns.userId, unitId: concernCosigns.unitId })
				.from(concernCosigns)
				.where(eq(concernCosigns.concernId, concernId));
			const support = supportCount(all);
			let queued = false;
			if (concern.status === 'collecting' && thresholdReached(support, concern.households, threshold)) {
				const moved = await tx
					.update(concerns)
					.set({ status: 'queued', queuedAt: now })
					.where(and(eq(concerns.id, concernId), eq(concerns.status, 'collecting')))
					.returning({ id: concerns.id });
				queued = moved.length > 0;
				if (queued) {
					const href = `/concerns/${concernId}`;
					await notify(tx, await handlersOf(tx, { ...concern, status: 'queued' }), {
						kind: 'triage',
						title: `新议题待处理：${concern.title}`,
						body: `已有 ${support} 户附议，达到门槛（${describeThreshold(threshold, ZH)}）。`,
						href
					});
					await notify(tx, [concern.raisedBy], {
						kind: 'concern',
						title: `您的议题已达到附议门槛：${concern.title}`,
						body: '已进入居委 / 业委会的待处理队列。',
						href
					});
				}
			}
			await audit(tx, {
				actorId: actor.userId,
				action: 'concern.cosign',
				subjectType: 'concern',
				subjectId: concernId,
				detail: { support, queued }
			});
			return { support, queued };
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new RuleBroken(m.concerns_cosign_twice(), 'duplicate');
		throw e;
	}
}

export interface TriageInput {
	outcome: Exclude<TriageOutcome, 'escalate'>;
	reason: string;
	/** For merge: the duplicate this one joins. */
	mergeInto?: string;
}

/**
 * Where a concern is triaged now: its home compound until escalated, then the 片区 it was sent to,
 * and only there (the scope is the 片区 node itself, so a 居委 grant below it does not reach it):
 * escalated means owned by the 片区 until it hands the concern back.
 */
async function triageScope(database: Database, concern: ConcernRow) {
	const atCluster = concern.status === 'escalated';
	if (!atCluster) return { atCluster, compounds: await compoundScopes(database, [concern.homeCompoundId]) };
	const compounds = await compoundScopes(database, parseIds(concern.compoundIds));
	const clusterId = concern.escalatedTo;
	// Each chain cut to start at the 片区: grants on the compounds or their 居委 no longer match.
	return {
		atCluster,
		compounds: clusterId
			? compounds.map((c) => ({ id: c.id, chain: c.chain.includes(clusterId) ? c.chain.slice(c.chain.indexOf(clusterId)) : c.chain }))
			: compounds
	};
}

async function belongsOf(handle: Db | Tx, concern: ConcernRow): Promise<{ belongs: 'local' | 'cluster'; clusterId: string | null }> {
	const chains = await chainsOf(handle, parseIds(concern.compoundIds));
	const level = handlingLevel(chains);
	const upward = chains[0].find((n) => n.kind === 'cluster' || n.kind === 'street');
	return { belongs: level?.level ?? 'cluster', clusterId: level?.level === 'cluster' ? level.nodeId : (upward?.id ?? null) };
}

/** A concern about to take a triage step: refused unless the actor triages at its current level. */
async function concernForTriage(database: Database, actor: Actor, concernId: string) {
	const concern = await loadConcern(database.db, concernId);
	const scope = await triageScope(database, concern);
	requireAccess(actor, 'agenda.manage', { compounds: scope.compounds });
	return { concern, atCluster: scope.atCluster, ...(await belongsOf(database.db, concern)) };
}

/** Refuses, in the rule's words, a triage step the rules do not allow for the concern where it is now. */
function requireTriageStep(
	at: Awaited<ReturnType<typeof concernForTriage>>,
	step: { outcome: TriageOutcome; reason: string | undefined; mergeTarget?: { id: string; status: ConcernStatus } | null }
): void {
	const { concern, belongs, atCluster } = at;
	const refusal = checkTriage({ status: concern.status, belongs, atCluster, concernId: concern.id, ...step, reason: step.reason ?? '' });
	if (refusal) throw new RuleBroken(refusal);
}

async function recordTriage(
	database: Database,
	actor: Actor,
	concern: ConcernRow,
	step: { outcome: TriageOutcome; reason: string; level: 'local' | 'cluster'; mergedInto?: string | null; escalatedTo?: string | null }
): Promise<void> {
	const next = statusAfter(step.outcome);
	await database.write(async (tx) => {
		const now = clock.now();
		const moved = await tx
			.update(concerns)
			.set({ status: next, mergedInto: step.mergedInto ?? concern.mergedInto, escalatedTo: step.escalatedTo ?? concern.escalatedTo })
			.where(and(eq(concerns.id, concern.id), eq(concerns.status, concern.status)))
			.returning({ id: concerns.id });
		if (moved.length === 0) throw new RuleBroken(m.concerns_triage_raced());
		await tx.insert(concernTriage).values({
			id: newId(),
			concernId: concern.id,
			outcome: step.outcome,
			reason: step.reason.trim(),
			level: step.level,
			mergedInto: step.mergedInto ?? null,
			escalatedTo: step.escalatedTo ?? null,
			actorId: actor.userId,
			at: now
		});
		await audit(tx, {
			actorId: actor.userId,
			action: `concern.${step.outcome}`,
			subjectType: 'concern',
			subjectId: concern.id,
			detail: { reason: step.reason.trim(), mergedInto: step.mergedInto, escalatedTo: step.escalatedTo }
		});
		const cosigners = (
			await tx.select({ userId: concernCosigns.userId }).from(concernCosigns).where(eq(concernCosigns.concernId, concern.id))
		).map((r) => r.userId);
		const href = `/concerns/${concern.id}`;
		await notify(
			tx,
			[concern.raisedBy, ...cosigners],
			{
				kind: 'triage',
				title: `${OUTCOME_MESSAGES[step.outcome]({}, ZH)}：${concern.title}`,
				body: `理由：${step.reason.trim()}`,
				href
			},
			actor.userId
		);
		if (step.outcome === 'escalate' && step.escalatedTo) {
			await notify(tx, await grantHolders(tx, 'cluster_coordinator', [step.escalatedTo]), {
				kind: 'triage',
				title: `居委上报的议题：${concern.title}`,
				body: `上报理由：${step.reason.trim()}`,
				href
			});
		}
		if (step.outcome === 'hand_back') {
			await notify(
				tx,
				await handlersOf(tx, { ...concern, status: 'queued' }),
				{ kind: 'triage', title: `片区退回的议题：${concern.title}`, body: `退回理由：${step.reason.trim()}`, href },
				actor.userId
			);
		}
	});
}

/** 分拣: merge with a duplicate, answer directly, reject, or accept as an agenda item. */
export async function triageConcern(
	database: Database,
	actor: Actor,
	concernId: string,
	input: TriageInput
): Promise<{ status: ConcernStatus }> {
	const at = await concernForTriage(database, actor, concernId);
	if (!['merge', 'answer', 'reject', 'accept'].includes(input.outcome))
		throw new InvalidInput(m.concerns_outcome_missing(), { outcome: m.concerns_choose() });
	let mergeTarget: { id: string; status: ConcernStatus } | null = null;
	if (input.outcome === 'merge' && input.mergeInto) {
		const [t] = await database.db
			.select({ id: concerns.id, status: concerns.status })
			.from(concerns)
			.where(eq(concerns.id, input.mergeInto))
			.limit(1);
		mergeTarget = t ?? null;
	}
	requireTriageStep(at, { outcome: input.outcome, reason: input.reason, mergeTarget });
	await recordTriage(database, actor, at.concern, {
		outcome: input.outcome,
		reason: input.reason,
		level: at.atCluster ? 'cluster' : 'local',
		mergedInto: mergeTarget?.id ?? null
	});
	return { status: statusAfter(input.outcome) };
}

/** 退回居委: the 片区 returns an escalated one-compound concern to its 居委 / 业委会, with a reason. */
export async function handBackConcern(
	database: Database,
	actor: Actor,
	concernId: string,
	reason: string
): Promise<{ status: ConcernStatus }> {
	const at = await concernForTriage(database, actor, concernId);
	requireTriageStep(at, { outcome: 'hand_back', reason });
	await recordTriage(database, actor, at.concern, { outcome: 'hand_back', reason, level: 'cluster' });
	return { status: statusAfter('hand_back') };
}

/** 上报片区: 小事不出居委、大事不出片区. Goes to the common 片区 of the compounds it touches. */
export async function escalateConcern(
	database: Database,
	actor: Actor,
	concernId: string,
	reason: string
): Promise<{ escalatedTo: string }> {
	const at = await concernForTriage(database, actor, concernId);
	requireTriageStep(at, { outcome: 'escalate', reason });
	const { clusterId } = at;
	if (!clusterId) throw new RuleBroken(m.concerns_no_cluster());
	await recordTriage(database, actor, at.concern, { outcome: 'escalate', reason, level: 'local', escalatedTo: clusterId });
	return { escalatedTo: clusterId };
}

export interface ConcernSummary {
	id: string;
	title: string;
	category: string;
	categoryLabel: string;
	status: ConcernStatus;
	statusLabel: string;
	compounds: string[];
	support: number;
	missing: number;
	thresholdText: string;
	raisedAt: number;
}

async function summarise(handle: Db, rows: ConcernRow[]): Promise<ConcernSummary[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const cosigns = await handle
		.select({ concernId: concernCosigns.concernId, userId: concernCosigns.userId, unitId: concernCosigns.unitId })
		.from(concernCosigns)
		.where(inArray(concernCosigns.concernId, ids));
	const names = await nodeNames(
		handle,
		rows.flatMap((r) => parseIds(r.compoundIds))
	);
	return rows.map((r) => {
		const threshold = parseThreshold(JSON.parse(r.threshold));
		const support = supportCount(cosigns.filter((c) => c.concernId === r.id));
		return {
			id: r.id,
			title: r.title,
			category: r.category,
			categoryLabel: CATEGORY_LABELS[r.category as ConcernCategory] ?? r.category,
			status: r.status,
			statusLabel: STATUS_LABELS[r.status],
			compounds: parseIds(r.compoundIds).map((id) => names.get(id)?.name ?? id),
			support,
			missing: supportMissing(support, r.households, threshold),
			thresholdText: describeThreshold(threshold),
			raisedAt: r.raisedAt
		};
	});
}

/** Concerns of the compounds the actor lives in or works for; everything for an admin. */
export async function listConcerns(database: Database, actor: Actor): Promise<ConcernSummary[]> {
	const rows = await database.db.select().from(concerns).orderBy(desc(concerns.raisedAt)).limit(200);
	const visible: ConcernRow[] = [];
	for (const r of rows) if (await canSee(database, actor, r)) visible.push(r);
	return summarise(database.db, visible);
}

async function canSee(database: Database, actor: Actor, concern: ConcernRow): Promise<boolean> {
	const compounds = await compoundScopes(database, parseIds(concern.compoundIds));
	return (
		compounds.some((c) => decide(actor, 'compound.view', { compounds: [c] }).allowed) ||
		decide(actor, 'agenda.manage', { compounds }).allowed
	);
}

/** The actor's triage queue: queued concerns of their compounds, escalated ones of their 片区. */
export async function triageQueue(database: Database, actor: Actor): Promise<ConcernSummary[]> {
	const rows = await database.db
		.select()
		.from(concerns)
		.where(inArray(concerns.status, ['queued', 'escalated']))
		.orderBy(asc(concerns.queuedAt));
	const mine: ConcernRow[] = [];
	for (const r of rows) {
		const scope = await triageScope(database, r);
		if (decide(actor, 'agenda.manage', { compounds: scope.compounds }).allowed) mine.push(r);
	}
	return summarise(database.db, mine);
}

export interface ConcernDetail extends ConcernSummary {
	body: string;
	location: string;
	homeCompoundId: string;
	compoundIds: string[];
	raisedBy: string;
	photos: { id: string }[];
	history: {
		outcome: TriageOutcome;
		outcomeLabel: string;
		reason: string;
		level: 'local' | 'cluster';
		actor: string;
		at: number;
		mergedInto: string | null;
	}[];
	cosigned: boolean;
	mayCosign: boolean;
	mayTriage: boolean;
	belongs: 'local' | 'cluster';
	atCluster: boolean;
	mergedInto: string | null;
	/** Other open concerns of the same compounds, for merge. */
	mergeCandidates: { id: string; title: string }[];
	/** What this person may do with it now (empty unless mayTriage): the triage form offers only these. */
	outcomes: TriageOutcome[];
}

export async function concernDetail(database: Database, actor: Actor, concernId: string): Promise<ConcernDetail> {
	const concern = await loadConcern(database.db, concernId);
	if (!(await canSee(database, actor, concern))) throw new NotFound(m.concerns_not_found());
	const [summary] = await summarise(database.db, [concern]);
	const compoundIds = parseIds(concern.compoundIds);
	const photos = await database.db
		.select({ id: concernPhotos.id })
		.from(concernPhotos)
		.where(eq(concernPhotos.concernId, concernId))
		.orderBy(asc(concernPhotos.position));
	const history = await database.db
		.select()
		.from(concernTriage)
		.where(eq(concernTriage.concernId, concernId))
		.orderBy(asc(concernTriage.at));
	const names = await userNames(database.db, [concern.raisedBy, ...history.map((h) => h.actorId)]);
	const [mine] = await database.db
		.select({ at: concernCosigns.at })
		.from(concernCosigns)
		.where(and(eq(concernCosigns.concernId, concernId), eq(concernCosigns.userId, actor.userId)))
		.limit(1);
	const scope = await triageScope(database, concern);
	const { belongs } = await belongsOf(database.db, concern);
	const mayTriage =
		(concern.status === 'queued' || concern.status === 'escalated') &&
		decide(actor, 'agenda.manage', { compounds: scope.compounds }).allowed;
	const candidates = mayTriage
		? await database.db
				.select({ id: concerns.id, title: concerns.title })
				.from(concerns)
				.where(
					and(
						eq(concerns.homeCompoundId, concern.homeCompoundId),
						inArray(concerns.status, ['collecting', 'queued', 'escalated', 'accepted']),
						sql`${concerns.id} <> ${concernId}`
					)
				)
				.limit(50)
		: [];
	return {
		...summary,
		body: concern.body,
		location: concern.location,
		homeCompoundId: concern.homeCompoundId,
		compoundIds,
		raisedBy: names.get(concern.raisedBy) ?? m.concerns_resident(),
		photos,
		history: history.map((h) => ({
			outcome: h.outcome,
			outcomeLabel: OUTCOME_LABELS[h.outcome],
			reason: h.reason,
			level: h.level,
			actor: names.get(h.actorId) ?? '',
			at: h.at,
			mergedInto: h.mergedInto
		})),
		cosigned: !!mine,
		mayCosign:
			(concern.status === 'collecting' || concern.status === 'queued') &&
			decide(actor, 'concern.cosign', { compounds: await compoundScopes(database, compoundIds) }).allowed,
		mayTriage,
		belongs,
		atCluster: scope.atCluster,
		mergedInto: concern.mergedInto,
		mergeCandidates: candidates,
		outcomes: mayTriage ? allowedOutcomes({ status: concern.status, belongs, atCluster: scope.atCluster }) : []
	};
}

/** A stored (already cleaned) photo, for the serving route. Same visibility as its concern. */
export async function concernPhoto(
	database: Database,
	actor: Actor,
	concernId: string,
	photoId: string
): Promise<{ contentType: string; bytes: Uint8Array }> {
	const concern = await loadConcern(database.db, concernId);
	if (!(await canSee(database, actor, concern))) throw new NotFound(m.concerns_photo_not_found());
	const [row] = await database.db
		.select()
		.from(concernPhotos)
		.where(and(eq(concernPhotos.id, photoId), eq(concernPhotos.concernId, concernId)))
		.limit(1);
	if (!row) throw new NotFound(m.concerns_photo_not_found());
	return { contentType: row.contentType, bytes: new Uint8Array(row.bytes) };
}

/** The compounds a person may raise a concern in, and the neighbours they may name. */
export async function concernForm(database: Database, actor: Actor) {
	const home = [...new Set(actor.memberships.map((m) => m.compoundId))];
	const all = await compoundsByName(database.db);
	const homes = [];
	for (const c of all)
		if (home.includes(c.id) || decide(actor, 'concern.raise', { compounds: await compoundScopes(database, [c.id]) }).allowed)
			homes.push(c);
	return {
		homes,
		compounds: all,
		categories: CONCERN_CATEGORIES.map((c) => ({ id: c, label: CATEGORY_LABELS[c] }))
	};
}
