import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	canonicalJson,
	closureCheck,
	dashboardStats,
	daysLeft,
	disputeWindow,
	hashCanonical,
	isOverdue,
	maskPersonalNumbers,
	maskRoom,
	maskedUnitLabel,
	mayRate,
	median,
	verifyChain,
	hashDocument,
	type RecordDocument
} from '../../../src/lib/domain/records/index.ts';

const BJ = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);

describe('canonical JSON', () => {
	it('sorts keys at every depth and drops whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: '议事' } })).toBe(
			'{"a":{"c":"议事","d":[3,{"y":null,"z":true}]},"b":1}'
		);
	});
	it('refuses floats, NaN, undefined and class instances', () => {
		expect(() => canonicalJson({ a: 0.5 })).toThrow(/safe integers/);
		expect(() => canonicalJson([NaN])).toThrow();
		expect(() => canonicalJson({ a: undefined })).toThrow(/undefined/);
		expect(() => canonicalJson({ a: new Date(0) })).toThrow(/plain objects/);
	});
	it('is independent of key order (property)', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (obj) => {
				const reversed = Object.fromEntries(Object.entries(obj).reverse());
				return canonicalJson(obj) === canonicalJson(reversed) && hashCanonical(obj) === hashCanonical(reversed);
			})
		);
	});
	it('round-trips: parsing the canonical text gives the same canonical text', () => {
		fc.assert(
			fc.property(
				fc.jsonValue().filter((v) => !JSON.stringify(v).match(/\d\.\d|e[-+]?\d/i)),
				(v) => {
					try {
						const text = canonicalJson(v);
						return canonicalJson(JSON.parse(text)) === text;
					} catch {
						return true; // values with floats are refused, which is the point
					}
				}
			)
		);
	});
});

describe('dispute window (days count from the day after publication, China time)', () => {
	it.each([
		[
			'published 3月1日 10:00, 7 days → 3月2日–3月8日, ends 3月9日 00:00',
			BJ(2026, 3, 1, 10),
			7,
			'2026-03-02',
			'2026-03-08',
			BJ(2026, 3, 9)
		],
		['published 23:59 China time is still that day', BJ(2026, 3, 1, 23, 59), 7, '2026-03-02', '2026-03-08', BJ(2026, 3, 9)],
		['published 00:00 China time (16:00 UTC the day before)', BJ(2026, 3, 2, 0, 0), 1, '2026-03-03', '2026-03-03', BJ(2026, 3, 4)],
		['across a month end', BJ(2026, 2, 25, 9), 7, '2026-02-26', '2026-03-04', BJ(2026, 3, 5)]
	])('%s', (_name, published, days, first, last, endsAt) => {
		const w = disputeWindow(published, days);
		expect(w).toEqual({ firstDay: first, lastDay: last, endsAt });
	});
	it('refuses a window outside 1–30 days', () => {
		expect(() => disputeWindow(0, 0)).toThrow();
		expect(() => disputeWindow(0, 31)).toThrow();
	});
	it('counts days left including today', () => {
		const w = disputeWindow(BJ(2026, 3, 1, 10), 7);
		expect(daysLeft(w.endsAt, BJ(2026, 3, 8, 23))).toBe(1);
		expect(daysLeft(w.endsAt, BJ(2026, 3, 2, 1))).toBe(7);
		expect(daysLeft(w.endsAt, w.endsAt)).toBe(0);
	});
});

describe('masking', () => {
	it.each([
		['502', '5**'],
		['1104', '1***'],
		['1', '1*'],
		['B1-03', 'B****']
	])('room %s → %s', (room, masked) => expect(maskRoom(room)).toBe(masked));
	it('labels a unit as building plus masked room', () => expect(maskedUnitLabel('3号楼', '502')).toBe('3号楼 5**'));
	it('masks phone and ID numbers in resident text', () => {
		expect(maskPersonalNumbers('请打 13812345678 或 138-1234-5678 找我')).toBe('请打 138****5678 或 138****5678 找我');
		expect(maskPersonalNumbers('座机 021-62345678')).toBe('座机 021-****5678');
		expect(maskPersonalNumbers('身份证 31010519800101123X')).toBe('身份证 310**************X');
		expect(maskPersonalNumbers('面积 89.50 平方米，共 632 户')).toBe('面积 89.50 平方米，共 632 户');
	});
});

describe('follow-through closure (销项)', () => {
	const done = { status: 'done' as const, dueDate: '2026-04-01' };
	const open = { status: 'in_progress' as const, dueDate: '2026-04-01' };
	it.each([
		['no tasks', [], 1, false, /还没有落实任务/],
		['a task still open', [done, open], 1, false, /还有 1 项任务没有完成/],
		['done but not rated', [done], 0, false, /居民还没有评议/],
		['already closed', [done], 1, true, /已经销项/]
	])('refuses: %s', (_n, tasks, ratings, closed, reason) => {
		const check = closureCheck({ tasks, ratings, closed });
		expect(check.ok).toBe(false);
		expect(!check.ok && check.reasons.join()).toMatch(reason);
	});
	it('closes when every task is done and rated', () =>
		expect(closureCheck({ tasks: [done, done], ratings: 1, closed: false }).ok).toBe(true));
	it('lets residents rate only once every task is done', () => {
		expect(mayRate({ tasks: [done, open], closed: false })).toBe(false);
		expect(mayRate({ tasks: [done], closed: false })).toBe(true);
		expect(mayRate({ tasks: [], closed: false })).toBe(false);
	});
	it('flags a task overdue the day after its due date, China time, unless done', () => {
		expect(isOverdue(open, BJ(2026, 4, 1, 23, 59))).toBe(false);
		expect(isOverdue(open, BJ(2026, 4, 2, 0, 0))).toBe(true);
		expect(isOverdue(done, BJ(2026, 5, 1))).toBe(false);
	});
});

describe('dashboard figures', () => {
	it('medians: odd, even (a half day), none', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 2, 9])).toBe(3);
		expect(median([1, 2])).toBe(1.5);
		expect(median([])).toBeNull();
	});
	it('counts open, overdue and closed items and days to close', () => {
		const start = BJ(2026, 3, 1, 10);
		const stats = dashboardStats(
			[
				{ startedAt: start, closedAt: BJ(2026, 3, 11, 9), tasks: [{ status: 'done', dueDate: '2026-03-10' }] },
				{ startedAt: start, closedAt: BJ(2026, 3, 21, 9), tasks: [{ status: 'done', dueDate: '2026-03-10' }] },
				{ startedAt: start, closedAt: null, tasks: [{ status: 'planned', dueDate: '2026-03-10' }] },
				{ startedAt: start, closedAt: null, tasks: [{ status: 'planned', dueDate: '2026-12-10' }] }
			],
			BJ(2026, 4, 1)
		);
		expect(stats).toEqual({ open: 2, overdue: 1, closed: 2, medianDaysToClose: 15 });
	});
});

describe('hash chain', () => {
	function chainOf(n: number, versionOf: (seq: number) => number = () => 1) {
		const entries = [];
		let prev: string | null = null;
		for (let seq = 1; seq <= n; seq++) {
			const doc = {
				format: 'yishi-outcome-record',
				version: versionOf(seq),
				id: `r${seq}`,
				seq,
				prevHash: prev,
				content: { title: `记录${seq}`, figures: [seq, seq * 2] }
			} as unknown as RecordDocument;
			const { canonical, hash } = hashDocument(doc);
			entries.push({ seq, id: `r${seq}`, hash, prevHash: prev, document: canonical });
			prev = hash;
		}
		return entries;
	}
	it('accepts an intact chain in any order', () => {
		const report = verifyChain(chainOf(4).reverse());
		expect(report.ok).toBe(true);
		expect(report.head?.seq).toBe(4);
	});
	it('a chain of v1, then v2, then v3 records verifies: the old records are not rewritten', () => {
		const report = verifyChain(chainOf(5, (seq) => (seq <= 2 ? 1 : seq <= 4 ? 2 : 3)));
		expect(report).toMatchObject({ ok: true, checked: 5 });
		expect(verifyChain(chainOf(1, () => 4)).problems[0].en).toMatch(/unknown format/);
	});
	it('detects a changed figure', () => {
		const entries = chainOf(3);
		entries[1].document = entries[1].document.replace('[2,4]', '[2,5]');
		expect(verifyChain(entries).problems.map((p) => p.seq)).toEqual([2]);
	});
	it('detects a re-hashed record through the next link', () => {
		const entries = chainOf(3);
		const doc = JSON.parse(entries[1].document);
		doc.content.figures[1] = 5;
		const { canonical, hash } = hashDocument(doc);
		entries[1] = { ...entries[1], document: canonical, hash };
		const problems = verifyChain(entries).problems;
		expect(problems.map((p) => p.seq)).toEqual([3]);
		expect(problems[0].zh).toMatch(/链条断开/);
	});
	it('detects a removed record and non-canonical text', () => {
		const entries = chainOf(3);
		expect(verifyChain([entries[0], entries[2]]).ok).toBe(false);
		expect(verifyChain([entries[0], entries[2]], { complete: false }).ok).toBe(true);
		entries[0].document = entries[0].document.replace('{', '{ ');
		expect(verifyChain(entries).problems[0].zh).toMatch(/不是规范 JSON/);
	});
});
