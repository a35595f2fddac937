/**
 * Deterministic 演示数据 for the 爱建 / 虹桥 side-gate case (DOMAIN.md §2, §6): the community tree,
 * one roster per compound in the import's RosterUnit shape, tenants, and the named demo people.
 */
export { generateDemoData, DEMO_DATA_LABEL, DEFAULT_DEMO_SEED, type DemoData, type DemoCompound, type DemoTenant } from './generate.ts';
export {
	demoCommunityTree,
	DEMO_COMPOUND_SPECS,
	DEMO_STREET,
	DEMO_CLUSTER,
	DEMO_COMMITTEES,
	buildingNodeId,
	type CommunityNode,
	type CommunityNodeKind,
	type CompoundSpec,
	type BuildingSpec
} from './community.ts';
export { DEMO_PEOPLE, demoPerson, type DemoPerson, type DemoPersonKey } from './people.ts';
export { createRandom, type Random } from './random.ts';
/** Write a demo roster as an importable CSV file (same format the import reads). */
export { rosterToCsv } from '../roster/export.ts';
