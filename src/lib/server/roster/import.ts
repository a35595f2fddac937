import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import {
	MAX_ROSTER_FILE_BYTES,
	RosterFileError,
	checkRosterFile,
	decodeDelimited,
	isXlsx,
	type DecodedRosterFile,
	diffRosters,
	ownerGroupKey,
	summariseRoster,
	validateRoster,
	type RosterDiff,
	type RosterProblem,
	type RosterUnit
} from '../../domain/roster/index.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database, Tx } from '../db/client.ts';
import { orgNodes, rosterEntries, rosterVersions, units } from '../db/schema/index.ts';
import { InvalidInput, RuleBroken, refuseDuplicate } from '../errors.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { getNode, insertNode } from '../communities/tree.ts';
import { readXlsxOffThread } from './xlsx-off-thread.ts';
import { latestRosterVersion, unitsOfVersion } from './units.ts';
import { m } from '../../paraglide/messages.js';
import { summariseDiff } from '../../domain/roster/diff.ts';

/** 20,000 units must work; a file far larger than that is a mistake or an attack. */
export const MAX_ROSTER_BYTES = MAX_ROSTER_FILE_BYTES;
export const MAX_ROSTER_UNITS = 30_000;

export interface RosterPreview {
	fileName: string;
	format: 'csv' | 'xlsx';
	encoding?: string;
	rowCount: number;
	units: number;
	problems: RosterProblem[];
	diff: Pick<RosterDiff, 'summary' | 'fieldCounts'> & { added: number; removed: number; changed: number };
	/** Buildings in the file that the compound does not have yet (only allowed on a first import). */
	newBuildings: string[];
	ownerCount: number;
	totalAreaHundredths: number;
	isFirstImport: boolean;
}

async function buildingsOf(reader: Tx, compoundId: string) {
	return reader
		.select({ id: orgNodes.id, name: orgNodes.name })
		.from(orgNodes)
		.where(and(eq(orgNodes.parentId, compoundId), eq(orgNodes.kind, 'building')));
}

/**
 * Decodes within the limits: the file's size is checked before anything is decoded, and an XLSX
 * is inflated and read in a worker thread with its own size and time limits (xlsx-off-thread.ts).
 */
async function readFile(bytes: Uint8Array, fileName: string): Promise<DecodedRosterFile> {
	try {
		checkRosterFile(bytes, fileName);
		if (isXlsx(bytes)) return { format: 'xlsx', rows: await readXlsxOffThread(bytes) };
		return decodeDelimited(bytes, fileName);
	} catch (error) {
		if (error instanceof RosterFileError) throw new InvalidInput(error.message);
		throw error;
	}
}

async function analyse(database: Database, compoundId: string, bytes: Uint8Array, fileName: string) {
	const decoded = await readFile(bytes, fileName);
	const buildings = await buildingsOf(database.db, compoundId);
	const isFirstImport = (await latestRosterVersion(database, compoundId)) === null;
	// On the first import the file defines the buildings (those the administrator already created are
	// matched, the others are added and listed in the preview); afterwards an unknown building is a typo.
	const validation = validateRoster(decoded.rows, isFirstImport ? {} : { knownBuildings: buildings.map((b) => b.name) });
	if (validation.units.length > MAX_ROSTER_UNITS) throw new InvalidInput(m.admin_ri_too_many({ max: MAX_ROSTER_UNITS }));
	const previous = await previousRoster(database, compoundId);
	const diff = diffRosters(previous, validation.units);
	const known = new Set(buildings.map((b) => b.name));
	const newBuildings = [...new Set(validation.units.map((u) => u.building))].filter((b) => !known.has(b));
	return { decoded, validation, diff, newBuildings, isFirstImport, buildings };
}

async function previousRoster(database: Database, compoundId: string): Promise<RosterUnit[]> {
	const version = await latestRosterVersion(database, compoundId);
	if (!version) return [];
	const rows = await unitsOfVersion(database, version.id);
	return rows.map((r) => ({
		building: r.buildingName,
		room: r.room,
		areaHundredths: r.areaHundredths,
		areaSource: r.areaSource,
		status: r.status,
		owners: r.owners
	}));
}

/** The roster.manage check alone: the confirm step refuses a non-manager before looking for their staged upload. */
export async function rosterManager(database: Database, actor: Actor, compoundId: string): Promise<void> {
	requireAccess(actor, 'roster.manage', { compounds: [await compoundScope(database, compoundId)] });
}

/** 预览: reads and checks the file, compares it with the current roster. Writes nothing. */
export async function previewRosterImport(
	database: Database,
	actor: Actor,
	compoundId: string,
	bytes: Uint8Array,
	fileName: string
): Promise<RosterPreview> {
	requireAccess(actor, 'roster.manage', { compounds: [await compoundScope(database, compoundId)] });
	const { decoded, validation, diff, newBuildings, isFirstImport } = await analyse(database, compoundId, bytes, fileName);
	const summary = summariseRoster(validation.units);
	return {
		fileName,
		format: decoded.format,
		encoding: decoded.encoding,
		rowCount: validation.rowCount,
		units: validation.units.length,
		problems: validation.problems,
		diff: {
			summary: summariseDiff(diff.added.length, diff.removed.length, diff.changed.length, diff.fieldCounts),
			fieldCounts: diff.fieldCounts,
			added: diff.added.length,
			removed: diff.removed.length,
			changed: diff.changed.length
		},
		newBuildings,
		ownerCount: summary.ownerCount,
		totalAreaHundredths: summary.totalAreaHundredths,
		isFirstImport
	};
}

/**
 * 确认导入: re-reads the same file (the browser's preview is never trusted), refuses it while any
 * row has a problem, and appends a new roster version in one transaction. The previous version
 * stays as it was; a failure leaves it the current one.
 */
export async function confirmRosterImport(
	database: Database,
	actor: Actor,
	compoundId: string,
	bytes: Uint8Array,
	fileName: string
): Promise<{ versionId: string; versionNo: number; summary: string }> {
	requireAccess(actor, 'roster.manage', { compounds: [await compoundScope(database, compoundId)] });
	const { validation, diff } = await analyse(database, compoundId, bytes, fileName);
	if (validation.problems.length > 0) {
		throw new InvalidInput(m.admin_ri_problems_left({ count: validation.problems.length }));
	}
	if (validation.units.length === 0) throw new InvalidInput(m.admin_ri_no_units());
	return database.write((tx) => appendRosterVersion(tx, { compoundId, units: validation.units, fileName, actorId: actor.userId, diff }));
}

/**
 * Appends one roster version: creates missing buildings and unit identities, then one entry per
 * unit. Used by the import and by the demo seed. Runs inside the caller's write.
 */
export async function appendRosterVersion(
	tx: Tx,
	input: { compoundId: string; units: RosterUnit[]; fileName: string; actorId: string | null; diff?: RosterDiff; isDemo?: boolean }
): Promise<{ versionId: string; versionNo: number; summary: string }> {
	const { compoundId } = input;
	const buildings = new Map((await buildingsOf(tx, compoundId)).map((b) => [b.name, b.id]));
	for (const name of new Set(input.units.map((u) => u.building))) {
		if (!buildings.has(name))
			buildings.set(name, await insertNode(tx, { kind: 'building', name, parentId: compoundId, isDemo: input.isDemo }));
	}
	const existing = new Map<string, string>();
	const ids = [...buildings.values()];
	for (let i = 0; i < ids.length; i += 200) {
		const rows = await tx
			.select({ id: units.id, buildingId: units.buildingId, room: units.room })
			.from(units)
			.where(inArray(units.buildingId, ids.slice(i, i + 200)));
		for (const r of rows) existing.set(`${r.buildingId}\u0000${r.room}`, r.id);
	}
	const last = await tx
		.select({ versionNo: rosterVersions.versionNo })
		.from(rosterVersions)
		.where(eq(rosterVersions.compoundId, compoundId));
	const versionNo = last.reduce((m, r) => Math.max(m, r.versionNo), 0) + 1;
	const versionId = newId();
	const now = clock.now();
	const newUnits: (typeof units.$inferInsert)[] = [];
	const entries: (typeof rosterEntries.$inferInsert)[] = [];
	let totalArea = 0;
	for (const u of input.units) {
		const buildingId = buildings.get(u.building)!;
		const key = `${buildingId}\u0000${u.room}`;
		let unitId = existing.get(key);
		if (!unitId) {
			unitId = newId();
			existing.set(key, unitId);
			newUnits.push({ id: unitId, compoundId, buildingId, room: u.room, createdAt: now });
		}
		totalArea += u.areaHundredths;
		entries.push({
			versionId,
			unitId,
			areaHundredths: u.areaHundredths,
			areaSource: u.areaSource,
			status: u.status,
			owners: JSON.stringify(u.owners),
			ownerKey: ownerGroupKey(u),
			sourceRow: u.sourceRow ?? null
		});
	}
	for (let i = 0; i < newUnits.length; i += 500) await tx.insert(units).values(newUnits.slice(i, i + 500));
	const summary = input.diff?.summary ?? `首次导入 ${input.units.length} 户`;
	await refuseDuplicate(
		tx.insert(rosterVersions).values({
			id: versionId,
			compoundId,
			versionNo,
			fileName: input.fileName,
			createdBy: input.actorId,
			createdAt: now,
			unitCount: input.units.length,
			totalAreaHundredths: totalArea,
			diffSummary: summary,
			diff: JSON.stringify(
				input.diff
					? {
							added: input.diff.added.map((u) => `${u.building} ${u.room}`),
							removed: input.diff.removed.map((u) => `${u.building} ${u.room}`),
							changed: input.diff.changed.map((c) => ({ unit: `${c.building} ${c.room}`, fields: c.fields }))
						}
					: {}
			)
		}),
		new RuleBroken(m.admin_ri_race(), 'roster_race')
	);
	for (let i = 0; i < entries.length; i += 500) await tx.insert(rosterEntries).values(entries.slice(i, i + 500));
	await audit(tx, {
		actorId: input.actorId,
		action: 'roster.import',
		subjectType: 'compound',
		subjectId: compoundId,
		detail: { versionNo, units: input.units.length, summary }
	});
	return { versionId, versionNo, summary };
}

export async function requireCompound(database: Database, compoundId: string) {
	return getNode(database, compoundId, 'compound');
}
