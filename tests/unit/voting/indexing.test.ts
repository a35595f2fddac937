/**
 * The integer indexing under the tally (StringIndex, groupUnitsIntoPersons) against the
 * straightforward Map-based versions it replaced: same indices, same persons, same numbering.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupUnitsIntoPersons, isDeveloperStatus, type PersonGrouping } from '../../../src/lib/domain/voting/persons.ts';
import { StringIndex } from '../../../src/lib/domain/voting/string-index.ts';
import type { RosterUnit } from '../../../src/lib/domain/voting/types.ts';
import { newUnit } from './factories.ts';

const RUNS = { numRuns: 300 };

/** Few distinct keys (so repeats are common), some of them long, empty or non-ASCII. */
const keyArb = fc.oneof(
	fc.constantFrom('', 'a', 'b', 'u1', 'u10', 'u01', '1号楼-101', '1号楼-102', 'owners:[{"name":"王"}]', 'owners:[{"name":"汪"}]'),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 6 })
);

describe('StringIndex', () => {
	it('numbers distinct keys in order of first appearance, exactly as a Map would', () => {
		fc.assert(
			fc.property(
				fc.array(keyArb, { maxLength: 200 }),
				fc.array(fc.oneof(keyArb, fc.constantFrom<unknown>(undefined, null, 7, {}))),
				(keys, probes) => {
					const index = new StringIndex(keys.length);
					const map = new Map<string, number>();
					for (const key of keys) {
						if (!map.has(key)) map.set(key, map.size);
						expect(index.add(key)).toBe(map.get(key));
					}
					expect(index.size).toBe(map.size);
					expect(index.keys).toEqual([...map.keys()]);
					for (const probe of [...keys, ...probes]) expect(index.indexOf(probe)).toBe(map.get(probe as string) ?? -1);
				}
			),
			RUNS
		);
	});

	it('takes as many keys as it was sized for, and throws rather than fill up (a probe would never end)', () => {
		const index = new StringIndex(2);
		expect([index.add('a'), index.add('b'), index.add('a')]).toEqual([0, 1, 0]);
		expect(() => {
			for (let i = 0; ; i++) index.add(`more ${i}`);
		}).toThrow(RangeError);
		expect(index.indexOf('b')).toBe(1);
		expect(index.indexOf('not there')).toBe(-1);
	});
});

/** groupUnitsIntoPersons as it was written with a Set and a Map (the reference). */
function groupWithMaps(units: readonly RosterUnit[]): PersonGrouping {
	let developerPerson = -1;
	let personCount = 0;
	const personIndexByOwnerKey = new Map<string, number>();
	const personOfUnit = new Int32Array(units.length);
	units.forEach((unit, i) => {
		if (isDeveloperStatus(unit.status)) {
			if (developerPerson < 0) developerPerson = personCount++;
			personOfUnit[i] = developerPerson;
			return;
		}
		if (!personIndexByOwnerKey.has(unit.ownerKey)) personIndexByOwnerKey.set(unit.ownerKey, personCount++);
		personOfUnit[i] = personIndexByOwnerKey.get(unit.ownerKey)!;
	});
	return { personOfUnit, personCount };
}

const unitsArb = fc
	.array(
		fc.record({
			status: fc.constantFrom('owned' as const, 'owned' as const, 'developer_unsold' as const, 'sold_undelivered' as const),
			ownerKey: fc.oneof(fc.constantFrom('', 'dev', 'k1', 'k2', 'k3'), keyArb)
		}),
		{ maxLength: 60 }
	)
	.map((units) => units.map((u, i) => newUnit(`u${i}`, u)));

describe('groupUnitsIntoPersons', () => {
	it('gives every unit the same person, numbered the same way, as the Map-based grouping', () => {
		fc.assert(
			fc.property(unitsArb, (units) => {
				expect(groupUnitsIntoPersons(units)).toEqual(groupWithMaps(units));
			}),
			RUNS
		);
	});
});
