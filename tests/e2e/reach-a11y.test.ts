/**
 * Issue #14, by keyboard and for older eyes: logging in, claiming a unit and voting with Tab, Space
 * and Enter only; the 长辈版 switch keeps what is typed; focus never hides under the editor's
 * sticky bar; 200% zoom does not make pages scroll sideways. Its compounds, vote, draft set and
 * people are its own (seed.ts); only the first walk logs in by keyboard, the others by cookie.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, browserForThisFile, phone } from './browser.ts';
import { watch } from './reach-floor.ts';
import { newDraftingCase, openOwnVote, type Account } from './seed.ts';
import { signInContext } from './session.ts';

const { browser, track } = browserForThisFile();

/** A phone page whose errors land in `errors`, signed in as `as` when given. */
async function newPage(errors: string[], options: { elder?: boolean; as?: Account } = {}): Promise<Page> {
	const context = track(await phone(browser(), options));
	if (options.as) await signInContext(context, options.as);
	const page = await context.newPage();
	watch(page, errors);
	return page;
}

/** Presses Tab until the focused element matches `selector`; fails after 40 presses. */
async function tabTo(page: Page, selector: string): Promise<void> {
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
	}
	throw new Error(`Tab never reached ${selector}`);
}

/** The focused element is on screen and shows a focus outline. */
async function focusVisible(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el || el === document.body) return false;
		const r = el.getBoundingClientRect();
		const style = getComputedStyle(el);
		const target = el.closest('label') ?? el;
		const outlined = style.outlineStyle !== 'none' || getComputedStyle(target).outlineStyle !== 'none';
		return r.bottom > 0 && r.top < innerHeight && outlined;
	});
}

async function keyboardSignIn(page: Page, login: string, password: string): Promise<void> {
	await page.goto(`${baseUrl()}/login`, { waitUntil: 'networkidle' });
	await tabTo(page, 'input[name=login]');
	expect(await focusVisible(page)).toBe(true);
	await page.keyboard.type(login);
	await page.keyboard.press('Tab');
	expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('current-password');
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

describe('keyboard only', () => {
	it('logs in, claims a unit and votes with Tab, Space and Enter', async () => {
		const errors: string[] = [];
		const { ballotId, code } = await openOwnVote('键盘小区', '楼顶防水维修表决（键盘）', { title: '方案A：维修楼顶防水' });

		// A new account registered beforehand (registration is covered elsewhere); the rest by keys.
		const page = await newPage(errors, { elder: true });
		await page.goto(`${baseUrl()}/register`, { waitUntil: 'networkidle' });
		await page.getByLabel('手机号或用户名').fill('13700137000');
		expect(await page.getByLabel('密码').getAttribute('autocomplete')).toBe('new-password');
		await page.getByLabel('称呼').fill('键盘业主');
		await page.getByLabel('密码').fill('keyboard-bianmen-2026');
		await page.getByRole('button', { name: '注册' }).click();
		// Sign-up does not sign in (its answer must not tell whether the login was new).
		await expect.poll(() => page.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		await page.context().clearCookies();
		await page.context().addCookies([{ name: 'yishi_elder', value: '1', url: baseUrl() }]);

		await keyboardSignIn(page, '13700137000', 'keyboard-bianmen-2026');

		await page.goto(`${baseUrl()}/claim`, { waitUntil: 'networkidle' });
		await tabTo(page, 'input[name=code]');
		await page.keyboard.type(code);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByRole('status').textContent()).toContain('核验成功');

		await page.goto(`${baseUrl()}/vote/${ballotId}`, { waitUntil: 'networkidle' });
		await tabTo(page, 'input[type=radio][name="m-A"]');
		expect(await focusVisible(page)).toBe(true);
		// Arrow keys move within the group; Space chooses the focused answer.
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('Space');
		await expect.poll(() => page.locator('label.choice.chosen').textContent()).toContain('反对');
		await tabTo(page, 'button[type=submit].primary');
		expect(await focusVisible(page)).toBe(true);
		await page.keyboard.press('Enter');
		await expect.poll(() => page.locator('.review-line').first().textContent()).toContain('您选择：反对');
		await tabTo(page, 'button[type=submit].primary');
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByRole('status').textContent()).toContain('投票成功');
		expect(errors).toEqual([]);
	});
});

describe('长辈版 and zoom', () => {
	it('the switch enlarges the page in place and keeps what was typed; the next page is large from the first paint', async () => {
		const errors: string[] = [];
		const { zhang } = await newDraftingCase('长辈版');
		const page = await newPage(errors, { as: zhang });
		await page.goto(`${baseUrl()}/concerns/new`, { waitUntil: 'networkidle' });
		await page.getByLabel('标题').fill('3号楼门口路灯坏了');
		const fontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
		expect(await fontSize()).toBe(18);
		let navigated = false;
		page.on('framenavigated', (frame) => {
			if (frame === page.mainFrame()) navigated = true;
		});
		await page.getByRole('button', { name: '长辈版（大字）' }).click();
		await expect.poll(fontSize).toBe(22);
		expect(navigated).toBe(false);
		expect(await page.getByLabel('标题').inputValue()).toBe('3号楼门口路灯坏了');
		expect(await page.getByRole('button', { name: '标准字号' }).getAttribute('aria-pressed')).toBe('true');
		// The server reads the cookie: a fresh load is large at once.
		const html = await (await page.context().request.get(`${baseUrl()}/concerns`)).text();
		expect(html).toMatch(/<html[^>]*class="elder"/);
		await page.getByRole('button', { name: '标准字号' }).click();
		await expect.poll(fontSize).toBe(18);
		expect(errors).toEqual([]);
	});

	it('Tab never leaves the focus under the editor’s sticky bar', async () => {
		const errors: string[] = [];
		const { zhang, newDraft } = await newDraftingCase('键盘');
		const { set, alternatives } = await newDraft('边门方案（键盘）', [{ title: '全天开放' }]);
		const page = await newPage(errors, { as: zhang });
		await page.goto(`${baseUrl()}/drafts/${set.id}/${alternatives[0].id}`);
		await expect.poll(() => page.getByTestId('draft-status').textContent(), { timeout: 15_000 }).toContain('已保存');
		// Start at the bottom of the page and Tab backwards through the header fields.
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
		const hidden: string[] = [];
		for (let i = 0; i < 12; i++) {
			await page.keyboard.press('Shift+Tab');
			const under = await page.evaluate(() => {
				const el = document.activeElement as HTMLElement;
				const bar = document.querySelector('.draft-editor .sticky') as HTMLElement;
				if (!el || !bar || bar.contains(el) || !el.matches('input, textarea')) return null;
				el.dataset.visited = '1';
				const top = el.getBoundingClientRect().top;
				const barBottom = bar.getBoundingClientRect().bottom;
				return top < barBottom - 1 ? `${el.id}: top ${Math.round(top)} < bar ${Math.round(barBottom)}` : null;
			});
			if (under) hidden.push(under);
		}
		const fields = await page.locator('[data-visited]').count();
		expect(fields).toBeGreaterThanOrEqual(4);
		expect(hidden).toEqual([]);
		expect(errors).toEqual([]);
	});

	it('at 200% zoom (a 640 px wide window) no page scrolls sideways', async () => {
		const context = track(await browser().newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, locale: 'zh-CN' }));
		const page = await context.newPage();
		const wide: string[] = [];
		for (const path of ['/', '/login', '/records', '/concerns', '/sessions/gate-case']) {
			await page.goto(`${baseUrl()}${path}`);
			const [scroll, client] = await page.evaluate(() => [
				document.documentElement.scrollWidth,
				document.documentElement.clientWidth
			]);
			if (scroll > client) wide.push(`${path}: ${scroll} > ${client}`);
		}
		expect(wide).toEqual([]);
	});

	it('reflows when WeChat enlarges the text (150% on a 360 px phone): sizes are in rem/em', async () => {
		const context = track(await phone(browser()));
		// WeChat's font setting scales the page's text; here the root size grows by half.
		await context.addInitScript(() =>
			document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '27px'))
		);
		const page = await context.newPage();
		const wide: string[] = [];
		for (const path of ['/', '/login', '/records', '/concerns', '/sessions/gate-case']) {
			await page.goto(`${baseUrl()}${path}`);
			expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBe(27);
			const [scroll, client] = await page.evaluate(() => [
				document.documentElement.scrollWidth,
				document.documentElement.clientWidth
			]);
			if (scroll > client) wide.push(`${path}: ${scroll} > ${client}`);
		}
		expect(wide).toEqual([]);
	});
});
