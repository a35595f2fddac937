import { and, asc, desc, eq, inArray, isNull, like, type SQL } from 'drizzle-orm';
import type { AreaSource, UnitStatus } from '../../domain/roster/types.ts';
import type { Database, Db } from '../db/client.ts';
import { memberships, orgNodes, rosterEntries, rosterVersions, units } from '../db/schema/index.ts';

export interface UnitView {
	id: string;
	compoundId: string;
	buildingId: string;
	buildingName: string;
	room: string;
	areaHundredths: number;
	areaSource: AreaSource;
	status: UnitStatus;
	owners: { name: string; idHint?: string; phone?: string }[];
	ownerKey: string;
}

export const AREA_SOURCE_LABELS = { registered: '登记面积', surveyed: '实测面积', contract: '合同面积' } as const;
export const UNIT_STATUS_LABELS = { owned: '已售', developer_unsold: '开发商未售', sold_undelivered: '已售未交付' } as const;

export async function latestRosterVersion(database: Database, compoundId: string) {
	const rows = await database.db
		.select()
		.from(rosterVersions)
		.where(eq(rosterVersions.compoundId, compoundId))
		.orderBy(desc(rosterVersions.versionNo))
		.limit(1);
	return rows[0] ?? null;
}

export async function rosterVersionsOf(database: Database, compoundId: string) {
	return database.db
		.select()
		.from(rosterVersions)
		.where(eq(rosterVersions.compoundId, compoundId))
		.orderBy(desc(rosterVersions.versionNo));
}

/** The units of one roster version (default: the latest), optionally one building or a room search. */
export async function unitsOfVersion(
	database: Database,
	versionId: string,
	filter: { buildingId?: string; room?: string; limit?: number; offset?: number } = {}
): Promise<UnitView[]> {
	const conditions: SQL[] = [];
	if (filter.buildingId) conditions.push(eq(units.buildingId, filter.buildingId));
	if (filter.room) conditions.push(like(units.room, `%${filter.room.replace(/[%_]/g, '')}%`));
	const rows = await versionEntries(database.db, versionId, ...conditions)
		.limit(filter.limit ?? 100_000)
		.offset(filter.offset ?? 0);
	return rows.map(({ unitId, ...r }) => ({ id: unitId, ...r, owners: JSON.parse(r.owners) }));
}

/**
 * One roster version's entries with their unit's building and room, by building and room: what the roster pages list
 * and what opening a ballot copies into its electorate. `reader` is the write's transaction when the copy must
 * see the same roster as the write that freezes it.
 */
export function versionEntries(reader: Db, versionId: string, ...conditions: SQL[]) {
	return reader
		.select({
			unitId: units.id,
			compoundId: units.compoundId,
			buildingId: units.buildingId,
			buildingName: orgNodes.name,
			room: units.room,
			areaHundredths: rosterEntries.areaHundredths,
			areaSource: rosterEntries.areaSource,
			status: rosterEntries.status,
			owners: rosterEntries.owners,
			ownerKey: rosterEntries.ownerKey
		})
		.from(rosterEntries)
		.innerJoin(units, eq(units.id, rosterEntries.unitId))
		.innerJoin(orgNodes, eq(orgNodes.id, units.buildingId))
		.where(and(eq(rosterEntries.versionId, versionId), ...conditions))
		.orderBy(asc(orgNodes.name), asc(units.room));
}

export async function currentUnits(database: Database, compoundId: string, filter: Parameters<typeof unitsOfVersion>[2] = {}) {
	const version = await latestRosterVersion(database, compoundId);
	return version ? unitsOfVersion(database, version.id, filter) : [];
}

export interface MyUnit {
	unitId: string;
	relation: 'owner' | 'resident';
	compoundId: string;
	compoundName: string;
	buildingName: string;
	room: string;
	verifiedAt: number;
}

/** The units an account is verified for, with names for display. */
export async function unitsOfUser(database: Database, userId: string): Promise<MyUnit[]> {
	const rows = await database.db
		.select({
			unitId: memberships.unitId,
			relation: memberships.relation,
			verifiedAt: memberships.verifiedAt,
			compoundId: units.compoundId,
			buildingId: units.buildingId,
			room: units.room
		})
		.from(memberships)
		.innerJoin(units, eq(units.id, memberships.unitId))
		.where(and(eq(memberships.userId, userId), isNull(memberships.revokedAt)));
	if (rows.length === 0) return [];
	const ids = [...new Set(rows.flatMap((r) => [r.compoundId, r.buildingId]))];
	const names = new Map(
		(await database.db.select({ id: orgNodes.id, name: orgNodes.name }).from(orgNodes).where(inArray(orgNodes.id, ids))).map((n) => [
			n.id,
			n.name
		])
	);
	return rows.map((r) => ({
		unitId: r.unitId,
		relation: r.relation,
		verifiedAt: r.verifiedAt,
		compoundId: r.compoundId,
		compoundName: names.get(r.compoundId) ?? '',
		buildingName: names.get(r.buildingId) ?? '',
		room: r.room
	}));
}

export { formatArea } from '../../domain/format.ts';
