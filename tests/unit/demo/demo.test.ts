import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PEOPLE, demoPerson, generateDemoData, rosterToCsv, type DemoCompound } from '../../../src/lib/domain/demo/index.ts';
import { decodeRosterFile, ownerGroupKey, summariseRoster, unitKey, validateRoster } from '../../../src/lib/domain/roster/index.ts';
import { withoutSourceRow } from '../roster/factories.ts';

const demo = generateDemoData();
const compound = (id: string): DemoCompound => demo.compounds.find((c) => c.id === id)!;
const groupSizes = (c: DemoCompound) => {
	const sizes = new Map<string, number>();
	for (const unit of c.units) sizes.set(ownerGroupKey(unit), (sizes.get(ownerGroupKey(unit)) ?? 0) + 1);
	return sizes;
};

afterEach(() => vi.restoreAllMocks());

describe('determinism', () => {
	it('the same seed gives the same data, without Math.random', () => {
		vi.spyOn(Math, 'random').mockImplementation(() => {
			throw new Error('Math.random used');
		});
		expect(generateDemoData()).toEqual(demo);
		expect(generateDemoData('yishi-demo-v1')).toEqual(demo);
	});

	it('another seed gives other rosters over the same tree and people', () => {
		const other = generateDemoData('another seed');
		expect(other.tree).toEqual(demo.tree);
		expect(other.people).toEqual(demo.people);
		expect(other.compounds[0].units).not.toEqual(demo.compounds[0].units);
		expect(other.compounds[0].units).toHaveLength(demo.compounds[0].units.length);
	});

	it('is pinned: these totals change only when the generator is changed on purpose', () => {
		expect(demo.compounds.map((c) => [c.id, summariseRoster(c.units).totalAreaHundredths])).toEqual([
			['aijian', 3849133],
			['hongqiao', 4815030],
			['xianxia', 1531365]
		]);
	});
});

describe('the compounds', () => {
	it.each([
		['aijian', '爱建小区', 8, 440, 520],
		['hongqiao', '虹桥小区', 10, 600, 680],
		['xianxia', '仙霞小区', 4, 120, 260]
	])('%s (%s) has %i buildings and a plausible number of units', (id, name, buildings, min, max) => {
		const c = compound(id);
		expect(c.name).toBe(name);
		expect(c.buildings).toHaveLength(buildings);
		expect(c.units.length).toBeGreaterThanOrEqual(min);
		expect(c.units.length).toBeLessThanOrEqual(max);
	});

	it.each(['aijian', 'hongqiao', 'xianxia'])('%s has the variety the demo needs', (id) => {
		const c = compound(id);
		const count = (predicate: (unit: (typeof c.units)[number]) => boolean) => c.units.filter(predicate).length;
		expect(
			c.units.every((unit) => Number.isInteger(unit.areaHundredths) && unit.areaHundredths >= 4000 && unit.areaHundredths <= 14000)
		).toBe(true);
		expect(new Set(c.units.map((unit) => unit.areaHundredths % 100)).size).toBeGreaterThan(20); // real two-decimal spread
		expect(count((unit) => unit.areaSource === 'surveyed')).toBeGreaterThanOrEqual(2);
		expect(count((unit) => unit.areaSource === 'contract')).toBeGreaterThanOrEqual(1);
		expect(count((unit) => unit.areaSource === 'registered') / c.units.length).toBeGreaterThan(0.95);
		expect(count((unit) => unit.status === 'developer_unsold')).toBeGreaterThanOrEqual(1);
		expect(count((unit) => unit.status === 'sold_undelivered')).toBeGreaterThanOrEqual(1);
		expect(count((unit) => unit.owners.length >= 2)).toBeGreaterThanOrEqual(2);
		expect(count((unit) => unit.status === 'owned' && unit.owners.length === 0)).toBe(0);

		const multi = [...groupSizes(c).entries()].filter(([key, size]) => key !== 'developer' && size > 1);
		expect(multi.length).toBeGreaterThanOrEqual(2);
		expect(multi.every(([, size]) => size <= 3)).toBe(true);

		expect(c.tenants.length).toBeGreaterThan(0);
		const owned = new Set(c.units.filter((unit) => unit.status === 'owned').map(unitKey));
		expect(c.tenants.every((tenant) => owned.has(unitKey(tenant)))).toBe(true);
	});

	it('the big compounds have a handful of multi-unit owners and a few co-owned units', () => {
		for (const id of ['aijian', 'hongqiao']) {
			const c = compound(id);
			const multi = [...groupSizes(c).entries()].filter(([key, size]) => key !== 'developer' && size > 1);
			expect(multi.length).toBeGreaterThanOrEqual(4);
			expect(multi.length).toBeLessThanOrEqual(10);
			expect(c.units.filter((unit) => unit.owners.length >= 2).length).toBeGreaterThanOrEqual(8);
		}
	});

	it('validates cleanly against its own buildings', () => {
		for (const c of demo.compounds) {
			const rows = [
				['楼栋', '室号', '面积', '状态', '业主'],
				...c.units.map((u) => [u.building, u.room, '60', u.status === 'owned' ? '' : '开发商未售', u.owners[0]?.name ?? ''])
			];
			expect(validateRoster(rows, { knownBuildings: c.buildings }).problems).toEqual([]);
		}
	});
});

describe('round trip through an importable CSV file', () => {
	it.each(['aijian', 'hongqiao', 'xianxia'])('%s: generate → CSV → decode → validate gives the same units', (id) => {
		const c = compound(id);
		const bytes = new TextEncoder().encode(rosterToCsv(c.units));
		const decoded = decodeRosterFile(bytes, `${id}.csv`);
		const result = validateRoster(decoded.rows, { knownBuildings: c.buildings });
		expect(result.problems).toEqual([]);
		expect(withoutSourceRow(result.units)).toEqual(c.units);
		expect(result.units[0].sourceRow).toBe(2);
	});

	it('defuses formula-looking cells for Excel and still reads them back', () => {
		const units = [{ ...compound('aijian').units[0], room: '=HYPERLINK("x")', owners: [{ name: '@顾', phone: '+86 139' }] }];
		const csv = rosterToCsv(units);
		expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
		expect(csv).toContain("'@顾");
		const result = validateRoster(decodeRosterFile(new TextEncoder().encode(csv), 'x.csv').rows);
		expect(withoutSourceRow(result.units)).toEqual(units);
	});
});

describe('named people', () => {
	const ownersOf = (name: string) =>
		demo.compounds.flatMap((c) =>
			c.units.filter((unit) => unit.owners.some((owner) => owner.name === name)).map((unit) => ({ c: c.id, unit }))
		);

	it('the 爱建 owner holds two units that count as one owner', () => {
		const person = demoPerson('aijianOwner');
		const units = ownersOf(person.name);
		expect(units.map(({ c, unit }) => [c, unit.building, unit.room])).toEqual([
			['aijian', '3号楼', '502'],
			['aijian', '5号楼', '201']
		]);
		expect(ownerGroupKey(units[0].unit)).toBe(ownerGroupKey(units[1].unit));
	});

	it('each owner owns exactly the units listed, alone, in their compound', () => {
		for (const person of DEMO_PEOPLE.filter((p) => p.relation === 'owner')) {
			const units = ownersOf(person.name);
			expect(units.map(({ c, unit }) => ({ c, building: unit.building, room: unit.room }))).toEqual(
				person.units.map((place) => ({ c: person.compoundId, ...place }))
			);
			expect(units.every(({ unit }) => unit.status === 'owned' && unit.owners.length === 1)).toBe(true);
		}
	});

	it('there is an owner in each compound, and a tenant who owns nothing', () => {
		expect(new Set(DEMO_PEOPLE.filter((p) => p.relation === 'owner').map((p) => p.compoundId))).toEqual(
			new Set(['aijian', 'hongqiao', 'xianxia'])
		);
		const tenant = demoPerson('tenant');
		expect(ownersOf(tenant.name)).toEqual([]);
		expect(compound(tenant.compoundId).tenants).toContainEqual({ name: tenant.name, phone: tenant.phone, ...tenant.units[0] });
	});

	it('uses the placeholder names nobody mistakes for real people, with made-up phones', () => {
		expect(DEMO_PEOPLE.map((p) => p.name)).toEqual(['张三', '李四', '王五', '赵六', '孙七', '周八', '吴九']);
		const phones = demo.compounds.flatMap((c) => [
			...c.units.flatMap((u) => u.owners.map((o) => o.phone)),
			...c.tenants.map((t) => t.phone)
		]);
		expect(phones.every((phone) => phone === undefined || /^13[89]0000\d{4}$/.test(phone))).toBe(true);
	});
});

describe('the community tree', () => {
	it('runs 虹桥街道 → 虹桥片区 → two 居委 → three compounds → buildings, parents first', () => {
		const byId = new Map(demo.tree.map((node) => [node.id, node]));
		const seen = new Set<string>();
		for (const node of demo.tree) {
			if (node.parentId !== null) expect(seen.has(node.parentId)).toBe(true);
			seen.add(node.id);
		}
		const chain = (id: string): string[] => {
			const node = byId.get(id)!;
			return node.parentId ? [...chain(node.parentId), node.name] : [node.name];
		};
		expect(chain('aijian')).toEqual(['虹桥街道', '虹桥片区', '爱建居民区', '爱建小区']);
		expect(chain('hongqiao')).toEqual(['虹桥街道', '虹桥片区', '虹桥居民区', '虹桥小区']);
		expect(chain('xianxia')).toEqual(['虹桥街道', '虹桥片区', '虹桥居民区', '仙霞小区']);
		expect(new Set(demo.tree.map((node) => node.kind))).toEqual(new Set(['street', 'cluster', 'committee', 'compound', 'building']));
		for (const c of demo.compounds) {
			expect(demo.tree.filter((node) => node.kind === 'building' && node.parentId === c.id).map((node) => node.name)).toEqual(
				c.buildings
			);
		}
	});

	it('is labelled as demo data', () => {
		expect(demo.label).toBe('演示数据');
	});
});
