import { describe, expect, it } from 'vitest';
import { validateRoster, validateRosterInChunks, type RosterValidation } from '../../../src/lib/domain/roster/index.ts';
import { PROBLEM_KNOWN_BUILDINGS, PROBLEM_ROWS } from '../../fixtures/roster/sample.ts';
import { sheet } from './factories.ts';

const messages = (result: RosterValidation) => result.problems.map((problem) => problem.message);

describe('validateRoster: every problem in plain Chinese, on the spreadsheet row', () => {
	const result = validateRoster(PROBLEM_ROWS, { knownBuildings: PROBLEM_KNOWN_BUILDINGS });

	it.each([
		['bad_area', 3, '面积', '第3行：面积“八十”不是数字'],
		['duplicate_room', 4, '室号', '第4行：1号楼 101 室重复（与第2行相同）'],
		['unknown_building', 5, '楼栋', '第5行：楼栋“33号楼”不在本小区'],
		['empty_owner', 6, '业主', '第6行：没有填写业主（开发商未售的房屋请在状态一栏写“开发商未售”）'],
		['bad_area', 7, '面积', '第7行：面积“-5”不能是负数'],
		['bad_area', 8, '面积', '第8行：面积“0”不能为 0'],
		['bad_area', 9, '面积', '第9行：面积“89.555”超过两位小数'],
		['bad_area', 10, '面积', '第10行：面积“12000”超过 10000 ㎡，请核对'],
		['bad_status', 11, '状态', '第11行：状态“待定”无法识别，请填写“已售”“开发商未售”或“已售未交付”'],
		['empty_building', 12, '楼栋', '第12行：没有填写楼栋'],
		['empty_room', 13, '室号', '第13行：没有填写室号']
	])('%s on row %i', (kind, row, column, message) => {
		expect(result.problems).toContainEqual({ kind, row, column, message });
	});

	it('reports nothing else, and keeps only the clean rows as units', () => {
		expect(result.problems).toHaveLength(11);
		expect(result.units.map((unit) => unit.sourceRow)).toEqual([2, 14]);
		expect(result.rowCount).toBe(13);
	});

	it('without knownBuildings, any building is accepted', () => {
		const open = validateRoster(PROBLEM_ROWS);
		expect(open.problems.map((problem) => problem.kind)).not.toContain('unknown_building');
		expect(open.units.map((unit) => unit.sourceRow)).toEqual([2, 5, 14]);
	});
});

describe('validateRoster: rows', () => {
	it('reports several problems of one row together', () => {
		const result = validateRoster(sheet(['3号楼', '502', '八十', '', '']));
		expect(messages(result)).toEqual([
			'第2行：面积“八十”不是数字',
			'第2行：没有填写业主（开发商未售的房屋请在状态一栏写“开发商未售”）'
		]);
		expect(result.units).toEqual([]);
	});

	it('finds a duplicate across spellings of the same building and room', () => {
		const result = validateRoster(sheet(['3号楼', '502', '89.5', '', '顾建国'], ['3幢', '502室', '89.5', '', '沈秀英']));
		expect(messages(result)).toEqual(['第3行：3号楼 502 室重复（与第2行相同）']);
	});

	it('compares knownBuildings after normalising both sides', () => {
		const result = validateRoster(sheet(['3', '502', '89.5', '', '顾建国']), { knownBuildings: ['3幢'] });
		expect(result.problems).toEqual([]);
	});

	it('lets developer units have no owner, and still requires one for owned units', () => {
		const result = validateRoster(
			sheet(
				['8号楼', '101', '120', '开发商未售', ''],
				['8号楼', '102', '120', '已售未交付', ''],
				['8号楼', '103', '120', '未交付', '俞海燕'],
				['8号楼', '104', '120', '自有', '']
			)
		);
		expect(result.units.map((unit) => [unit.status, unit.owners.length])).toEqual([
			['developer_unsold', 0],
			['sold_undelivered', 0],
			['sold_undelivered', 1]
		]);
		expect(result.problems.map((problem) => [problem.kind, problem.row])).toEqual([['empty_owner', 5]]);
	});

	it.each([
		['', 'owned'],
		['已售', 'owned'],
		['自有', 'owned'],
		['开发商未售', 'developer_unsold'],
		['未售', 'developer_unsold'],
		['已售未交付', 'sold_undelivered'],
		[' 已售 未交付 ', 'sold_undelivered']
	])('status %j → %s', (text, status) => {
		const result = validateRoster(sheet(['1号楼', '101', '60', text, '顾建国']));
		expect(result.units[0]?.status).toBe(status);
	});

	it('skips blank rows without shifting row numbers', () => {
		const result = validateRoster(
			sheet(['1号楼', '101', '60', '', '顾建国'], ['', ' ', '', '', ''], ['1号楼', '102', '', '', '沈秀英'])
		);
		expect(messages(result)).toEqual(['第4行：没有填写面积']);
		expect(result.rowCount).toBe(2);
	});

	it('removes the apostrophe that defuses formulas, but keeps the formula text', () => {
		const result = validateRoster(sheet(['1号楼', "'=1+1", '60', '', "'+86 顾"]));
		expect(result.units[0]).toMatchObject({ room: '=1+1', owners: [{ name: '+86 顾' }] });
	});
});

describe('validateRoster: owners', () => {
	const header = ['楼栋', '室号', '面积', '业主', '证件后四位', '联系电话'];

	it.each([
		'沈秀英、陆志明',
		'沈秀英，陆志明',
		'沈秀英,陆志明',
		'沈秀英; 陆志明',
		'沈秀英；陆志明',
		'沈秀英/陆志明',
		'沈秀英\n陆志明',
		' 沈秀英 、、 陆志明 '
	])('splits co-owners in %j', (cell) => {
		const result = validateRoster([header, ['1号楼', '101', '60', cell, '', '']]);
		expect(result.units[0].owners).toEqual([{ name: '沈秀英' }, { name: '陆志明' }]);
	});

	it('pairs id hints and phones with co-owners by position', () => {
		const result = validateRoster([header, ['1号楼', '101', '60', '沈秀英、陆志明', '、0789', '13900000001、13900000002']]);
		expect(result.units[0].owners).toEqual([
			{ name: '沈秀英', phone: '13900000001' },
			{ name: '陆志明', idHint: '0789', phone: '13900000002' }
		]);
	});

	it('gives a single phone to the first co-owner', () => {
		const result = validateRoster([header, ['1号楼', '101', '60', '沈秀英、陆志明', '', '13900000001']]);
		expect(result.units[0].owners).toEqual([{ name: '沈秀英', phone: '13900000001' }, { name: '陆志明' }]);
	});

	it('reports id hints that cannot be matched to the owners', () => {
		const result = validateRoster([header, ['1号楼', '101', '60', '沈秀英、陆志明', '0456、0789、0111', '']]);
		expect(result.problems).toEqual([
			{
				kind: 'owner_details_mismatch',
				row: 2,
				column: '证件后四位',
				message: '第2行：业主有 2 位，“业主编号/证件后四位”却填了 3 个，请一一对应'
			}
		]);
	});
});

describe('validateRoster: area columns and sources', () => {
	it('defaults to 登记 for a registered or plain area column', () => {
		for (const column of ['产权面积', '建筑面积', '面积(㎡)']) {
			const result = validateRoster([
				['楼栋', '室号', column, '业主'],
				['1号楼', '101', '60', '顾建国']
			]);
			expect(result.units[0].areaSource).toBe('registered');
		}
	});

	it('takes the source from 面积来源 when filled', () => {
		const result = validateRoster([
			['楼栋', '室号', '面积', '面积来源', '业主'],
			['1号楼', '101', '60', '实测', '顾建国'],
			['1号楼', '102', '60', '合同', '顾建国'],
			['1号楼', '103', '60', '', '顾建国'],
			['1号楼', '104', '60', '估算', '顾建国']
		]);
		expect(result.units.map((unit) => unit.areaSource)).toEqual(['surveyed', 'contract', 'registered']);
		expect(messages(result)).toEqual(['第5行：面积来源“估算”无法识别，请填写“登记”“实测”或“合同”']);
	});

	it('with several area columns, uses registered, else surveyed, else contract (SPC art. 8)', () => {
		const result = validateRoster([
			['楼栋', '室号', '合同面积', '实测面积', '产权面积', '业主'],
			['1号楼', '101', '61', '62', '63', '顾建国'],
			['1号楼', '102', '61', '62', '', '顾建国'],
			['1号楼', '103', '61', '', '', '顾建国'],
			['1号楼', '104', '', '', '', '顾建国']
		]);
		expect(result.units.map((unit) => [unit.areaHundredths, unit.areaSource])).toEqual([
			[6300, 'registered'],
			[6200, 'surveyed'],
			[6100, 'contract']
		]);
		expect(messages(result)).toEqual(['第5行：没有填写面积']);
	});
});

describe('validateRosterInChunks', () => {
	const big = (count: number): string[][] => {
		const rows = [['楼栋', '室号', '面积', '状态', '业主']];
		for (let i = 0; i < count; i++) {
			const building = `${Math.floor(i / 200) + 1}号楼`;
			rows.push([building, String(100 + (i % 200)), `${40 + (i % 100)}.${String(i % 100).padStart(2, '0')}`, '', `业主${i}`]);
		}
		return rows;
	};

	it('processes 20,000 rows with progress, yielding between chunks, same result as the sync version', async () => {
		const rows = big(20_000);
		rows[12_345][2] = '八十';
		const progress: [number, number][] = [];
		let yielded = 0;
		const ticker = setInterval(() => yielded++, 0);
		const result = await validateRosterInChunks(rows, {}, (done, total) => progress.push([done, total]), { chunkSize: 1000 });
		clearInterval(ticker);

		expect(result.units).toHaveLength(19_999);
		expect(result.problems).toEqual([{ kind: 'bad_area', row: 12_346, column: '面积', message: '第12346行：面积“八十”不是数字' }]);
		expect(progress[0]).toEqual([0, 20_000]);
		expect(progress.at(-1)).toEqual([20_000, 20_000]);
		expect(progress).toHaveLength(21);
		expect(progress.every(([done], i) => i === 0 || done > progress[i - 1][0])).toBe(true);
		expect(yielded).toBeGreaterThan(0);
		expect(result).toEqual(validateRoster(rows));
	});

	it('stops when aborted', async () => {
		const controller = new AbortController();
		const run = validateRosterInChunks(big(5000), {}, (done) => done >= 1000 && controller.abort(), {
			chunkSize: 500,
			signal: controller.signal
		});
		await expect(run).rejects.toThrow();
	});

	it('returns the header problem at once', async () => {
		const result = await validateRosterInChunks([['foo']]);
		expect(result.problems[0].kind).toBe('missing_header');
	});
});
