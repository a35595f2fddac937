import type { RosterUnit } from '../../../src/lib/domain/roster/types.ts';

export function newUnit(overrides: Partial<RosterUnit> = {}): RosterUnit {
	return {
		building: '3号楼',
		room: '502',
		areaHundredths: 8950,
		areaSource: 'registered',
		status: 'owned',
		owners: [{ name: '顾建国', idHint: '0123' }],
		...overrides
	};
}

/** A header plus data rows, the way decodeRosterFile returns them. */
export function sheet(...dataRows: string[][]): string[][] {
	return [['楼栋', '室号', '面积', '状态', '业主'], ...dataRows];
}

export function withoutSourceRow(units: RosterUnit[]): RosterUnit[] {
	return units.map(({ sourceRow: _sourceRow, ...unit }) => unit);
}
