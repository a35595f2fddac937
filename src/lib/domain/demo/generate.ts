import { unitKey } from '../roster/validate.ts';
import type { RosterOwner, RosterUnit } from '../roster/types.ts';
import { buildingName, DEMO_COMPOUND_SPECS, demoCommunityTree, type CommunityNode, type CompoundSpec } from './community.ts';
import { inventIdHint, inventName, inventPhone } from './names.ts';
import { DEMO_PEOPLE, type DemoPerson } from './people.ts';
import { createRandom, type Random } from './random.ts';

/** Every screen that shows this data says so (DOMAIN.md §2). */
export const DEMO_DATA_LABEL = '演示数据';
export const DEFAULT_DEMO_SEED = 'yishi-demo-v1';

/** 居民 / 使用人: lives in a unit, takes part in deliberation, does not vote as an owner. */
export interface DemoTenant {
	name: string;
	phone: string;
	building: string;
	room: string;
}

export interface DemoCompound {
	id: string;
	name: string;
	committeeId: string;
	/** Normalised building names, in order: the knownBuildings for validateRoster. */
	buildings: string[];
	/** Same shape as an import produces (no sourceRow). */
	units: RosterUnit[];
	tenants: DemoTenant[];
}

export interface DemoData {
	label: typeof DEMO_DATA_LABEL;
	tree: CommunityNode[];
	compounds: DemoCompound[];
	people: readonly DemoPerson[];
}

/**
 * The whole demo, a pure function of the seed: same seed, same data, on any machine. Each
 * compound draws from its own stream, so changing one compound's spec leaves the others alone.
 */
export function generateDemoData(seed: string = DEFAULT_DEMO_SEED): DemoData {
	return {
		label: DEMO_DATA_LABEL,
		tree: demoCommunityTree(),
		compounds: DEMO_COMPOUND_SPECS.map((spec) => generateCompound(spec, createRandom(`${seed}/${spec.id}`))),
		people: DEMO_PEOPLE
	};
}

const MIN_AREA = 4000;
const MAX_AREA = 14000;

function generateCompound(spec: CompoundSpec, random: Random): DemoCompound {
	const units: RosterUnit[] = [];
	const unitsByBuilding: number[][] = [];
	for (const building of spec.buildings) {
		const name = buildingName(building);
		// One floor plan per building: the same position on every floor has (nearly) the same flat.
		const plan = Array.from({ length: building.perFloor }, () =>
			random.chance(0.75) ? random.int(MIN_AREA, 9500) : random.int(9501, MAX_AREA)
		);
		const indices: number[] = [];
		for (let floor = 1; floor <= building.floors; floor++) {
			for (let position = 1; position <= building.perFloor; position++) {
				const drift = random.chance(0.15) ? random.int(-150, 150) : 0;
				const area = Math.min(MAX_AREA, Math.max(MIN_AREA, plan[position - 1] + drift));
				indices.push(units.length);
				units.push({
					building: name,
					room: `${floor}${String(position).padStart(2, '0')}`,
					areaHundredths: area,
					areaSource: 'registered',
					status: 'owned',
					owners: []
				});
			}
		}
		unitsByBuilding.push(indices);
	}

	const indexByKey = new Map(units.map((unit, index) => [unitKey(unit), index]));
	const named = DEMO_PEOPLE.filter((person) => person.compoundId === spec.id);
	const reserved = new Set(named.flatMap((person) => person.units.map((unit) => indexByKey.get(unitKey(unit))!)));

	const taken = new Set(named.map((person) => `${person.name}|${person.idHint ?? ''}`));
	const newOwner = (): RosterOwner => {
		for (;;) {
			const owner: RosterOwner = { name: inventName(random), idHint: inventIdHint(random) };
			const identity = `${owner.name}|${owner.idHint}`;
			if (taken.has(identity)) continue;
			taken.add(identity);
			if (random.chance(0.7)) owner.phone = inventPhone(random);
			return owner;
		}
	};

	// The developer still holds a few flats in the newest (last) building.
	const lastBuilding = unitsByBuilding[unitsByBuilding.length - 1].filter((index) => !reserved.has(index));
	const developerUnits = random.sample(lastBuilding, spec.developerUnsold + spec.soldUndelivered);
	developerUnits.forEach((index, i) => {
		const unit = units[index];
		if (i < spec.developerUnsold) {
			unit.status = 'developer_unsold'; // listed without an owner: the developer owns it
		} else {
			unit.status = 'sold_undelivered';
			unit.owners = [newOwner()]; // the buyer is known, but the unit still counts with the developer
		}
	});

	const developerSet = new Set(developerUnits);
	const pool = random.sample(
		units.map((_, index) => index).filter((index) => !reserved.has(index) && !developerSet.has(index)),
		units.length
	);
	// The pool is a random permutation, so consecutive slices are independent random picks.
	const take = (count: number): number[] => pool.splice(0, count);

	// Area sources: mostly registered; a few only surveyed, fewer only by contract.
	for (const index of take(Math.max(2, Math.round(units.length * 0.015)))) units[index].areaSource = 'surveyed';
	for (const index of take(Math.max(1, Math.round(units.length * 0.008)))) units[index].areaSource = 'contract';

	for (const index of take(Math.max(2, Math.round(units.length * spec.coOwnedShare)))) {
		units[index].owners = Array.from({ length: random.chance(0.85) ? 2 : 3 }, newOwner);
	}
	for (let i = 0; i < spec.multiUnitOwners; i++) {
		const owner = newOwner();
		for (const index of take(random.chance(0.7) ? 2 : 3)) units[index].owners = [{ ...owner }];
	}
	for (const unit of units) {
		if (unit.status === 'owned' && unit.owners.length === 0 && !reserved.has(indexByKey.get(unitKey(unit))!)) {
			unit.owners = [newOwner()];
		}
	}

	const tenants: DemoTenant[] = [];
	for (const person of named) {
		for (const place of person.units) {
			const unit = units[indexByKey.get(unitKey(place))!];
			if (person.relation === 'owner') {
				unit.owners = [{ name: person.name, idHint: person.idHint, phone: person.phone }];
			} else {
				unit.owners = [newOwner()];
				tenants.push({ name: person.name, phone: person.phone, building: unit.building, room: unit.room });
			}
		}
	}
	const namedTenantUnits = new Set(tenants.map(unitKey));
	for (let index = 0; index < units.length; index++) {
		const unit = units[index];
		if (unit.status !== 'owned' || reserved.has(index) || namedTenantUnits.has(unitKey(unit))) continue;
		if (random.chance(spec.tenantShare)) {
			tenants.push({ name: inventName(random), phone: inventPhone(random), building: unit.building, room: unit.room });
		}
	}
	tenants.sort((a, b) => indexByKey.get(unitKey(a))! - indexByKey.get(unitKey(b))!);

	return {
		id: spec.id,
		name: spec.name,
		committeeId: spec.committeeId,
		buildings: spec.buildings.map(buildingName),
		units,
		tenants
	};
}
