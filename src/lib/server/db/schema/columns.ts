import { sql } from 'drizzle-orm';
import { blob, integer, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * Columns and indexes that several tables share because they record the same thing: who did an act
 * and when, the double control of a 业委会 correction, a unit's roster facts, a vote's choice, one row
 * in force per key. Each helper returns fresh builders, spread into the table (drizzle's pattern for
 * shared columns), and spells the columns exactly as the tables always had them: the SQL is unchanged.
 */

/** 'notice_published' → 'noticePublished': the property name drizzle tables use for a column name. */
type PropertyOf<Column extends string> = Column extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<PropertyOf<Tail>>}` : Column;

function propertyOf<Column extends string>(column: Column): PropertyOf<Column> {
	return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()) as PropertyOf<Column>;
}

const person = <Column extends string>(column: Column) => text(column).notNull();
const moment = <Column extends string>(column: Column) => integer(column).notNull();
const laterPerson = <Column extends string>(column: Column) => text(column);
const laterMoment = <Column extends string>(column: Column) => integer(column);

/** One column under the property name the tables give it: named('created_by', person) is { createdBy: … }. */
function named<Column extends string, Builder>(column: Column, build: (column: Column) => Builder) {
	return { [propertyOf(column)]: build(column) } as Record<PropertyOf<Column>, Builder>;
}

/**
 * Who did an act that made or settled the row, and when: `<act>_by` (a user id) then `<act>_at`
 * (ms since epoch), both required. `stamp('created')` gives `createdBy` and `createdAt`.
 */
export const stamp = <Act extends string>(act: Act) => ({ ...named(`${act}_by`, person), ...named(`${act}_at`, moment) });

/**
 * The stamp of a later step in the row's life (opened, closed, frozen, published): `<act>_at` then
 * `<act>_by`, both null until the step is taken.
 */
export const laterStamp = <Act extends string>(act: Act) => ({ ...named(`${act}_at`, laterMoment), ...named(`${act}_by`, laterPerson) });

/** An appended entry's author and moment: the account in `column` (actor_id, recorded_by …), then `at`. */
export const entryBy = <Column extends string>(column: Column) => ({ ...named(column, person), at: moment('at') });

/**
 * 双人把关: one 业委会 member proposes, a second, different member confirms (null until then). The
 * tables add their own `withdrawn_at`; only the confirmation or the withdrawal is stamped, once.
 */
export const doubleControl = () => ({
	...stamp('proposed'),
	confirmedBy: text('confirmed_by'),
	confirmedAt: integer('confirmed_at')
});

/** Marks rows of the invented demonstration data (演示数据), which every page labels as such. */
export const demoFlag = () => integer('is_demo', { mode: 'boolean' }).notNull().default(false);

/**
 * What the roster says about a unit: its area in hundredths of m², where that figure comes from,
 * and whether it is owned or still the developer's. The electorate copies them from the roster.
 */
export const unitRosterFacts = () => ({
	areaHundredths: integer('area_hundredths').notNull(),
	areaSource: text('area_source', { enum: ['registered', 'surveyed', 'contract'] }).notNull(),
	status: text('status', { enum: ['owned', 'developer_unsold', 'sold_undelivered'] }).notNull()
});

/** An owner's answer on one motion. */
export const voteChoice = () => text('choice', { enum: ['yes', 'no', 'abstain'] }).notNull();

/** How a ballot reached the count: cast online or typed in from a signed paper ballot. */
export const voteChannel = () => text('channel', { enum: ['electronic', 'paper'] }).notNull();

/** How an account or a letter is tied to a unit: as its owner, or as a resident (tenant). */
export const unitRelation = <Column extends string>(column: Column) => text(column, { enum: ['owner', 'resident'] }).notNull();

/** A debate post's or a speaker's side: for, against, or information only. */
export const stance = () => text('stance', { enum: ['pro', 'con', 'info'] });

const photoType = <Column extends string>(column: Column) => text(column, { enum: ['image/jpeg', 'image/png'] }).notNull();

/** A photo as stored after its metadata was stripped: its type (JPEG or PNG only, in `typeColumn`) and its bytes. */
export const storedPhoto = <TypeColumn extends string>(typeColumn: TypeColumn) => ({
	...named(typeColumn, photoType),
	bytes: blob('bytes', { mode: 'buffer' }).notNull()
});

/**
 * One row per key among the rows still in force, those whose end stamps (revoked_at, withdrawn_at,
 * confirmed_at …) are all null: the database, not a read-then-insert check, keeps a second live row
 * out, while ended rows may repeat the key and keep their history.
 */
export function uniqueWhileOpen(name: string, key: [SQLiteColumn, ...SQLiteColumn[]], endStamps: SQLiteColumn[]) {
	return uniqueIndex(name)
		.on(...key)
		.where(sql.raw(endStamps.map((end) => `${end.name} IS NULL`).join(' AND ')));
}

/** One row per key and optional column where that column is given; rows without it are not limited. */
export function uniqueWhenPresent(name: string, key: [SQLiteColumn, ...SQLiteColumn[]], optional: SQLiteColumn) {
	return uniqueIndex(name)
		.on(...key, optional)
		.where(sql.raw(`${optional.name} IS NOT NULL`));
}
