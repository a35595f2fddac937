import { describe, expect, it } from 'vitest';
import { blocksFromProseMirror, canonicalText, normalizeText, sha256Hex } from '../../../src/lib/domain/drafting/canonical.ts';

const header = {
	title: '限时开放',
	estimatedCost: '约12万元',
	whoPays: '两小区维修资金各半',
	gains: { aj: '到地铁近10分钟' },
	givesUp: { hq: '夜间安静' }
};
const compounds = [
	{ id: 'aj', name: '爱建小区' },
	{ id: 'hq', name: '虹桥小区' }
];

describe('canonical text', () => {
	it('lays out header and body in a fixed, readable order', () => {
		expect(canonicalText({ label: 'B', header, compounds, blocks: ['边门6:00–22:00开放。'] })).toBe(
			[
				'方案B：限时开放',
				'预计费用：约12万元',
				'费用承担：两小区维修资金各半',
				'各小区得到：',
				'  爱建小区：到地铁近10分钟',
				'  虹桥小区：',
				'各小区让出：',
				'  爱建小区：',
				'  虹桥小区：夜间安静',
				'正文：',
				'边门6:00–22:00开放。'
			].join('\n')
		);
	});

	it('ignores invisible differences but not visible ones', () => {
		const a = canonicalText({ label: 'A', header, compounds, blocks: ['开放。  ', 'e\u0301'] });
		const b = canonicalText({ label: 'A', header, compounds, blocks: ['开放。', '\u00e9'] });
		const c = canonicalText({ label: 'A', header, compounds, blocks: ['开放!', 'é'] });
		expect(sha256Hex(a)).toBe(sha256Hex(b));
		expect(sha256Hex(a)).not.toBe(sha256Hex(c));
		expect(normalizeText('a\r\nb \n\n')).toBe('a\nb');
	});

	it('hashes UTF-8 with SHA-256 (known vector)', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('keeps list markers, nesting, headings and table rows in the blocks', () => {
		const doc = {
			type: 'doc',
			content: [
				{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '实施步骤' }] },
				{
					type: 'orderedList',
					attrs: { start: 1 },
					content: [
						{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '拆除边门' }] }] },
						{
							type: 'listItem',
							content: [
								{ type: 'paragraph', content: [{ type: 'text', text: '改造空间' }] },
								{
									type: 'bulletList',
									content: [
										{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '座椅' }] }] }
									]
								}
							]
						}
					]
				},
				{
					type: 'table',
					content: [
						{
							type: 'tableRow',
							content: [
								{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: '费用' }] }] },
								{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: '12万' }] }] }
							]
						}
					]
				},
				{ type: 'paragraph', content: [{ type: 'text', text: '第一行' }, { type: 'hardBreak' }, { type: 'text', text: '第二行' }] }
			]
		};
		expect(blocksFromProseMirror(doc)).toEqual([
			'## 实施步骤',
			'1. 拆除边门',
			'2. 改造空间',
			'  • 座椅',
			'费用 | 12万',
			'第一行\n第二行'
		]);
	});
});
