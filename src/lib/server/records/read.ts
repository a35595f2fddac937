/**
 * Public reading of records: list and search, the record page, the open-data API, the Atom feed,
 * and verification of the whole chain. Everyone may read published records, no login (DOMAIN §5).
 * Nothing here returns names, phone numbers or unmasked per-unit votes.
 */
import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import {
	STAGE_LABELS,
	checkRecordAgainstExport,
	daysLeft,
	perUnitExportIsPublic,
	verifyChain,
	type ChainProblem,
	type PublicObjection,
	type RecordDocument
} from '../../domain/records/index.ts';
import type { Outcome, OwnersCompoundTally } from '../../domain/voting/index.ts';
import { missedQuorumOnly, motionOutcomeWords } from '../../domain/records/outcome.ts';
import type { Database } from '../db/client.ts';
import { orgNodes, outcomeRecordPlaces, outcomeRecords, itemClosures } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import { chinaYear } from '../../domain/time/china-date.ts';
import { documentOf, itemVersions, loadRecord, recordMetaColumns, verifiedDocument, type RecordMeta, type RecordRow } from './common.ts';
import { rowsForIds } from '../db/where-in.ts';
import { NotFound } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { getFollowThrough, type FollowThrough } from './followup.ts';
import { publicObjections } from './publish.ts';

export interface RecordFilter {
	street?: string;
	committee?: string;
	compound?: string;
	year?: number;
	/** Words in the title. */
	q?: string;
}

export interface RecordSummary {
	id: string;
	itemId: string;
	title: string;
	stage: 'preliminary' | 'final';
	stageLabel: string;
	versionNo: number;
	corrected: boolean;
	publishedAt: number;
	firstPublishedAt: number;
	disputeEndsAt: number | null;
	compounds: string[];
	/** The outcome in Chinese words (the Atom feed); pages say it from `motions`, in the reader's language. */
	outcome: string;
	motions: { title: string; outcome: Outcome | 'quorum_missed' }[];
	closed: boolean;
	hash: string;
}

function outcomeLine(doc: RecordDocument): string {
	const motions = doc.content.result.motions;
	return motions.map((m) => (motions.length > 1 ? `${m.title}：${motionOutcomeWords(m)}` : motionOutcomeWords(m))).join('；');
}

/** What a list shows of a record version's document. */
type ListedParts = Pick<RecordSummary, 'corrected' | 'compounds' | 'outcome' | 'motions'>;

/**
 * The listed parts of each document, kept per process by the document's hash: a published version is never changed
 * (the database refuses it) and the hash names its content, so a list reads and parses each document once, not once per
 * view, and never reads the public vote export. Bounded; the oldest entry goes first.
 */
const listedByHash = new Map<string, ListedParts>();
const LISTED_MAX = 20_000;

async function listedParts(database: Database, versions: { id: string; hash: string }[]): Promise<Map<string, ListedParts>> {
	const missing = versions.filter((v) => !listedByHash.has(v.hash)).map((v) => v.id);
	const docs = await rowsForIds(missing, (ids) =>
		database.db
			.select({ hash: outcomeRecords.hash, document: outcomeRecords.document })
			.from(outcomeRecords)
			.where(inArray(outcomeRecords.id, ids))
	);
	for (const row of docs) {
		const doc = JSON.parse(row.document) as RecordDocument;
		if (listedByHash.size >= LISTED_MAX) listedByHash.delete(listedByHash.keys().next().value!);
		listedByHash.set(row.hash, {
			corrected: doc.correction !== null,
			compounds: doc.content.compounds.map((c) => c.name),
			outcome: outcomeLine(doc),
			motions: doc.content.result.motions.map((m) => ({
				title: m.title,
				outcome: missedQuorumOnly(m) ? ('quorum_missed' as const) : m.joint.outcome
			}))
		});
	}
	return new Map(versions.map((v) => [v.id, listedByHash.get(v.hash)!]));
}

/**
 * The current version of every item matching the filter, newest first. Reads the versions without their large texts
 * (`recordMetaColumns`); the document of each listed version comes from `listedParts`.
 */
export async function searchRecords(database: Database, filter: RecordFilter = {}): Promise<RecordSummary[]> {
	const placeIds = [filter.street, filter.committee, filter.compound].filter((v): v is string => typeof v === 'string' && v.length > 0);
	let itemIds: string[] | null = null;
	for (const nodeId of placeIds) {
		const rows = await database.db
			.select({ itemId: outcomeRecordPlaces.itemId })
			.from(outcomeRecordPlaces)
			.where(eq(outcomeRecordPlaces.nodeId, nodeId));
		const ids = rows.map((r) => r.itemId);
		itemIds = itemIds === null ? ids : itemIds.filter((id) => ids.includes(id));
	}
	if (itemIds !== null && itemIds.length === 0) return [];
	const conditions = [];
	if (itemIds !== null) conditions.push(inArray(outcomeRecords.itemId, itemIds));
	if (filter.q && filter.q.trim()) conditions.push(like(outcomeRecords.title, `%${filter.q.trim().replace(/[%_]/g, '')}%`));
	const rows = await database.db
		.select(recordMetaColumns)
		.from(outcomeRecords)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(outcomeRecords.itemId), desc(outcomeRecords.versionNo));
	const latest = new Map<string, RecordMeta>();
	const first = new Map<string, number>();
	for (const r of rows) {
		if (!latest.has(r.itemId)) latest.set(r.itemId, r);
		first.set(r.itemId, Math.min(first.get(r.itemId) ?? Infinity, r.publishedAt));
	}
	// Titles can be searched in any version, but the year is the year of first publication.
	const allVersions = latest.size
		? await database.db
				.select({ itemId: outcomeRecords.itemId, publishedAt: outcomeRecords.publishedAt })
				.from(outcomeRecords)
				.where(inArray(outcomeRecords.itemId, [...latest.keys()]))
		: [];
	for (const v of allVersions) first.set(v.itemId, Math.min(first.get(v.itemId) ?? Infinity, v.publishedAt));
	const closed = new Set(
		latest.size
			? (
					await database.db
						.select({ itemId: itemClosures.itemId })
						.from(itemClosures)
						.where(inArray(itemClosures.itemId, [...latest.keys()]))
				).map((r) => r.itemId)
			: []
	);
	const listed = [...latest.values()].filter((r) => filter.year === undefined || chinaYear(first.get(r.itemId)!) === filter.year);
	const parts = await listedParts(database, listed);
	return listed
		.map((r) => ({
			id: r.id,
			itemId: r.itemId,
			title: r.title,
			stage: r.stage,
			stageLabel: STAGE_LABELS[r.stage],
			versionNo: r.versionNo,
			...parts.get(r.id)!,
			publishedAt: r.publishedAt,
			firstPublishedAt: first.get(r.itemId)!,
			disputeEndsAt: r.disputeEndsAt,
			closed: closed.has(r.itemId),
			hash: r.hash
		}))
		.sort((a, b) => b.firstPublishedAt - a.firstPublishedAt || (a.itemId < b.itemId ? -1 : 1));
}

export const listRecords = (database: Database) => searchRecords(database, {});

/** The choices for the search form: places and years that have records. */
export async function recordFilterOptions(database: Database) {
	const places = await database.db
		.selectDistinct({ id: orgNodes.id, name: orgNodes.name, kind: outcomeRecordPlaces.kind })
		.from(outcomeRecordPlaces)
		.innerJoin(orgNodes, eq(orgNodes.id, outcomeRecordPlaces.nodeId))
		.orderBy(asc(orgNodes.name));
	const years = await database.db
		.select({ year: sql<number>`min(${outcomeRecords.year})` })
		.from(outcomeRecords)
		.groupBy(outcomeRecords.itemId);
	return {
		streets: places.filter((p) => p.kind === 'street'),
		committees: places.filter((p) => p.kind === 'committee'),
		compounds: places.filter((p) => p.kind === 'compound'),
		years: [...new Set(years.map((y) => y.year))].sort((a, b) => b - a)
	};
}

export interface PublicRecord {
	id: string;
	seq: number;
	hash: string;
	prevHash: string | null;
	/** The document was checked against its hash (as 校验 does) when this process first read it. */
	verified: boolean;
	document: RecordDocument;
	isCurrent: boolean;
	latestId: string;
	versions: { id: string; versionNo: number; stage: string; stageLabel: string; publishedAt: number; correction: string | null }[];
	/** Objections of the item so far (live during the window; the final document carries its own copy). */
	objections: PublicObjection[];
	windowOpen: boolean;
	daysLeft: number;
	followThrough: FollowThrough;
	/** The participating compounds' tallies per motion, for the charts. */
	charts: { motionId: string; title: string; compounds: OwnersCompoundTally[] }[];
}

export async function getPublicRecord(database: Database, recordId: string): Promise<PublicRecord> {
	// One query for the record's item and all its versions, stamps only; the documents come from
	// the verified-document cache (published records never change; hits are keyed on the hash).
	const versions = await database.db
		.select(recordMetaColumns)
		.from(outcomeRecords)
		.where(
			eq(
				outcomeRecords.itemId,
				sql`(select ${outcomeRecords.itemId} from ${outcomeRecords} where ${outcomeRecords.id} = ${recordId})`
			)
		)
		.orderBy(asc(outcomeRecords.versionNo));
	const row = versions.find((v) => v.id === recordId);
	if (!row) throw new NotFound(m.records_error_no_record());
	const latest = versions.at(-1)!;
	const [{ doc, verified }, versionDocs] = await Promise.all([
		verifiedDocument(database.db, row),
		Promise.all(versions.map((v) => verifiedDocument(database.db, v)))
	]);
	const now = clock.now();
	const windowOpen = latest.id === row.id && row.stage === 'preliminary' && row.disputeEndsAt !== null && now < row.disputeEndsAt;
	const [objections, followThrough] = await Promise.all([
		publicObjections(database, row.itemId, versionDocs[0].doc.content.publishedBy),
		getFollowThrough(database, row.itemId, versions)
	]);
	return {
		id: row.id,
		seq: row.seq,
		hash: row.hash,
		prevHash: row.prevHash,
		verified,
		document: doc,
		isCurrent: latest.id === row.id,
		latestId: latest.id,
		versions: versions.map((v, i) => ({
			id: v.id,
			versionNo: v.versionNo,
			stage: v.stage,
			stageLabel: STAGE_LABELS[v.stage],
			publishedAt: v.publishedAt,
			correction: versionDocs[i].doc.correction?.reason ?? null
		})),
		objections,
		windowOpen,
		daysLeft: row.disputeEndsAt === null ? 0 : daysLeft(row.disputeEndsAt, now),
		followThrough,
		charts: doc.content.result.motions.map((m) => ({
			motionId: m.motionId,
			title: m.title,
			compounds: m.compounds.filter((c): c is OwnersCompoundTally => c.kind === 'owners')
		}))
	};
}

export const API_FORMAT = 'yishi-records';
export const API_VERSION = 1;

/**
 * `origin` comes from publicOrigin: null when no origin can be trusted, and the links are then
 * relative to this server ("/records/…").
 */
function apiEntry(row: RecordRow, origin: string | null) {
	origin ??= '';
	return {
		id: row.id,
		seq: row.seq,
		itemId: row.itemId,
		versionNo: row.versionNo,
		stage: row.stage,
		title: row.title,
		publishedAt: new Date(row.publishedAt).toISOString(),
		hash: row.hash,
		prevHash: row.prevHash,
		url: `${origin}/records/${row.id}`,
		api: `${origin}/api/v1/records/${row.id}`,
		document: documentOf(row)
	};
}

/** GET /api/v1/records: every record version (the whole chain) or a filtered selection of items. */
export async function recordsApi(database: Database, origin: string | null, filter: RecordFilter = {}) {
	const filtered = Object.values(filter).some((v) => v !== undefined && v !== '');
	let rows: RecordRow[];
	if (filtered) {
		const items = (await searchRecords(database, filter)).map((r) => r.itemId);
		rows = items.length
			? await database.db.select().from(outcomeRecords).where(inArray(outcomeRecords.itemId, items)).orderBy(asc(outcomeRecords.seq))
			: [];
	} else {
		rows = await database.db.select().from(outcomeRecords).orderBy(asc(outcomeRecords.seq));
	}
	const [head] = await database.db
		.select({ seq: outcomeRecords.seq, hash: outcomeRecords.hash })
		.from(outcomeRecords)
		.orderBy(desc(outcomeRecords.seq))
		.limit(1);
	return {
		format: API_FORMAT,
		version: API_VERSION,
		generatedAt: new Date(clock.now()).toISOString(),
		/** true when this list is the whole chain (no filter), so the chain itself can be verified. */
		complete: !filtered,
		head: head ?? null,
		records: rows.map((r) => apiEntry(r, origin))
	};
}

/**
 * GET /api/v1/records/{id}: one record, its objections and follow-through. A v1 record also carries
 * the public vote export it was published with; a v2 record carries no per-unit row: its per-unit
 * export is for the compound's owners, scrutineers and 居委 (`unitExport.url`, signed in).
 */
export async function recordApi(database: Database, origin: string | null, recordId: string) {
	const base = origin ?? '';
	const row = await loadRecord(database.db, recordId);
	const versions = await itemVersions(database.db, row.itemId);
	const follow = await getFollowThrough(database, row.itemId);
	const perUnitPublic = perUnitExportIsPublic(documentOf(row));
	return {
		format: 'yishi-record',
		version: API_VERSION,
		...apiEntry(row, origin),
		latestId: versions.at(-1)!.id,
		versions: versions.map((v) => ({ id: v.id, versionNo: v.versionNo, stage: v.stage, hash: v.hash, url: `${base}/records/${v.id}` })),
		// JSON leaves out whichever of the two is undefined.
		voteExport: perUnitPublic ? (JSON.parse(row.voteExport) as unknown) : undefined,
		unitExport: perUnitPublic
			? undefined
			: {
					access: '本小区业主、监票人、居委登录后下载 / owners of the compound, scrutineers and the 居委, signed in',
					url: `${base}/records/${row.id}/units.json`
				},
		objections: await publicObjections(database, row.itemId),
		followThrough: {
			tasks: follow.tasks.map((t) => ({
				...t,
				updates: t.updates.map((u) => ({
					...u,
					at: new Date(u.at).toISOString(),
					photos: u.photoIds.map((p) => `${base}/records/photos/${p}`)
				}))
			})),
			ratings: follow.ratings,
			ratingCount: follow.ratingCount,
			closedAt: follow.closedAt === null ? null : new Date(follow.closedAt).toISOString()
		}
	};
}

function xml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * /records/feed.xml: one Atom entry per published version (preliminary, corrections, final), newest first.
 * Without a trusted origin (null) the links are relative (readers resolve them against the feed's
 * own address) and the ids, which Atom requires to be absolute, are tag: URIs.
 */
export async function recordAtomFeed(database: Database, origin: string | null): Promise<string> {
	const link = (path: string) => `${origin ?? ''}${path}`;
	const id = (path: string) => (origin === null ? `tag:yishi,2025:${path}` : `${origin}${path}`);
	const rows = await database.db.select().from(outcomeRecords).orderBy(desc(outcomeRecords.seq)).limit(100);
	const updated = new Date(rows[0]?.publishedAt ?? 0).toISOString();
	const entries = rows.map((r) => {
		const doc = documentOf(r);
		const kind = doc.correction ? `更正（第 ${r.versionNo} 版）` : STAGE_LABELS[r.stage];
		const summary = `${kind}：${doc.content.compounds.map((c) => c.name).join('、')} · ${outcomeLine(doc)} · 校验码 SHA-256 ${r.hash}`;
		return [
			'  <entry>',
			`    <id>${xml(id(`/records/${r.id}`))}</id>`,
			`    <title>${xml(`【${kind}】${r.title}`)}</title>`,
			`    <updated>${new Date(r.publishedAt).toISOString()}</updated>`,
			`    <published>${new Date(r.publishedAt).toISOString()}</published>`,
			`    <link rel="alternate" type="text/html" href="${xml(link(`/records/${r.id}`))}"/>`,
			`    <link rel="related" type="application/json" href="${xml(link(`/api/v1/records/${r.id}`))}"/>`,
			`    <author><name>${xml(doc.content.publishedBy)}</name></author>`,
			`    <summary>${xml(summary)}</summary>`,
			'  </entry>'
		].join('\n');
	});
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
		`  <id>${xml(id('/records'))}</id>`,
		'  <title>议事 · 公示记录</title>',
		`  <updated>${updated}</updated>`,
		`  <link rel="self" type="application/atom+xml" href="${xml(link('/records/feed.xml'))}"/>`,
		`  <link rel="alternate" type="text/html" href="${xml(link('/records'))}"/>`,
		'  <author><name>议事</name></author>',
		...entries,
		'</feed>',
		''
	].join('\n');
}

export interface VerificationReport {
	ok: boolean;
	checked: number;
	head: { seq: number; hash: string } | null;
	problems: ChainProblem[];
}

/**
 * 校验: the chain and every record's hash, that the listing columns agree with the hashed
 * document, and that each record's published vote export recounts to the record's figures.
 */
export async function verifyRecordChain(database: Database): Promise<VerificationReport> {
	const rows = await database.db.select().from(outcomeRecords).orderBy(asc(outcomeRecords.seq));
	const report = verifyChain(rows.map((r) => ({ seq: r.seq, id: r.id, hash: r.hash, prevHash: r.prevHash, document: r.document })));
	const problems = [...report.problems];
	for (const r of rows) {
		const add = (zh: string, en: string) => problems.push({ seq: r.seq, id: r.id, zh, en });
		let doc: RecordDocument;
		try {
			doc = JSON.parse(r.document) as RecordDocument;
		} catch {
			continue;
		}
		const columns: [string, unknown, unknown][] = [
			['title', r.title, doc.content?.title],
			['stage', r.stage, doc.stage],
			['itemId', r.itemId, doc.itemId],
			['versionNo', r.versionNo, doc.versionNo],
			['supersedesId', r.supersedesId, doc.supersedesId],
			['publishedAt', new Date(r.publishedAt).toISOString(), doc.publishedAt],
			[
				'disputeEndsAt',
				r.disputeEndsAt === null ? null : new Date(r.disputeEndsAt).toISOString(),
				doc.stage === 'preliminary' ? (doc.dispute?.endsAt ?? null) : null
			],
			['ballotId', r.ballotId, doc.content?.ballot?.ballotId]
		];
		for (const [name, column, inDoc] of columns) {
			if (column !== inDoc) add(`列表字段 ${name} 与记录内容不一致`, `column ${name} disagrees with the hashed document`);
		}
		let exportValue: unknown;
		try {
			exportValue = JSON.parse(r.voteExport);
		} catch {
			add('公开的表决数据不是有效的 JSON', 'the public vote export is not valid JSON');
			continue;
		}
		const check = checkRecordAgainstExport(doc.content, exportValue);
		for (const p of check.problems) add(p, p);
	}
	return { ok: problems.length === 0, checked: report.checked, head: report.head, problems };
}
