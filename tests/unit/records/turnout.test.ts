/**
 * Per-building turnout on the public record: no group of fewer than 5 units ever appears, and no
 * small group can be recovered by subtracting the groups shown from the compound's totals.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildingTurnout, MIN_GROUP_UNITS } from '../../../src/lib/domain/records/turnout.ts';
import { buildExport, type CastBallot, type RosterUnit } from '../../../src/lib/domain/voting/index.ts';
import { newBallot, newCompound, newUnit } from '../voting/factories.ts';

/** A roster of buildings with the given unit counts; the first `voted[i]` units of building i vote. */
function exportOf(sizes: number[], voted: number[] = sizes.map(() => 0)) {
	const units: RosterUnit[] = [];
	const ballots: CastBallot[] = [];
	sizes.forEach((n, b) => {
		for (let i = 0; i < n; i++) {
			const unit = newUnit(`b${b}-${i}`, { building: `${b + 1}号楼`, areaHundredths: 5000 + i });
			units.push(unit);
			if (i < voted[b]) ballots.push(newBallot(unit.unitId, 'yes'));
		}
	});
	return buildExport(
		{
			ballotId: 'x',
			title: 't',
			opensAt: '2026-03-01T00:00:00+08:00',
			closesAt: '2026-03-10T24:00:00+08:00',
			exportedAt: '2026-03-11T00:00:00+08:00'
		},
		{ ruleKind: 'advisory', motions: [{ id: 'A', title: 'A' }], compounds: [newCompound('c', units)], ballots }
	);
}

describe('per-building turnout', () => {
	it.each([
		{ name: 'every building has 5 or more: each shown', sizes: [5, 8], labels: ['1号楼', '2号楼'], units: [5, 8] },
		{ name: 'small buildings merged into 其他楼栋 when that makes 5', sizes: [6, 3, 2], labels: ['1号楼', '其他楼栋'], units: [6, 5] },
		{
			name: '其他楼栋 still under 5: merged into the smallest building shown',
			sizes: [9, 6, 4],
			labels: ['1号楼', '2号楼及其他楼栋'],
			units: [9, 10]
		},
		{ name: 'only small buildings adding up to 5 or more', sizes: [3, 2], labels: ['其他楼栋'], units: [5] },
		{ name: 'a compound of fewer than 5 units: nothing per building', sizes: [2, 2], labels: [], units: [] }
	])('$name', ({ sizes, labels, units }) => {
		const [compound] = buildingTurnout(exportOf(sizes)).compounds;
		expect(compound.groups.map((g) => g.label)).toEqual(labels);
		expect(compound.groups.map((g) => g.units)).toEqual(units);
	});

	it('counts units that voted and their area', () => {
		const [compound] = buildingTurnout(exportOf([5, 5], [2, 0])).compounds;
		expect(compound.groups[0]).toEqual({ label: '1号楼', units: 5, votedUnits: 2, areaHundredths: 25010, votedAreaHundredths: 10001 });
		expect(compound.groups[1]).toMatchObject({ votedUnits: 0, votedAreaHundredths: 0 });
	});

	it('property: no group under 5 units, and the groups shown cover every unit or none', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }), (sizes) => {
				const [compound] = buildingTurnout(exportOf(sizes)).compounds;
				const total = sizes.reduce((a, b) => a + b, 0);
				for (const g of compound.groups) expect(g.units).toBeGreaterThanOrEqual(MIN_GROUP_UNITS);
				const shown = compound.groups.reduce((a, g) => a + g.units, 0);
				expect(shown === total || (shown === 0 && total < MIN_GROUP_UNITS)).toBe(true);
			})
		);
	});
});
