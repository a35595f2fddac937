import { describe, expect, it } from 'vitest';
import { normaliseBuilding, normaliseRoom } from '../../../src/lib/domain/roster/index.ts';

describe('normaliseBuilding', () => {
	it.each([
		['3号楼', '3号楼'],
		['3', '3号楼'],
		['3幢', '3号楼'],
		['3栋', '3号楼'],
		['3号', '3号楼'],
		['3#', '3号楼'],
		['03', '3号楼'],
		['３号楼', '3号楼'],
		[' 3 号楼 ', '3号楼'],
		['第3幢', '3号楼'],
		['三号楼', '3号楼'],
		['十二幢', '12号楼'],
		['二十', '20号楼'],
		['12', '12号楼'],
		['0', '0号楼']
	])('%j → %s', (raw, expected) => {
		expect(normaliseBuilding(raw)).toBe(expected);
	});

	it.each([
		['A座', 'A座'],
		['商铺', '商铺'],
		['12-1', '12-1'],
		['3号楼A座', '3号楼A座'],
		['', '']
	])('keeps a name that is not a plain number: %j → %j', (raw, expected) => {
		expect(normaliseBuilding(raw)).toBe(expected);
	});
});

describe('normaliseRoom', () => {
	it.each([
		[' 502 ', '502'],
		['502室', '502'],
		['５０２', '502'],
		['502 室', '502'],
		['室', '室'],
		['B1-01', 'B1-01']
	])('%j → %j', (raw, expected) => {
		expect(normaliseRoom(raw)).toBe(expected);
	});
});
