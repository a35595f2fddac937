import { sql } from 'drizzle-orm';
import { integer, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * Column sets that several tables share because they record the same thing: who did an act and
 * when, the double control of a 业委会 correction, the roster facts of a unit, a vote's choice.
 * Each helper returns fresh builders, spread into the table (drizzle's pattern for shared columns),
 * and spells the columns exactly as the tables always had them: the SQL does not change.
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

type Stamp<Act extends string> = Record<`${PropertyOf<Act>}By`, ReturnType<typeof person<`${Act}_by`>>> &
	Record<`${PropertyOf<Act>}At`, ReturnType<typeof moment<`${Act}_at`>>>;

type LaterStamp<Act extends string> = Record<`${PropertyOf<Act>}At`, ReturnType<typeof laterMoment<`${Act}_at`>>> &
	Record<`${PropertyOf<Act>}By`, ReturnType<typeof laterPerson<`${Act}_by`>>>;

/**
 * Who did an act that made or settled the row, and when: `<act>_by` (a user id) then `<act>_at`
 * (ms since epoch), both required. `stamp('created')` gives `createdBy` and `createdAt`.
 */
export function stamp<Act extends string>(act: Act): Stamp<Act> {
	const property = propertyOf(act);
	return { [`${property}By`]: person(`${act}_by`), [`${property}At`]: moment(`${act}_at`) } as Stamp<Act>;
}

/**
 * The stamp of a later step in the row's life (opened, closed, frozen, published): `<act>_at` then
 * `<act>_by`, both null until the step is taken.
 */
export function laterStamp<Act extends string>(act: Act): LaterStamp<Act> {
	const property = propertyOf(act);
	return { [`${property}At`]: laterMoment(`${act}_at`), [`${property}By`]: laterPerson(`${act}_by`) } as LaterStamp<Act>;
}

/** An appended log step: the account that took it and when. */
export const actorStamp = () => ({
	actorId: text('actor_id').notNull(),
	at: integer('at').notNull()
});

/**
 * 双人把关: one 业委会 member proposes, a second, different member confirms (null until then). The
 * tables add their own `withdrawn_at`; only the confirmation or the withdrawal is stamped, once.
 */
export const doubleControl = () => ({
	...stamp('proposed'),
	confirmedBy: text('confirmed_by'),
	confirmedAt: integer('confirmed_at')
});

/** Rows made from demonstration data (演示数据), which a real installation can remove. */
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

/** A stored photo's type: only JPEG and PNG are accepted, after their metadata was stripped. */
export const photoType = <Column extends string>(column: Column) => text(column, { enum: ['image/jpeg', 'image/png'] }).notNull();

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
