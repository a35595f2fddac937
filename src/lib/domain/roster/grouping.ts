import type { RosterOwner, RosterUnit } from './types.ts';

/** All of the developer's unsold and sold-but-undelivered units share this key. */
export const DEVELOPER_OWNER_KEY = 'developer';

/**
 * Who one owner is, for counting: name + 业主编号/证件后四位 when the roster has it (two 王伟 are
 * two people), otherwise name + phone, otherwise the name alone. Exact text: no fuzzy matching,
 * because merging two real people would take a vote away.
 */
export function ownerIdentity(owner: RosterOwner): string[] {
	if (owner.idHint) return [owner.name, 'id', owner.idHint];
	if (owner.phone) return [owner.name, 'tel', owner.phone];
	return [owner.name];
}

/**
 * The "person" a unit belongs to when counting owners (SPC interpretation art. 9), deterministic:
 * - developer_unsold and sold_undelivered units → "developer" (together they count as one);
 * - otherwise the sorted identities of its owners, so one buyer's several units share a key
 *   (counted once, areas added) and a co-owned unit's key is its co-owner set (one vote).
 * Someone who owns one flat alone and another jointly is two keys: each set of owners votes once.
 * An owned unit without owners (cannot pass validation) counts as its own person.
 */
export function ownerGroupKey(unit: RosterUnit): string {
	if (unit.status !== 'owned') return DEVELOPER_OWNER_KEY;
	if (unit.owners.length === 0) return `unit:${JSON.stringify([unit.building, unit.room])}`;
	const identities = unit.owners.map((owner) => JSON.stringify(ownerIdentity(owner)));
	const unique = [...new Set(identities)].sort();
	return `owners:[${unique.join(',')}]`;
}

export interface RosterSummary {
	unitCount: number;
	totalAreaHundredths: number;
	/** Owners counted per art. 9: distinct ownerGroupKey values. */
	ownerCount: number;
}

export function summariseRoster(units: RosterUnit[]): RosterSummary {
	const keys = new Set<string>();
	let totalAreaHundredths = 0;
	for (const unit of units) {
		keys.add(ownerGroupKey(unit));
		totalAreaHundredths += unit.areaHundredths;
	}
	return { unitCount: units.length, totalAreaHundredths, ownerCount: keys.size };
}
