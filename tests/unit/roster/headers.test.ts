import { describe, expect, it } from 'vitest';
import { mapHeaders, validateRoster } from '../../../src/lib/domain/roster/index.ts';

describe('mapHeaders', () => {
	it.each([
		[['楼栋', '室号', '产权面积', '业主']],
		[['楼号', '房号', '建筑面积', '业主姓名']],
		[['幢', '门牌', '面积(㎡)', '产权人']],
		[['幢号', '门牌号', '面积（平方米）', '业主（多人用、分隔）']],
		[['楼 栋', '室号*', '建筑面积 ㎡', '产权人姓名']]
	])('recognises %j', (header) => {
		const match = mapHeaders([header]);
		expect(match.ok).toBe(true);
		if (match.ok) expect(match.columns).toMatchObject({ building: 0, room: 1, area: [{ index: 2 }], owners: 3 });
	});

	it('maps the optional columns', () => {
		const match = mapHeaders([['业主编号', '楼栋', '室号', '实测面积', '面积来源', '房屋状态', '业主', '手机', '备注']]);
		expect(match).toMatchObject({
			ok: true,
			columns: {
				idHint: 0,
				building: 1,
				room: 2,
				area: [{ index: 3, kind: 'surveyed' }],
				areaSource: 4,
				status: 5,
				owners: 6,
				phone: 7
			}
		});
	});

	it('finds the header under a title row', () => {
		const rows = [['爱建小区房屋清册（2024年）'], [], ['序号', '楼栋', '室号', '面积', '业主'], ['1', '3', '502', '89.5', '顾建国']];
		const result = validateRoster(rows);
		expect(result.headerRow).toBe(3);
		expect(result.problems).toEqual([]);
		expect(result.units[0]).toMatchObject({ building: '3号楼', room: '502', sourceRow: 4 });
	});
});

describe('a missing required header', () => {
	it('is one clear Chinese problem naming every missing column and its synonyms', () => {
		const result = validateRoster([
			['楼栋', '面积', '联系电话'],
			['3号楼', '89.5', '139']
		]);
		expect(result.units).toEqual([]);
		expect(result.problems).toEqual([
			{
				kind: 'missing_header',
				row: 1,
				message:
					'第1行：表头里找不到这几栏：“室号”（也可写作 房号、门牌）、“业主”（也可写作 业主姓名、产权人）。请检查表头后重新上传'
			}
		]);
	});

	it('says "这一栏" for a single missing column', () => {
		const result = validateRoster([
			['楼栋', '室号', '业主'],
			['3号楼', '502', '顾建国']
		]);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0].message).toMatch(/^第1行：表头里找不到这一栏：“面积”/);
	});

	it('an empty file says so', () => {
		expect(validateRoster([]).problems).toEqual([{ kind: 'empty_file', row: 1, message: '文件里没有任何内容' }]);
		expect(validateRoster([[''], [' ']]).problems[0].kind).toBe('empty_file');
	});
});
