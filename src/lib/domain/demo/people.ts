/**
 * Named demo people, stable across seeds, for the demo accounts printed at start (DOMAIN.md §6).
 * Their names are the Chinese placeholder names (张三, 李四 …), so nobody takes them for real
 * residents. Which account gets which role is decided by the seeding code; `roleHint` says what
 * each was placed in the roster for.
 */
export interface DemoPerson {
	key: DemoPersonKey;
	name: string;
	relation: 'owner' | 'tenant';
	roleHint: string;
	compoundId: string;
	/** Units owned (owners) or lived in (tenant), as normalised building + room. */
	units: { building: string; room: string }[];
	idHint?: string;
	phone: string;
}

export type DemoPersonKey =
	| 'aijianOwner'
	| 'hongqiaoOwner'
	| 'xianxiaOwner'
	| 'tenant'
	| 'aijianCommitteeMember'
	| 'hongqiaoCommitteeMember'
	| 'hongqiaoCommitteeMember2';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
	{
		key: 'aijianOwner',
		name: '张三',
		relation: 'owner',
		roleHint: '爱建小区业主，名下两套房（两套面积相加、算一人）',
		compoundId: 'aijian',
		units: [
			{ building: '3号楼', room: '502' },
			{ building: '5号楼', room: '201' }
		],
		idHint: '0311',
		phone: '13800000001'
	},
	{
		key: 'hongqiaoOwner',
		name: '李四',
		relation: 'owner',
		roleHint: '虹桥小区业主',
		compoundId: 'hongqiao',
		units: [{ building: '2号楼', room: '401' }],
		idHint: '0412',
		phone: '13800000002'
	},
	{
		key: 'xianxiaOwner',
		name: '王五',
		relation: 'owner',
		roleHint: '仙霞小区业主（不涉及边门议题）',
		compoundId: 'xianxia',
		units: [{ building: '1号楼', room: '201' }],
		idHint: '0513',
		phone: '13800000003'
	},
	{
		key: 'tenant',
		name: '赵六',
		relation: 'tenant',
		roleHint: '爱建小区租户（居民，可参与协商，不参与业主表决）',
		compoundId: 'aijian',
		units: [{ building: '2号楼', room: '101' }],
		phone: '13800000004'
	},
	{
		key: 'aijianCommitteeMember',
		name: '孙七',
		relation: 'owner',
		roleHint: '爱建小区业主，可作业委会成员',
		compoundId: 'aijian',
		units: [{ building: '1号楼', room: '301' }],
		idHint: '0715',
		phone: '13800000005'
	},
	{
		key: 'hongqiaoCommitteeMember',
		name: '周八',
		relation: 'owner',
		roleHint: '虹桥小区业主，可作业委会成员（纸质选票双人录入之一）',
		compoundId: 'hongqiao',
		units: [{ building: '6号楼', room: '102' }],
		idHint: '0816',
		phone: '13800000006'
	},
	{
		key: 'hongqiaoCommitteeMember2',
		name: '吴九',
		relation: 'owner',
		roleHint: '虹桥小区业主，可作业委会成员（纸质选票双人录入之二）',
		compoundId: 'hongqiao',
		units: [{ building: '8号楼', room: '503' }],
		idHint: '0917',
		phone: '13800000007'
	}
];

export function demoPerson(key: DemoPersonKey): DemoPerson {
	return DEMO_PEOPLE.find((person) => person.key === key)!;
}
