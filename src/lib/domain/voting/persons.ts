/**
 * Counting persons (人数) under SPC interpretation art. 9:
 * - one unit counts as one person;
 * - all units with status developer_unsold or sold_undelivered together count as ONE person,
 *   the developer, whatever owner key they carry (an undelivered unit's key may already name its
 *   buyer);
 * - a delivered unit counts with its own owner: a buyer's delivered units are the buyer's person,
 *   even when the buyer's key also appears on a unit not yet delivered (that unit is the
 *   developer's until delivery);
 * - a buyer with several delivered units counts as one person: they share an ownerKey;
 * - co-owners of a unit share one ownerKey (the caller computes it), so they are one person with
 *   one vote per unit.
 */
import { StringIndex } from './string-index.ts';
import type { Choice, RosterUnit, UnitStatus } from './types.ts';

export function isDeveloperStatus(status: UnitStatus): boolean {
	return status === 'developer_unsold' || status === 'sold_undelivered';
}

export interface PersonGrouping {
	/** personOfUnit[i] is the person index of units[i]; persons are numbered 0..personCount-1. */
	personOfUnit: Int32Array;
	personCount: number;
}

/**
 * Groups a compound's units into persons, numbered in order of first appearance. Linear in the
 * number of units.
 */
export function groupUnitsIntoPersons(units: readonly RosterUnit[]): PersonGrouping {
	// Each distinct owner key of a delivered unit becomes an integer; persons are numbered over
	// those integers, with plain arrays instead of maps. Developer units never look at their key.
	const ownerKeys = new StringIndex(units.length);
	// The developer is a person of its own, apart from the owner keys, so an owner whose key
	// happens to equal some developer label can never merge into it.
	let developerPerson = -1;
	let personCount = 0;
	const personOfKey: number[] = [];
	const personOfUnit = new Int32Array(units.length);
	for (let i = 0; i < units.length; i++) {
		const unit = units[i];
		if (isDeveloperStatus(unit.status)) {
			if (developerPerson < 0) developerPerson = personCount++;
			personOfUnit[i] = developerPerson;
			continue;
		}
		const ownerKey = unit.ownerKey;
		// Not a string: an input problem prepareRosters reports; the unit is then a person of its own.
		if (typeof ownerKey !== 'string') {
			personOfUnit[i] = personCount++;
			continue;
		}
		const key = ownerKeys.add(ownerKey);
		if (key === personOfKey.length) personOfKey.push(personCount++);
		personOfUnit[i] = personOfKey[key];
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
