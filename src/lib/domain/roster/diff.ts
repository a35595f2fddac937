import { unitKey } from './validate.ts';
import type { RosterOwner, RosterUnit } from './types.ts';
import { m } from '../../paraglide/messages.js';

export type RosterField = 'area' | 'source' | 'status' | 'owners';

export interface RosterChange {
	building: string;
	room: string;
	fields: RosterField[];
	before: RosterUnit;
	after: RosterUnit;
}

export interface RosterDiff {
	added: RosterUnit[];
	removed: RosterUnit[];
	changed: RosterChange[];
	unchangedCount: number;
	/** How many changed units changed each field (a unit may count under several). */
	fieldCounts: Record<RosterField, number>;
	/** e.g. "新增 3 户，删除 1 户，变更 5 户（面积 2、业主 3）". */
	summary: string;
}

const FIELD_LABELS: Record<RosterField, (inputs?: object, options?: { locale?: 'zh-CN' | 'en' }) => string> = {
	area: m.admin_diff_field_area,
	source: m.admin_diff_field_source,
	status: m.admin_diff_field_status,
	owners: m.admin_diff_field_owners
};
const FIELD_ORDER: RosterField[] = ['area', 'source', 'status', 'owners'];

/**
 * What a re-import changes, unit by unit (keyed by building + room). The new version is appended
 * next to the old one; this diff is what the confirmation screen and the version record show.
 * Co-owner order does not matter. Input rosters are expected to be validated (no duplicate keys);
 * if one is not, its first row for a key counts.
 */
export function diffRosters(previous: RosterUnit[], next: RosterUnit[]): RosterDiff {
	const before = new Map<string, RosterUnit>();
	for (const unit of previous) if (!before.has(unitKey(unit))) before.set(unitKey(unit), unit);
	const seen = new Set<string>();
	const added: RosterUnit[] = [];
	const changed: RosterChange[] = [];
	const fieldCounts: Record<RosterField, number> = { area: 0, source: 0, status: 0, owners: 0 };
	let unchangedCount = 0;

	for (const unit of next) {
		const key = unitKey(unit);
		if (seen.has(key)) continue;
		seen.add(key);
		const old = before.get(key);
		if (!old) {
			added.push(unit);
			continue;
		}
		const fields = changedFields(old, unit);
		if (fields.length === 0) {
			unchangedCount++;
			continue;
		}
		for (const field of fields) fieldCounts[field]++;
		changed.push({ building: unit.building, room: unit.room, fields, before: old, after: unit });
	}
	const removed = [...before.entries()].filter(([key]) => !seen.has(key)).map(([, unit]) => unit);
	return {
		added,
		removed,
		changed,
		unchangedCount,
		fieldCounts,
		summary: summariseDiff(added.length, removed.length, changed.length, fieldCounts, 'zh-CN')
	};
}

function changedFields(a: RosterUnit, b: RosterUnit): RosterField[] {
	const fields: RosterField[] = [];
	if (a.areaHundredths !== b.areaHundredths) fields.push('area');
	if (a.areaSource !== b.areaSource) fields.push('source');
	if (a.status !== b.status) fields.push('status');
	if (ownersSignature(a.owners) !== ownersSignature(b.owners)) fields.push('owners');
	return fields;
}

function ownersSignature(owners: RosterOwner[]): string {
	return owners
		.map((owner) => JSON.stringify([owner.name, owner.idHint ?? '', owner.phone ?? '']))
		.sort()
		.join(',');
}

/**
 * The summary in words: Chinese (`'zh-CN'`) as stored with a roster version; without a locale, in the
 * reader's language, for the preview page.
 */
export function summariseDiff(
	added: number,
	removed: number,
	changed: number,
	counts: Record<RosterField, number>,
	locale?: 'zh-CN' | 'en'
): string {
	const o = locale ? { locale } : undefined;
	if (added + removed + changed === 0) return m.admin_diff_same({}, o);
	let text: string = m.admin_diff_counts({ added, removed, changed }, o);
	if (changed > 0) {
		const parts = FIELD_ORDER.filter((field) => counts[field] > 0).map((field) =>
			m.admin_diff_field_count({ field: FIELD_LABELS[field]({}, o), count: counts[field] }, o)
		);
		text += m.admin_diff_fields({ parts: parts.join(m.admin_diff_join({}, o)) }, o);
	}
	return text;
}
