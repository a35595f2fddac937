import { normaliseBuilding } from '../roster/building.ts';

/**
 * The demo community tree (DOMAIN.md §6): 虹桥街道 → 虹桥片区 → two 居委 → three compounds →
 * buildings. 爱建 and 虹桥 are the side-gate case; 仙霞小区 sits under 虹桥居民区 (one 居委, two
 * compounds) and is not part of the gate case. Sizes are illustrative, not real figures.
 */

/** Same kinds as the org_nodes table. */
export type CommunityNodeKind = 'street' | 'cluster' | 'committee' | 'compound' | 'building';

export interface CommunityNode {
	id: string;
	kind: CommunityNodeKind;
	name: string;
	parentId: string | null;
}

export interface BuildingSpec {
	number: number;
	floors: number;
	/** Flats per floor; room numbers are floor + two-digit position (502, 1104). */
	perFloor: number;
}

export interface CompoundSpec {
	id: string;
	name: string;
	committeeId: string;
	buildings: BuildingSpec[];
	/** How many units the developer still holds / has sold but not delivered. */
	developerUnsold: number;
	soldUndelivered: number;
	/** Owners (besides named people) who hold more than one unit. */
	multiUnitOwners: number;
	coOwnedShare: number;
	tenantShare: number;
}

export const DEMO_STREET: CommunityNode = { id: 'hongqiao-street', kind: 'street', name: '虹桥街道', parentId: null };
export const DEMO_CLUSTER: CommunityNode = { id: 'hongqiao-cluster', kind: 'cluster', name: '虹桥片区', parentId: DEMO_STREET.id };
export const DEMO_COMMITTEES: CommunityNode[] = [
	{ id: 'aijian-committee', kind: 'committee', name: '爱建居民区', parentId: DEMO_CLUSTER.id },
	{ id: 'hongqiao-committee', kind: 'committee', name: '虹桥居民区', parentId: DEMO_CLUSTER.id }
];

const uniform = (numbers: number[], floors: number, perFloor: number): BuildingSpec[] =>
	numbers.map((number) => ({ number, floors, perFloor }));

export const DEMO_COMPOUND_SPECS: CompoundSpec[] = [
	{
		id: 'aijian',
		name: '爱建小区',
		committeeId: 'aijian-committee',
		// Six-storey walk-ups from the 1990s, one taller block built later: 476 units.
		buildings: [
			{ number: 1, floors: 6, perFloor: 8 },
			...uniform([2, 3], 6, 10),
			{ number: 4, floors: 7, perFloor: 8 },
			{ number: 5, floors: 6, perFloor: 10 },
			{ number: 6, floors: 6, perFloor: 12 },
			{ number: 7, floors: 6, perFloor: 8 },
			{ number: 8, floors: 12, perFloor: 6 }
		],
		developerUnsold: 3,
		soldUndelivered: 2,
		multiUnitOwners: 5,
		coOwnedShare: 0.03,
		tenantShare: 0.08
	},
	{
		id: 'hongqiao',
		name: '虹桥小区',
		committeeId: 'hongqiao-committee',
		// 632 units.
		buildings: [
			...uniform([1, 2], 6, 10),
			{ number: 3, floors: 6, perFloor: 12 },
			{ number: 4, floors: 6, perFloor: 10 },
			{ number: 5, floors: 7, perFloor: 8 },
			{ number: 6, floors: 6, perFloor: 10 },
			{ number: 7, floors: 6, perFloor: 12 },
			{ number: 8, floors: 6, perFloor: 10 },
			{ number: 9, floors: 18, perFloor: 4 },
			{ number: 10, floors: 6, perFloor: 10 }
		],
		developerUnsold: 5,
		soldUndelivered: 3,
		multiUnitOwners: 6,
		coOwnedShare: 0.03,
		tenantShare: 0.1
	},
	{
		id: 'xianxia',
		name: '仙霞小区',
		committeeId: 'hongqiao-committee',
		// 192 units.
		buildings: [...uniform([1, 2], 6, 8), { number: 3, floors: 6, perFloor: 10 }, { number: 4, floors: 6, perFloor: 6 }],
		developerUnsold: 1,
		soldUndelivered: 1,
		multiUnitOwners: 2,
		coOwnedShare: 0.03,
		tenantShare: 0.06
	}
];

export function buildingName(spec: BuildingSpec): string {
	return normaliseBuilding(String(spec.number));
}

export function buildingNodeId(compoundId: string, spec: BuildingSpec): string {
	return `${compoundId}-b${spec.number}`;
}

/** The whole tree, parents before children, ready to insert in order. */
export function demoCommunityTree(): CommunityNode[] {
	const nodes: CommunityNode[] = [DEMO_STREET, DEMO_CLUSTER, ...DEMO_COMMITTEES];
	for (const compound of DEMO_COMPOUND_SPECS) {
		nodes.push({ id: compound.id, kind: 'compound', name: compound.name, parentId: compound.committeeId });
	}
	for (const compound of DEMO_COMPOUND_SPECS) {
		for (const building of compound.buildings) {
			nodes.push({
				id: buildingNodeId(compound.id, building),
				kind: 'building',
				name: buildingName(building),
				parentId: compound.id
			});
		}
	}
	return nodes.map((node) => ({ ...node }));
}
