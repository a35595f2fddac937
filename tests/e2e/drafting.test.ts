import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, phone, snap as snapPage } from './browser.ts';
import { database, demoAccount, newAccount, newCluster, newCompound, rosterOf, type Account } from './seed.ts';
import { signInContext } from './session.ts';

type Server = {
	drafting: typeof import('../../src/lib/server/drafting/index.ts');
	demo: typeof import('../../src/lib/server/drafting/demo.ts');
	voting: typeof import('../../src/lib/server/voting/index.ts');
	access: typeof import('../../src/lib/server/access.ts');
	agenda: typeof import('../../src/lib/server/agenda/index.ts');
	schema: typeof import('../../src/lib/server/db/schema/index.ts');
	orm: typeof import('drizzle-orm');
};

let browser: Browser;
let server: Server;
const contexts: BrowserContext[] = [];

/**
 * This file's gate case: two compounds under two 居委 of a 片区 of its own, a session of both with its
 * facilitator, and the people who write (named as the demo's 张三 and 李四, whose names the carets show).
 */
let gate: { aijian: string; hongqiao: string; sessionId: string };
type Person = 'aijian_owner' | 'hongqiao_owner' | 'facilitator' | 'pianqu';
let people: Record<Person, Account>;

const actorOf = (who: Person) => server.access.loadActor(database, people[who].id);

/** A fresh draft set of the file's gate case. */
async function newGateSet(title: string) {
	return server.drafting.createDraft(database, await actorOf('facilitator'), {
		title,
		compoundIds: [gate.aijian, gate.hongqiao],
		sessionId: gate.sessionId,
		alternatives: [{ title: '全天开放' }, { title: '6:00–22:00 开放并加装门禁' }, { title: '维持关闭' }]
	});
}

/** A phone signed in (by a session cookie) whose pages record every dialog (none may ever open). */
async function person(who: Person | Account, dialogs: string[], options: { elder?: boolean } = {}): Promise<Page> {
	const account = typeof who === 'string' ? people[who] : who;
	const context = await signInContext(await phone(browser, options), account);
	contexts.push(context);
	const page = await context.newPage();
	page.on('dialog', (dialog) => {
		dialogs.push(`${account.name}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	return page;
}

/** Screenshots from the top: a full-page shot taken mid-scroll paints the sticky toolbar over the text. */
async function snap(page: Page, name: string): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	await snapPage(page, name);
}

const status = (page: Page) => page.getByTestId('draft-status');
const body = (page: Page) => page.locator('.ProseMirror');

async function openAlternative(page: Page, setId: string, altId: string): Promise<void> {
	await page.goto(`${baseUrl()}/drafts/${setId}/${altId}`);
	await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain('已保存');
}

/** Types a new paragraph at the end of the body and waits until the server has it. */
async function appendParagraph(page: Page, text: string): Promise<void> {
	await body(page).click();
	// Put the caret at the very end of the body (keyboard shortcuts for that differ between platforms),
	// and wait for the selectionchange event: the editor (listening since before) has read it then.
	await body(page).evaluate(
		(root) =>
			new Promise<void>((resolve) => {
				document.addEventListener('selectionchange', () => resolve(), { once: true });
				const range = document.createRange();
				range.selectNodeContents(root.lastElementChild ?? root);
				range.collapse(false);
				const selection = getSelection()!;
				selection.removeAllRanges();
				selection.addRange(range);
			})
	);
	if (((await body(page).innerText()) ?? '').trim() !== '') await page.keyboard.press('Enter');
	await page.keyboard.type(text);
	await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain('已保存');
}

/** Selects the whole paragraph that contains `text` (a triple click selects a paragraph's text in ProseMirror). */
async function selectParagraph(page: Page, text: string): Promise<void> {
	await body(page).locator('p', { hasText: text }).first().click({ clickCount: 3 });
}

async function comment(page: Page, paragraph: string, words: string): Promise<void> {
	await selectParagraph(page, paragraph);
	await page.getByRole('button', { name: '评论', exact: true }).click();
	await page.getByLabel('您的意见').fill(words);
	await page.getByRole('button', { name: '发表评论' }).click();
	await expect.poll(() => page.getByTestId('comment-thread').filter({ hasText: words }).count()).toBe(1);
}

beforeAll(async () => {
	// The service calls below share the server's test clock, so "15 days ahead" means the same to both.
	server = {
		drafting: await import('../../src/lib/server/drafting/index.ts'),
		demo: await import('../../src/lib/server/drafting/demo.ts'),
		voting: await import('../../src/lib/server/voting/index.ts'),
		access: await import('../../src/lib/server/access.ts'),
		agenda: await import('../../src/lib/server/agenda/index.ts'),
		schema: await import('../../src/lib/server/db/schema/index.ts'),
		orm: await import('drizzle-orm')
	};
	browser = await launch();
	const { clusterId } = await newCluster('起草');
	const aijian = await newCompound('起草爱建小区', rosterOf(6, '起草爱建'), clusterId);
	const hongqiao = await newCompound('起草虹桥小区', rosterOf(6, '起草虹桥'), clusterId);
	people = {
		aijian_owner: await newAccount('张三（爱建业主）', { owns: [aijian.units[0], aijian.units[1]] }),
		hongqiao_owner: await newAccount('李四（虹桥业主）', { owns: [hongqiao.units[0]] }),
		facilitator: await newAccount('陈老师（主持人）'),
		pianqu: await newAccount('起草片区协调人', { grants: [{ role: 'cluster_coordinator', scopeId: clusterId }] })
	};
	const { sessionId } = await server.agenda.createSession(database, await actorOf('pianqu'), {
		title: '边门起草协商会',
		kind: 'coordination',
		compoundIds: [aijian.id, hongqiao.id],
		facilitatorLogin: people.facilitator.login
	});
	gate = { aijian: aijian.id, hongqiao: hongqiao.id, sessionId };
});
afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
});

describe('drafting: co-editing, comments, versions, freeze', () => {
	it(
		"two browser contexts co-edit one alternative, see each other's carets, one comments on a " +
			'sentence, the other replies; a version diff shows the change; after the freeze the editor ' +
			'is read-only and the ballot shows the same hash.',
		async () => {
			const { set, alternatives } = await newGateSet('边门方案（浏览器测试）');
			const altA = alternatives[0];
			const dialogs: string[] = [];
			const zhang = await person('aijian_owner', dialogs);
			const li = await person('hongqiao_owner', dialogs);

			// 张三 (爱建) and 李四 (虹桥) open 方案A on their phones and write together.
			await openAlternative(zhang, set.id, altA.id);
			await openAlternative(li, set.id, altA.id);
			await appendParagraph(zhang, '爱建居民希望边门全天开放，去地铁站更近。');
			await expect.poll(() => body(li).innerText()).toContain('爱建居民希望边门全天开放');
			await appendParagraph(li, '虹桥居民担心夜间安全。');
			await expect.poll(() => body(zhang).innerText()).toContain('虹桥居民担心夜间安全。');

			// Each sees the other's named caret.
			await expect.poll(() => zhang.locator('.collaboration-carets__label').allTextContents()).toContain('李四（虹桥业主）');
			await body(zhang).click();
			await expect.poll(() => li.locator('.collaboration-carets__label').allTextContents()).toContain('张三（爱建业主）');

			// The structured header is shared too.
			await zhang.getByLabel('预计费用').fill('约 3 万元');
			await expect.poll(() => li.getByLabel('预计费用').inputValue()).toBe('约 3 万元');
			await expect.poll(() => status(zhang).textContent()).toContain('已保存');

			// 第一稿.
			await zhang.getByLabel('保存一个版本').fill('第一稿');
			await zhang.getByRole('button', { name: '保存版本' }).click();
			await expect.poll(() => zhang.getByRole('status').allTextContents()).toContain('已保存版本“第一稿”（第 1 版）。');

			// 张三 comments on 李四's sentence; 李四 replies.
			await openAlternative(zhang, set.id, altA.id);
			await comment(zhang, '虹桥居民担心夜间安全', '夜里可以加装门禁，刷卡进出。');
			const thread = zhang.getByTestId('comment-thread').first();
			expect(await thread.locator('blockquote').textContent()).toBe('虹桥居民担心夜间安全。');
			await expect.poll(() => zhang.locator('.comment-mark').allTextContents()).toContain('虹桥居民担心夜间安全。');
			await snap(zhang, 'drafting-editor');

			await openAlternative(li, set.id, altA.id);
			const liThread = li.getByTestId('comment-thread').filter({ hasText: '夜里可以加装门禁' });
			await liThread.getByLabel('回复这条批注').fill('同意装门禁，22 点以后刷卡。');
			await liThread.getByRole('button', { name: '回复' }).click();
			await expect.poll(() => liThread.textContent()).toContain('同意装门禁，22 点以后刷卡。');
			// 张三's open page hears of the reply from the collaboration server, without reloading.
			await expect
				.poll(() => zhang.getByTestId('comment-thread').first().textContent(), { timeout: 5_000 })
				.toContain('同意装门禁，22 点以后刷卡。');

			// After the 协调会 the text changes; the diff between the two versions shows exactly that.
			await appendParagraph(zhang, '协调会后：夜间 22:00 以后刷卡通行。');
			await zhang.getByLabel('保存一个版本').fill('协调会后');
			await zhang.getByRole('button', { name: '保存版本' }).click();
			await expect.poll(() => zhang.getByRole('status').allTextContents()).toContain('已保存版本“协调会后”（第 2 版）。');
			await zhang.getByRole('link', { name: /版本记录/ }).click();
			await zhang.getByLabel('从').selectOption({ label: '第 1 版 · 第一稿' });
			await zhang.getByLabel('到').selectOption({ label: '第 2 版 · 协调会后' });
			await zhang.getByRole('button', { name: '对比' }).click();
			await expect
				.poll(() => zhang.getByTestId('diff').locator('ins').allTextContents())
				.toContain('协调会后：夜间 22:00 以后刷卡通行。');
			expect(await zhang.getByTestId('diff').textContent()).toContain('虹桥居民担心夜间安全。');
			await snap(zhang, 'drafting-diff');
			await zhang.getByRole('link', { name: '查看' }).first().click();
			await expect.poll(() => zhang.locator('#view pre').textContent()).toContain('协调会后：夜间 22:00 以后刷卡通行。');

			// The facilitator freezes the set; 张三's open editor turns read-only at once.
			await openAlternative(zhang, set.id, altA.id);
			const chen = await person('facilitator', dialogs);
			await chen.goto(`${baseUrl()}/drafts/${set.id}`);
			await chen.getByLabel('我已和各方确认，方案内容可以定稿').check();
			await chen.getByRole('button', { name: '定稿', exact: true }).click();
			await expect.poll(() => chen.getByTestId('frozen-hash').count()).toBe(3);
			const frozenHash = ((await chen.getByTestId('frozen-hash').first().textContent()) ?? '').trim();
			expect(frozenHash).toMatch(/^[0-9a-f]{64}$/);
			await snap(chen, 'drafting-frozen');

			await expect.poll(() => body(zhang).getAttribute('contenteditable')).toBe('false');
			await expect.poll(() => status(zhang).textContent()).toContain('已定稿');
			await zhang.reload();
			await expect.poll(() => zhang.getByTestId('frozen-hash').textContent()).toBe(frozenHash);
			expect(await zhang.getByTestId('frozen-text').textContent()).toContain('协调会后：夜间 22:00 以后刷卡通行。');
			await expect.poll(() => body(zhang).getAttribute('contenteditable')).toBe('false');
			expect(await zhang.getByRole('button', { name: '加粗' }).count()).toBe(0);

			// The 片区 coordinator puts the frozen text on a ballot; the owner's ballot page shows the same hash.
			const coordinator = await actorOf('pianqu');
			const frozen = await server.drafting.getFrozenText(database, coordinator, altA.id);
			expect(frozen.textHash).toBe(frozenHash);
			const now = Date.now() + Number((await import('node:fs')).readFileSync(inject('clockFile'), 'utf8').trim() || 0);
			const { publishedAgendaItem } = await import('../helpers/agenda.ts');
			const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
			const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');
			const agendaItemId = await publishedAgendaItem(database, [gate.aijian, gate.hongqiao], 'major', '边门方案');
			const { ballotId } = await server.voting.createBallot(database, coordinator, {
				title: '边门方案表决（浏览器测试）',
				ruleKind: 'major',
				agendaItemId,
				motions: [{ id: 'A', title: `方案A：${altA.title}`, text: frozen.text, textHash: frozen.textHash }],
				compounds: [{ compoundId: gate.aijian }, { compoundId: gate.hongqiao }],
				// Dates valid under the period rules (notice period, a working closing day) whatever the weekday.
				...lawfulSchedule(await loadCalendar(database.db), now, 15, 14)
			});
			await zhang.goto(`${baseUrl()}/vote/${ballotId}`);
			await expect.poll(() => zhang.locator('main').textContent()).toContain(frozenHash);
			expect(dialogs).toEqual([]);
		}
	);

	it('shows markup typed into the editor and into comments as text, never running it', async () => {
		const { set, alternatives } = await newGateSet('边门方案（安全测试）');
		const alt = alternatives[1];
		const dialogs: string[] = [];
		const zhang = await person('aijian_owner', dialogs);
		const li = await person('hongqiao_owner', dialogs);
		await openAlternative(zhang, set.id, alt.id);
		await openAlternative(li, set.id, alt.id);

		const img = '<img src=x onerror=alert(1)>';
		const script = '<script>alert(2)</script>';
		await appendParagraph(zhang, img);
		await appendParagraph(zhang, script);
		await zhang.getByLabel('方案名称').fill(`${img}${script}`);
		await expect.poll(() => body(li).innerText()).toContain(script);
		expect(await body(li).innerText()).toContain(img);
		await expect.poll(() => li.getByLabel('方案名称').inputValue()).toBe(`${img}${script}`);

		await comment(zhang, 'onerror', `${img} ${script}`);
		await openAlternative(li, set.id, alt.id);
		const thread = li.getByTestId('comment-thread').first();
		expect(await thread.locator('blockquote').textContent()).toBe(img);
		expect(await thread.locator('p.body').first().textContent()).toBe(`${img} ${script}`);
		await thread.getByLabel('回复这条批注').fill(script);
		await thread.getByRole('button', { name: '回复' }).click();
		await expect.poll(() => thread.locator('.reply p.body').allTextContents()).toContain(script);

		// The version view and the diff (the one server-sanitised {@html}) show it literally as well.
		await li.getByLabel('保存一个版本').fill('第一稿');
		await li.getByRole('button', { name: '保存版本' }).click();
		await expect.poll(() => li.getByRole('status').allTextContents()).toContain('已保存版本“第一稿”（第 1 版）。');
		await li.goto(`${baseUrl()}/drafts/${set.id}/${alt.id}/versions`);
		await li.getByRole('link', { name: '查看' }).first().click();
		await expect.poll(() => li.locator('#view pre').textContent()).toContain(img);
		await appendParagraphViaEditor(li, set.id, alt.id, `${script}!`);
		await li.goto(`${baseUrl()}/drafts/${set.id}/${alt.id}/versions`);
		await li.getByRole('link', { name: '与现在对比' }).first().click();
		await expect.poll(() => li.getByTestId('diff').locator('ins').allTextContents()).toContain(`${script}!`);

		for (const page of [zhang, li]) {
			expect(await page.locator('img[src="x"]').count()).toBe(0);
			expect(await page.locator('main script').count()).toBe(0);
		}
		expect(dialogs).toEqual([]);
	});

	it('fits a 360 px phone, with big toolbar buttons in elder mode', async () => {
		const { set, alternatives } = await newGateSet('边门方案（版面测试）');
		for (const elder of [false, true]) {
			const alt = alternatives[elder ? 2 : 1];
			const page = await person('aijian_owner', [], { elder });
			await openAlternative(page, set.id, alt.id);
			await appendParagraph(page, '边门每天 6:00 开启、22:00 关闭，刷卡通行。');
			await page.getByRole('button', { name: '费用表' }).click();
			await expect.poll(() => body(page).locator('th').allTextContents()).toEqual(['项目', '费用（元）', '由谁承担']);
			const heights = await page
				.locator('[role=toolbar] button')
				.evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
			expect(Math.min(...heights)).toBeGreaterThanOrEqual(elder ? 56 : 44);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow).toBeLessThanOrEqual(0);
			await snap(page, elder ? 'drafting-editor-elder' : 'drafting-editor-phone');
		}
	});

	it('keeps Tiptap and Yjs out of the home page', async () => {
		// The demo's own draft set, read as the demo's 李四 (the server seeds it at start; this is a no-op then).
		await server.demo.seedDraftingDemo(database);
		const page = await person(await demoAccount('hongqiao_owner'), []);
		const scriptsOf = async (path: string): Promise<string[]> => {
			const bodies: Promise<string>[] = [];
			const listener = (response: import('playwright-core').Response) => {
				if (response.request().resourceType() === 'script') bodies.push(response.text());
			};
			page.on('response', listener);
			await page.goto(`${baseUrl()}${path}`, { waitUntil: 'networkidle' });
			page.off('response', listener);
			return Promise.all(bodies);
		};
		const editorMarker = 'collaboration-carets__caret';
		const home = await scriptsOf('/');
		expect(home.length).toBeGreaterThan(0);
		expect(home.filter((js) => js.includes(editorMarker) || js.includes('y-sync'))).toEqual([]);

		await page.goto(`${baseUrl()}/drafts`);
		await page.getByRole('link', { name: '爱建/虹桥边门方案' }).click();
		await page.getByRole('link', { name: /方案B/ }).click();
		await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain('已保存');
		const drafting = await scriptsOf(new URL(page.url()).pathname);
		expect(drafting.some((js) => js.includes(editorMarker))).toBe(true);
		await expect.poll(() => page.locator('.comment-mark').allTextContents()).toContain('22:00 关闭');
		await snap(page, 'drafting-demo');
	});
});

/** Opens the alternative and types a paragraph (for pages that are elsewhere). */
async function appendParagraphViaEditor(page: Page, setId: string, altId: string, text: string): Promise<void> {
	await openAlternative(page, setId, altId);
	await appendParagraph(page, text);
}
