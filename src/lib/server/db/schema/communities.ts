import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { demoFlag, unitRosterFacts } from './columns.ts';

/**
 * The community tree, modelled generically (kind + parent) because real trees differ:
 * 街道 → 片区 → 居委 → 小区 → 楼栋, sometimes with several 业委会 on one estate.
 */
export const orgNodes = sqliteTable(
	'org_nodes',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: ['street', 'cluster', 'committee', 'compound', 'building'] }).notNull(),
		name: text('name').notNull(),
		parentId: text('parent_id'),
		/** JSON: per-node settings, e.g. a compound's voting options. */
		settings: text('settings').notNull().default('{}'),
		isDemo: demoFlag(),
		createdAt: integer('created_at').notNull(),
		/** 已停用: an archived node leaves the choosers; history keeps pointing at it (never deleted). */
		archivedAt: integer('archived_at')
	},
	(t) => [index('org_nodes_parent').on(t.parentId), uniqueIndex('org_nodes_parent_name').on(t.parentId, t.name)]
);

/** 专有部分: a unit's identity. Its attributes live in roster entries, one row per roster version. */
export const units = sqliteTable(
	'units',
	{
		id: text('id').primaryKey(),
		compoundId: text('compound_id').notNull(),
		buildingId: text('building_id').notNull(),
		room: text('room').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [uniqueIndex('units_building_room').on(t.buildingId, t.room), index('units_compound').on(t.compoundId)]
);

/** 房屋清册 versions. Re-import appends a version; nothing is overwritten in place. */
export const rosterVersions = sqliteTable(
	'roster_versions',
	{
		id: text('id').primaryKey(),
		compoundId: text('compound_id').notNull(),
		versionNo: integer('version_no').notNull(),
		fileName: text('file_name').notNull(),
		createdBy: text('created_by'),
		createdAt: integer('created_at').notNull(),
		unitCount: integer('unit_count').notNull(),
		totalAreaHundredths: integer('total_area_hundredths').notNull(),
		diffSummary: text('diff_summary').notNull(),
		diff: text('diff').notNull().default('{}')
	},
	(t) => [uniqueIndex('roster_versions_compound_no').on(t.compoundId, t.versionNo)]
);

export const rosterEntries = sqliteTable(
	'roster_entries',
	{
		versionId: text('version_id').notNull(),
		unitId: text('unit_id').notNull(),
		...unitRosterFacts(),
		/** JSON array of { name, idHint?, phone? }. */
		owners: text('owners').notNull(),
		/** Groups one owner's several units (and the developer's units) into one person (SPC art. 9). */
		ownerKey: text('owner_key').notNull(),
		sourceRow: integer('source_row')
	},
	(t) => [primaryKey({ columns: [t.versionId, t.unitId] }), index('roster_entries_unit').on(t.unitId)]
);
