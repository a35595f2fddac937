/**
 * Counting persons (人数) under SPC interpretation art. 9:
 * - one unit counts as one person;
 * - all units with status developer_unsold or sold_undelivered together count as ONE person,
 *   the developer — and so does any delivered unit whose (non-empty) ownerKey is also the key of
 *   such a unit, because the developer is one person whatever the status of its units;
 * - a buyer with several units counts as one person: units sharing an ownerKey are one person;
 * - co-owners of a unit share one ownerKey (the caller computes it), so they are one person with
 *   one vote per unit.
 */
import type { Choice, RosterUnit, UnitStatus } from './types.ts';

export function isDeveloperStatus(status: UnitStatus): boolean {
	return status === 'developer_unsold' || status === 'sold_undelivered';
}

export interface PersonGrouping {
	/** personOfUnit[i] is the person index of units[i]; persons are numbered 0..personCount-1. */
	personOfUnit: Int32Array;
	personCount: number;
}

/** Groups a compound's units into persons. Linear in the number of units. */
export function groupUnitsIntoPersons(units: readonly RosterUnit[]): PersonGrouping {
	const developerOwnerKeys = new Set<string>();
	for (const unit of units) {
		if (isDeveloperStatus(unit.status) && unit.ownerKey !== '') developerOwnerKeys.add(unit.ownerKey);
	}
	// The developer is a person of its own, apart from the owner-key map, so an owner whose key
	// happens to equal some developer label can never merge into it by accident.
	let developerPerson = -1;
	let personCount = 0;
	// Developer keys are in the same map under DEVELOPER (one lookup per unit instead of two); the
	// developer's own person index is kept apart, so numbering is as if they were a separate set.
	const DEVELOPER = -2;
	const personIndexByOwnerKey = new Map<string, number>();
	for (const key of developerOwnerKeys) personIndexByOwnerKey.set(key, DEVELOPER);
	const personOfUnit = new Int32Array(units.length);
	for (let i = 0; i < units.length; i++) {
		const unit = units[i];
		let person = isDeveloperStatus(unit.status) ? DEVELOPER : personIndexByOwnerKey.get(unit.ownerKey);
		if (person === DEVELOPER) {
			if (developerPerson < 0) developerPerson = personCount++;
			personOfUnit[i] = developerPerson;
			continue;
		}
		if (person === undefined) {
			person = personCount++;
			personIndexByOwnerKey.set(unit.ownerKey, person);
		}
		personOfUnit[i] = person;
	}
	return { personOfUnit, personCount };
}

/**
 * How a person counts in persons when their units voted (possibly differently — two paper
 * ballots, or a proxy for one unit): the choice carrying the strictly largest area among their
 * voted units; if two choices tie for the largest area, the person counts as abstaining (took
 * part, neither for nor against). Returns null when none of their units voted.
 *
 * Monotone: moving area from no to yes never moves the person away from yes (no → abstain → yes),
 * which keeps "one more yes never turns a pass into a fail" true in persons as well as in area.
 */
export function personChoice(yesArea: number, noArea: number, abstainArea: number): Choice | null {
	if (yesArea === 0 && noArea === 0 && abstainArea === 0) return null;
	if (yesArea > noArea && yesArea > abstainArea) return 'yes';
	if (noArea > yesArea && noArea > abstainArea) return 'no';
	if (abstainArea > yesArea && abstainArea > noArea) return 'abstain';
	return 'abstain';
}

/** Art. 279 consent: the person voted, and every unit of theirs that voted said yes. */
export function personConsents(yesArea: number, noArea: number, abstainArea: number): boolean {
	return yesArea > 0 && noArea === 0 && abstainArea === 0;
}
