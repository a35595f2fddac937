import { describe, expect, it } from 'vitest';
import { diffRosters } from '../../../src/lib/domain/roster/index.ts';
import { newUnit } from './factories.ts';

describe('diffRosters', () => {
	const a101 = newUnit({ building: '1号楼', room: '101' });
	const a102 = newUnit({ building: '1号楼', room: '102', owners: [{ name: '沈秀英' }, { name: '陆志明' }] });
	const a103 = newUnit({ building: '1号楼', room: '103' });

	it('says so when nothing changed', () => {
		const diff = diffRosters([a101, a102], [{ ...a102, sourceRow: 7 }, a101]);
		expect(diff).toMatchObject({ added: [], removed: [], changed: [], unchangedCount: 2, summary: '与上一版相同，没有变化' });
	});

	it('the first import is all additions', () => {
		expect(diffRosters([], [a101, a102]).summary).toBe('新增 2 户，删除 0 户，变更 0 户');
	});

	it('finds added, removed and changed units with the fields that changed', () => {
		const next = [
			{ ...a101, areaHundredths: 9000, areaSource: 'surveyed' as const },
			{ ...a102, owners: [{ name: '陆志明' }] },
			newUnit({ building: '2号楼', room: '201' })
		];
		const diff = diffRosters([a101, a102, a103], next);
		expect(diff.added.map((unit) => unit.room)).toEqual(['201']);
		expect(diff.removed.map((unit) => unit.room)).toEqual(['103']);
		expect(diff.changed.map((change) => [change.room, change.fields])).toEqual([
			['101', ['area', 'source']],
			['102', ['owners']]
		]);
		expect(diff.changed[0].before.areaHundredths).toBe(8950);
		expect(diff.changed[0].after.areaHundredths).toBe(9000);
		expect(diff.fieldCounts).toEqual({ area: 1, source: 1, status: 0, owners: 1 });
		expect(diff.summary).toBe('新增 1 户，删除 1 户，变更 2 户（面积 1、面积来源 1、业主 1）');
	});

	it('matches the issue example', () => {
		const previous = Array.from({ length: 6 }, (_, i) => newUnit({ room: String(101 + i) }));
		const next = [
			{ ...previous[0], areaHundredths: 1 },
			{ ...previous[1], areaHundredths: 2 },
			{ ...previous[2], owners: [{ name: '甲' }] },
			{ ...previous[3], owners: [{ name: '乙' }] },
			{ ...previous[4], owners: [{ name: '丙' }] },
			...['901', '902', '903'].map((room) => newUnit({ room }))
		];
		expect(diffRosters(previous, next).summary).toBe('新增 3 户，删除 1 户，变更 5 户（面积 2、业主 3）');
	});

	it('ignores co-owner order but not a changed phone or id hint', () => {
		const swapped = { ...a102, owners: [{ name: '陆志明' }, { name: '沈秀英' }] };
		expect(diffRosters([a102], [swapped]).changed).toEqual([]);
		const phone = { ...a102, owners: [{ name: '沈秀英', phone: '139' }, { name: '陆志明' }] };
		expect(diffRosters([a102], [phone]).changed[0].fields).toEqual(['owners']);
	});

	it('a status change is its own field', () => {
		const delivered = newUnit({ status: 'sold_undelivered' });
		expect(diffRosters([delivered], [newUnit()]).summary).toBe('新增 0 户，删除 0 户，变更 1 户（状态 1）');
	});
});
