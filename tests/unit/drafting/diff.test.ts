import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffBlocks, diffStats, diffText, renderDiffHtml, tokenize } from '../../../src/lib/domain/drafting/diff.ts';

describe('tokenize', () => {
	it('splits Han characters one by one and keeps Latin words and numbers whole', () => {
		expect(tokenize('方案A开放6:00至22:00, open all day')).toEqual([
			'方',
			'案',
			'A',
			'开',
			'放',
			'6',
			':',
			'00',
			'至',
			'22',
			':',
			'00',
			',',
			' ',
			'open',
			' ',
			'all',
			' ',
			'day'
		]);
	});
});

describe('diffText', () => {
	it('marks a replaced number as one deletion and one insertion', () => {
		expect(diffText('预计费用约120000元', '预计费用约150000元')).toEqual([
			{ kind: 'equal', text: '预计费用约' },
			{ kind: 'delete', text: '120000' },
			{ kind: 'insert', text: '150000' },
			{ kind: 'equal', text: '元' }
		]);
	});

	it('reconstructs both sides exactly (property)', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom('门', '开', '关', 'a', 'b', ' ', '1', '。'), maxLength: 30 }),
				fc.string({ unit: fc.constantFrom('门', '开', '关', 'a', 'b', ' ', '1', '。'), maxLength: 30 }),
				(a, b) => {
					const ops = diffText(a, b);
					expect(
						ops
							.filter((o) => o.kind !== 'insert')
							.map((o) => o.text)
							.join('')
					).toBe(a);
					expect(
						ops
							.filter((o) => o.kind !== 'delete')
							.map((o) => o.text)
							.join('')
					).toBe(b);
				}
			)
		);
	});
});

describe('diffBlocks', () => {
	it('keeps unchanged paragraphs, pairs edited ones and shows added and removed ones whole', () => {
		const blocks = diffBlocks(
			['第一段', '边门每天6点开放。', '要删掉的一段', '结尾'],
			['第一段', '边门每天7点开放。', '结尾', '新增一段']
		);
		expect(blocks.map((b) => b.kind)).toEqual(['equal', 'change', 'delete', 'equal', 'insert']);
		expect(diffStats(blocks)).toEqual({ insertedChars: 1 + 4, deletedChars: 1 + 6, changedBlocks: 3 });
		const html = renderDiffHtml(blocks);
		expect(html).toContain('<p class="diff-changed">边门每天<del>6</del><ins>7</ins>点开放。</p>');
		expect(html).toContain('<del>要删掉的一段</del>');
		expect(html).toContain('<ins>新增一段</ins>');
	});

	it('escapes text in the diff HTML', () => {
		const html = renderDiffHtml(diffBlocks(['<b>'], ['<script>alert(1)</script>']));
		expect(html).not.toContain('<script>');
		expect(html).toContain('script&gt;alert(1)&lt;/script');
	});
});
