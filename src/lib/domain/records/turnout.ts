/**
 * 分楼栋参与情况 on the public record (record v3): how many units of each building took part, and
 * their area — never who, never how. A group of fewer than 5 units is never shown (DOMAIN.md §8):
 * - buildings with fewer than 5 units are merged into 其他楼栋;
 * - if 其他楼栋 still has fewer than 5 units, it is merged into the building with the fewest units
 *   among those shown ("3号楼及其他楼栋"), rather than left out — left out, its figures would follow
 *   by subtracting the buildings shown from the compound's totals, which the record also states;
 * - a compound of fewer than 5 units shows no per-building turnout at all.
 * Pure; computed at publication from the ballot's export (the per-unit export hides buildings).
 */
import type { VoteExport } from '../voting/export.ts';
import { countedChoices } from './vote-export.ts';

export const MIN_GROUP_UNITS = 5;
export const OTHER_BUILDINGS = '其他楼栋';
export const BUILDING_TURNOUT_RULE =
	'按楼栋公布参与情况时，不足 5 户的楼栋合并为“其他楼栋”；合并后仍不足 5 户的，再并入户数最少的楼栋，以免从合计数推出个别住户是否投票；全小区不足 5 户的不按楼栋公布';

export interface BuildingGroup {
	/** "3号楼", "其他楼栋" or "3号楼及其他楼栋". */
	label: string;
	units: number;
	/** Units with a counted ballot on at least one motion. */
	votedUnits: number;
	areaHundredths: number;
	votedAreaHundredths: number;
}

export interface CompoundBuildingTurnout {
	compoundId: string;
	groups: BuildingGroup[];
}

export interface BuildingTurnout {
	rule: string;
	compounds: CompoundBuildingTurnout[];
}

function emptyGroup(label: string): BuildingGroup {
	return { label, units: 0, votedUnits: 0, areaHundredths: 0, votedAreaHundredths: 0 };
}

function add(into: BuildingGroup, from: BuildingGroup): void {
	into.units += from.units;
	into.votedUnits += from.votedUnits;
	into.areaHundredths += from.areaHundredths;
	into.votedAreaHundredths += from.votedAreaHundredths;
}

/** Per compound, the groups shown: none with fewer than MIN_GROUP_UNITS units. */
export function buildingTurnout(doc: VoteExport): BuildingTurnout {
	const compounds = doc.rosters.map((roster): CompoundBuildingTurnout => {
		const counted = countedChoices(doc, roster.compoundId);
		const byBuilding = new Map<string, BuildingGroup>();
		for (const unit of roster.units) {
			let group = byBuilding.get(unit.building);
			if (!group) byBuilding.set(unit.building, (group = emptyGroup(unit.building)));
			const voted = counted.has(unit.unitId);
			const area = unit.areaHundredths;
			add(group, { label: '', units: 1, votedUnits: voted ? 1 : 0, areaHundredths: area, votedAreaHundredths: voted ? area : 0 });
		}
		const shown = [...byBuilding.values()].filter((g) => g.units >= MIN_GROUP_UNITS);
		const other = emptyGroup(OTHER_BUILDINGS);
		for (const g of byBuilding.values()) if (g.units < MIN_GROUP_UNITS) add(other, g);
		if (other.units >= MIN_GROUP_UNITS) shown.push(other);
		else if (other.units > 0) {
			if (shown.length === 0) return { compoundId: roster.compoundId, groups: [] };
			const smallest = shown.reduce((a, b) => (b.units < a.units ? b : a));
			add(smallest, other);
			smallest.label = `${smallest.label}及${OTHER_BUILDINGS}`;
		}
		return { compoundId: roster.compoundId, groups: shown };
	});
	return { rule: BUILDING_TURNOUT_RULE, compounds };
}
