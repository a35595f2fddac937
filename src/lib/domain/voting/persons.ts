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
	// First each distinct owner key becomes an integer (and we note which keys the developer
	// uses); then persons are numbered over those integers, with plain arrays instead of maps.
	const ownerKeys = new StringIndex(units.length);
	const keyOfUnit = new Int32Array(units.length);
	const developerUnit = new Uint8Array(units.length);
	/** Per owner key: 1 when some developer unit carries it (then the developer holds all its units). */
	const developerKey = new Uint8Array(units.length);
	for (let i = 0; i < units.length; i++) {
		const unit = units[i];
		const status = unit.status;
		const ownerKey = unit.ownerKey;
		// Not a string: an input problem prepareRosters reports; the unit is then a person of its own.
		const key = typeof ownerKey === 'string' ? ownerKeys.add(ownerKey) : -1;
		keyOfUnit[i] = key;
		if (isDeveloperStatus(status)) {
			developerUnit[i] = 1;
			if (key >= 0 && ownerKey !== '') developerKey[key] = 1;
		}
	}
	// The developer is a person of its own, apart from the owner keys, so an owner whose key
	// happens to equal some developer label can never merge into it by accident.
	let developerPerson = -1;
	let personCount = 0;
	const personOfKey = new Int32Array(ownerKeys.size).fill(-1);
	const personOfUnit = new Int32Array(units.length);
	for (let i = 0; i < units.length; i++) {
		const key = keyOfUnit[i];
		const heldByDeveloper = developerUnit[i] === 1 || (key >= 0 && developerKey[key] === 1);
		if (heldByDeveloper) {
			if (developerPerson < 0) developerPerson = personCount++;
			personOfUnit[i] = developerPerson;
		} else if (key < 0) {
			personOfUnit[i] = personCount++;
		} else {
			if (personOfKey[key] < 0) personOfKey[key] = personCount++;
			personOfUnit[i] = personOfKey[key];
		}
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
