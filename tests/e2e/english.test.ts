/**
 * English (issue #14, part 5). Every main page, as the person who would open it, rendered in English by
 * the server (cookie `yishi_lang=en`): the page says `<html lang="en">`, and no visible text, label,
 * placeholder, title or option is left in Chinese outside
 * - what residents wrote, marked `lang="zh-CN"` (src/lib/i18n/content.ts), and
 * - a legal term kept in brackets beside its English name, e.g. "owners' committee (业委会)".
 * The language switch at the top works without JavaScript and is remembered from page to page, and in
 * English the elder mode (长辈版) still never scrolls sideways at 360 px.
 *
 * While translating, `YISHI_PAGES=/vote,/ballots` limits the walk to paths starting with those prefixes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch, phone, signIn } from './browser.ts';
import { mainPages, walkPages, type MainPage } from './reach-pages.ts';

const { openDatabase } = await import('../../src/lib/server/db/client.ts');
const database = openDatabase(inject('databaseUrl'));
let browser: Browser;
let pages: MainPage[] = [];

/**
 * Pages beyond the main-page list, as `{open}` (the demo's open ballot), `{closed}` (a closed ballot),
 * `{record}` (the first outcome record) and the login that opens them. One line each.
 */
const EXTRA_PAGES: MainPage[] = [
	{ path: '/settings/language', login: '' },
	{ path: '/records/{record}/receipt', login: 'hongqiao_owner' },
	{ path: '/admin/calendar', login: 'admin' },
	{ path: '/setup', login: '' },
	{ path: '/', login: 'hongqiao_owner' },
	{ path: '/account', login: 'juwei' },
	{ path: '/settings/elder', login: 'hongqiao_owner' },
	{ path: '/manage/ballots/{open}/print', login: 'hongqiao_ywh' },
	{ path: '/manage/ballots/{open}/settle', login: 'hongqiao_ywh' },
	{ path: '/manage/ballots/{open}/unvoted', login: 'hongqiao_ywh' }
];

function withIds(list: MainPage[], main: MainPage[]): MainPage[] {
	const id = (pattern: RegExp) => main.map((p) => pattern.exec(p.path)?.[1]).find(Boolean) ?? '';
	const ids: Record<string, string> = {
		open: id(/^\/vote\/([^/]+)$/),
		closed: id(/^\/ballots\/([^/]+)$/),
		record: id(/^\/records\/([^/]+)$/)
	};
	return list.map((p) => ({ ...p, path: p.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]) }));
}

beforeAll(async () => {
	browser = await launch();
	const only = process.env.YISHI_PAGES?.split(',').filter(Boolean);
	const main = await mainPages(database);
	const all = [...main, ...withIds(EXTRA_PAGES, main)];
	pages = only ? all.filter((p) => only.some((prefix) => p.path.startsWith(prefix))) : all;
});
afterAll(async () => {
	await browser?.close();
	database.close();
});

/** Visible Chinese on the page outside marked resident text and bracketed legal terms. */
async function untranslated(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const HAN = /[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+/g;
		const bare = (text: string) => text.replace(/[(（][^()（）]*[)）]/g, (g) => (/[A-Za-z]/.test(g) ? g : ''));
		const resident = (e: Element | null) => e?.closest('[lang]')?.getAttribute('lang')?.startsWith('zh') ?? false;
		const shown = (e: Element) => {
			if (e.closest('option, optgroup')) return true;
			const box = e.getBoundingClientRect();
			const style = getComputedStyle(e);
			return (box.width > 0 || box.height > 0) && style.visibility !== 'hidden';
		};
		const found: string[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			if (!parent || parent.closest('script, style, noscript, template') || resident(parent) || !shown(parent)) continue;
			const han = bare(node.textContent ?? '').match(HAN);
			if (han) found.push(`text "${(node.textContent ?? '').trim().slice(0, 60)}" in <${parent.tagName.toLowerCase()}>`);
		}
		for (const e of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit][value]')) {
			if (resident(e)) continue;
			for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
				if (name === 'value' && e.getAttribute('type') !== 'submit') continue;
				const value = e.getAttribute(name);
				if (value && bare(value).match(HAN)) found.push(`${name}="${value.slice(0, 60)}" on <${e.tagName.toLowerCase()}>`);
			}
		}
		if (bare(document.title).match(HAN)) found.push(`title "${document.title}"`);
		if (document.documentElement.lang !== 'en') found.push(`<html lang="${document.documentElement.lang}">`);
		return found;
	});
}

describe('English', () => {
	it('the switch at the top changes the language without JavaScript, and it is remembered', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/records`);
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await page.getByRole('button', { name: 'English', exact: true }).click();
		await page.waitForURL(`${baseUrl()}/records`);
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await page.goto(`${baseUrl()}/login`);
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await page.getByRole('button', { name: '简体中文', exact: true }).click();
		await page.waitForURL(`${baseUrl()}/login`);
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await context.close();
	});

	it('a forged language cookie falls back to Chinese', async () => {
		const context = await browser.newContext();
		await context.addCookies([{ name: 'yishi_lang', value: '"><script>', url: baseUrl() }]);
		const page = await context.newPage();
		const response = await page.goto(`${baseUrl()}/`);
		expect(response?.status()).toBe(200);
		expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
		await context.close();
	});

	/** A phone page as `login` (signed in on the Chinese form), then switched to English by the cookie. */
	const englishPage = (elder: boolean) => async (login: string) => {
		const context = await phone(browser, { elder });
		const page = await context.newPage();
		if (login) await signIn(page, login);
		await context.addCookies([{ name: 'yishi_lang', value: 'en', url: baseUrl() }]);
		return page;
	};

	it('every main page is in English, as each role sees it', async () => {
		expect(await walkPages(baseUrl(), pages, englishPage(false), untranslated)).toEqual([]);
	}, 400_000);

	it('in English and 长辈版, nothing scrolls sideways at 360 px (English words are longer)', async () => {
		const sideways = async (page: Page) => {
			const [scroll, client] = await page.evaluate(() => [
				document.documentElement.scrollWidth,
				document.documentElement.clientWidth
			]);
			return scroll > client + 1 ? [`${scroll} > ${client}`] : [];
		};
		expect(await walkPages(baseUrl(), pages, englishPage(true), sideways)).toEqual([]);
	}, 400_000);

	it('a page refused to a reader says why in English', async () => {
		const [print] = withIds([{ path: '/manage/ballots/{open}/print', login: 'hongqiao_owner' }], await mainPages(database));
		const context = await phone(browser);
		const page = await context.newPage();
		await signIn(page, print.login);
		await context.addCookies([{ name: 'yishi_lang', value: 'en', url: baseUrl() }]);
		const response = await page.goto(`${baseUrl()}${print.path}`, { waitUntil: 'networkidle' });
		expect(response?.status()).toBe(403);
		expect(await page.locator('body').innerText()).toContain("Only this compound's owners' committee (业委会) can print paper ballots");
		expect(await untranslated(page)).toEqual([]);
		await context.close();
	});
});
