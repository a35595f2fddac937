/**
 * The gate case's drafts for the demo (演示数据, invented): three alternatives with some text, a
 * saved 第一稿 and one comment. Everything goes through the drafting services and the same
 * document store the collaboration server reads, so the demo is exactly what residents would
 * have produced by typing.
 */
import { and, eq } from 'drizzle-orm';
import { getSchema } from '@tiptap/core';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { ProseMirrorJSON } from '../../domain/drafting/canonical.ts';
import { CONTENT_FIELD, HEADER_FIELD } from '../../domain/drafting/document.ts';
import { draftExtensions } from '../../domain/drafting/extensions.ts';
import { loadActor } from '../access.ts';
import type { Database } from '../db/client.ts';
import { draftSets, users } from '../db/schema/index.ts';
import { addComment } from './comments.ts';
import { createDraft } from './sets.ts';
import { changeStoredDocument } from './store.ts';
import { saveVersion } from './versions.ts';

export const DEMO_DRAFT_SESSION = 'gate-case';
export const DEMO_DRAFT_TITLE = '爱建/虹桥边门方案';

const p = (text: string): ProseMirrorJSON => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const h = (level: number, text: string): ProseMirrorJSON => ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] });
const bullets = (...items: string[]): ProseMirrorJSON => ({
	type: 'bulletList',
	content: items.map((t) => ({ type: 'listItem', content: [p(t)] }))
});
const cell = (type: 'tableHeader' | 'tableCell', text: string): ProseMirrorJSON => ({
	type,
	content: [text ? p(text) : { type: 'paragraph' }]
});
const costTable = (rows: [string, string][]): ProseMirrorJSON => ({
	type: 'table',
	content: [
		{ type: 'tableRow', content: [cell('tableHeader', '项目'), cell('tableHeader', '费用（估算）')] },
		...rows.map(([item, cost]) => ({ type: 'tableRow', content: [cell('tableCell', item), cell('tableCell', cost)] }))
	]
});

interface DemoAlternative {
	title: string;
	estimatedCost: string;
	whoPays: string;
	gains: { aijian: string; hongqiao: string };
	givesUp: { aijian: string; hongqiao: string };
	body: ProseMirrorJSON[];
}

const ALTERNATIVES: DemoAlternative[] = [
	{
		title: '全天开放',
		estimatedCost: '约 3 万元',
		whoPays: '两小区公共收益按户数分摊',
		gains: { aijian: '步行到地铁 10 号线和菜场少绕 10 分钟以上', hongqiao: '可以经爱建小区去公交站' },
		givesUp: { aijian: '小区内多了过路的人', hongqiao: '边门附近夜间安静和门卫对出入的掌握' },
		body: [
			h(2, '做法'),
			p('拆除边门铁栅，恢复两小区之间的通道，全天 24 小时开放。'),
			bullets('通道两侧加装照明和监控各 2 处', '在通道口设非机动车禁行标志'),
			h(2, '费用'),
			costTable([
				['拆除铁栅、修补地面', '1.2 万元'],
				['照明与监控', '1.8 万元']
			])
		]
	},
	{
		title: '6:00–22:00 开放并加装门禁、改造共享空间',
		estimatedCost: '约 12 万元',
		whoPays: '街道社区微更新资金 8 万元，两小区公共收益各 2 万元',
		gains: { aijian: '白天出行近便，门禁保证夜间安全', hongqiao: '边门空地改造成两小区共用的休憩空间' },
		givesUp: { aijian: '夜间 22:00 后仍需绕行', hongqiao: '边门空地不再只属于本小区' },
		body: [
			h(2, '做法'),
			p('边门每天 6:00 开启、22:00 关闭，两小区居民刷卡或人脸识别通行。'),
			p('边门内侧约 200 平方米空地改造为共享空间：座椅、花坛、儿童游戏角。'),
			bullets('门禁设备由两小区物业共同维护', '开放时间试行三个月后再评议'),
			h(2, '费用'),
			costTable([
				['门禁系统', '4 万元'],
				['共享空间改造', '7 万元'],
				['照明与监控', '1 万元']
			])
		]
	},
	{
		title: '维持关闭',
		estimatedCost: '无',
		whoPays: '—',
		gains: { aijian: '—', hongqiao: '维持现状，出入管理不变' },
		givesUp: { aijian: '继续绕行去地铁站和菜场', hongqiao: '—' },
		body: [h(2, '做法'), p('边门继续关闭，不做改造。'), p('两小区居委每年组织一次回访，听取居民意见。')]
	}
];

async function userIdOf(database: Database, login: string): Promise<string> {
	const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, login)).limit(1);
	if (!row) throw new Error(`seedDraftingDemo: demo account ${login} is missing; seed the communities first`);
	return row.id;
}

/**
 * Seeds the 爱建/虹桥 side-gate draft set once (skipped when the gate case already has one).
 * Needs the community demo (seedDemoIfEmpty) first: it acts as the gate case's facilitator (who frames the alternatives) and an owner.
 * Returns the set and alternative ids, or null when it was already there.
 */
export async function seedDraftingDemo(
	database: Database,
	options: { staffLogin?: string; commenterLogin?: string } = {}
): Promise<{ setId: string; alternativeIds: string[] } | null> {
	const [existing] = await database.db
		.select({ id: draftSets.id })
		.from(draftSets)
		.where(and(eq(draftSets.sessionId, DEMO_DRAFT_SESSION), eq(draftSets.title, DEMO_DRAFT_TITLE)))
		.limit(1);
	if (existing) return null;
	const staffId = await userIdOf(database, options.staffLogin ?? 'facilitator');
	const commenterId = await userIdOf(database, options.commenterLogin ?? 'hongqiao_owner');
	const staff = await loadActor(database, staffId);
	const { set, alternatives } = await createDraft(database, staff, {
		title: DEMO_DRAFT_TITLE,
		compoundIds: ['aijian', 'hongqiao'],
		sessionId: DEMO_DRAFT_SESSION,
		alternatives: ALTERNATIVES.map((a) => ({ title: a.title }))
	});
	const schema = getSchema(draftExtensions);
	for (const [i, alt] of alternatives.entries()) {
		const spec = ALTERNATIVES[i];
		await database.write(async (tx) => {
			const { doc } = await changeStoredDocument(tx, alt.id, staffId, (live) => {
				const header = live.getMap<unknown>(HEADER_FIELD);
				header.set('estimatedCost', spec.estimatedCost);
				header.set('whoPays', spec.whoPays);
				// The nested maps exist already (createDraft wrote them); never replace them.
				for (const key of ['gains', 'givesUp'] as const) {
					const nested = header.get(key);
					if (nested instanceof Y.Map) for (const [compound, text] of Object.entries(spec[key])) nested.set(compound, text);
				}
				prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content: spec.body }, live.getXmlFragment(CONTENT_FIELD));
			});
			doc.destroy();
		});
	}
	const [altA, altB] = alternatives;
	await saveVersion(database, staff, altA.id, '第一稿');
	await saveVersion(database, staff, altB.id, '第一稿');
	await addComment(database, await loadActor(database, commenterId), {
		alternativeId: altB.id,
		body: '22:00 关门对下夜班的居民是不是太早？建议讨论 23:00。',
		// "每天 6:00 开启、22:00 关闭": the second body paragraph (offsets into the plain text, see textSegments).
		range: rangeOf(1, '22:00 关闭')
	});
	return { setId: set.id, alternativeIds: alternatives.map((a) => a.id) };
}

/** The plain-text range of `needle` in a demo alternative's body (header excluded: it is not in the fragment). */
function rangeOf(index: number, needle: string): { from: number; to: number } {
	const lines: string[] = [];
	const collect = (node: ProseMirrorJSON): void => {
		const kids = node.content ?? [];
		const leaf = kids.every((k) => k.type === 'text' || k.type === 'hardBreak');
		if (node.type !== 'doc' && leaf) {
			lines.push(kids.map((k) => (k.type === 'text' ? (k.text ?? '') : '\n')).join(''));
			return;
		}
		kids.forEach(collect);
	};
	collect({ type: 'doc', content: ALTERNATIVES[index].body });
	const text = lines.join('\n');
	const from = text.indexOf(needle);
	if (from < 0) throw new Error(`demo text has no "${needle}"`);
	return { from, to: from + needle.length };
}
