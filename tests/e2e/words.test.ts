/**
 * One language per reader in the browser (issue #14, page weight; src/lib/i18n/words.ts and vite-words.ts,
 * src/lib/server/words.ts). The built client carries no message text of either language: each page gets its
 * route's words in the reader's language from the server, and keeps them across client-side navigation, a
 * form's reload and a change of language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, phone } from './browser.ts';
import { database, newAccount } from './seed.ts';
import { signInContext } from './session.ts';

const { notify } = await import('../../src/lib/server/notifications/inbox.ts');
const messages = (await import('../../src/lib/paraglide/messages/_index.js')) as unknown as Record<
	string,
	(inputs?: object, options?: { locale: 'zh-CN' | 'en' }) => string
>;
const { WORDS_MAP_FILE } = await import('../../src/lib/i18n/vite-words.ts');

const CLIENT = 'build/client';
const en = (key: string) => messages[key]({}, { locale: 'en' });
const zh = (key: string) => messages[key]({}, { locale: 'zh-CN' });

/** Every message text of both languages, as the catalogue files hold them: key → locale → text. */
function catalogue(): Map<string, Record<string, string>> {
	const root = 'src/lib/i18n/messages';
	const all = new Map<string, Record<string, string>>();
	for (const locale of ['zh-CN', 'en'])
		for (const file of readdirSync(join(root, locale))) {
			const texts = JSON.parse(readFileSync(join(root, locale, file), 'utf8')) as Record<string, unknown>;
			for (const [key, text] of Object.entries(texts))
				if (key !== '$schema' && typeof text === 'string') all.set(key, { ...all.get(key), [locale]: text });
		}
	return all;
}

/** The longest stretch of a message without a placeholder: long enough not to be common words. */
function distinctive(text: string, locale: string): string | null {
	const longest = text.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0];
	return longest.length >= (locale === 'en' ? 16 : 8) ? longest : null;
}

/** Source text outside the catalogue: a message's words written there too (a domain constant) may ship. */
function literalsInSource(): string {
	return readdirSync('src', { recursive: true, encoding: 'utf8' })
		.filter((f) => /\.(ts|js|svelte)$/.test(f) && !f.startsWith(join('lib', 'paraglide')))
		.map((f) => readFileSync(join('src', f), 'utf8'))
		.join('\n');
}

/** Which of `texts` appear in the client build's scripts, as written or with non-ASCII letters escaped. */
function textsInScripts(client: string, texts: string[]): string[] {
	const scripts = readdirSync(client, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.js'))
		.map((f) => readFileSync(join(client, f), 'utf8'));
	const escaped = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return texts.filter((text) => scripts.some((code) => code.includes(text) || code.toLowerCase().includes(escaped(text).toLowerCase())));
}

describe('the client build', () => {
	const map = JSON.parse(readFileSync(join(CLIENT, WORDS_MAP_FILE), 'utf8')) as {
		routes: Record<string, string[]>;
		bothLocales: string[];
	};
	const used = new Set(Object.values(map.routes).flat());

	it('carries no message text of either language', () => {
		const texts = [...catalogue()]
			.filter(([key]) => used.has(key))
			.flatMap(([, byLocale]) => Object.entries(byLocale).map(([locale, text]) => distinctive(text, locale)))
			.filter((t): t is string => t !== null);
		const source = literalsInSource();
		const messageOnly = texts.filter((text) => !source.includes(text));
		expect(messageOnly.length).toBeGreaterThan(1000);
		expect(textsInScripts(CLIENT, messageOnly)).toEqual([]);
	});

	it('maps each route to the words its code can show, a lazily loaded module included', () => {
		// Only src/lib/components/drafting/session.ts shows it, which Editor.svelte imports with import().
		expect(map.routes['/drafts/[setId]/[altId]']).toContain('draft_status_offline');
		expect(map.routes['/vote/[id]']).not.toContain('draft_status_offline');
		expect(map.routes['/vote/[id]']).toContain('voting_receipt_keep');
		expect(map.routes['/']).toContain('home_now_heading');
		// The root layout's words are on every route, a page without a route (a 404) included.
		for (const keys of Object.values(map.routes)) expect(keys).toContain('nav_me');
		// The printed notice calls its messages in Chinese whatever the reader's language.
		expect(map.bothLocales).toEqual(['/sessions/[id]/notice']);
	});
});

describe('pages in the browser', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	const problems: string[] = [];
	const requests: string[] = [];

	beforeAll(async () => {
		browser = await launch();
		const account = await newAccount('词典测试');
		await database.write(async (tx) => {
			for (const n of [1, 2]) await notify(tx, [account.id], { kind: 'test', title: `测试消息${n}`, href: '/inbox' });
		});
		context = await signInContext(await phone(browser), account);
		await context.addCookies([{ name: 'yishi_lang', value: 'en', url: baseUrl() }]);
		page = await context.newPage();
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(message.text());
		});
		page.on('pageerror', (error) => problems.push(error.message));
		page.on('request', (request) => requests.push(`${request.resourceType()} ${new URL(request.url()).pathname}`));
	});
	afterAll(async () => {
		await context?.close();
		await browser?.close();
	});

	const since = (mark: number) => requests.slice(mark);

	/** The root layout's data for `path` as a form's reload gets it (`invalidateAll`: every node rerun). */
	async function reloadData(path: string): Promise<string> {
		const response = await page.request.get(`${baseUrl()}${path}/__data.json?x-sveltekit-invalidated=11`);
		expect(response.status()).toBe(200);
		return response.text();
	}

	it('an English page moves to another route in the browser with that route’s words, and keeps them after a form', async () => {
		await page.goto(`${baseUrl()}/`, { waitUntil: 'networkidle' });
		await expect.poll(() => page.title()).toBe(en('home_title'));
		await page.getByRole('heading', { name: en('home_now_heading') }).waitFor();
		// The first page brings its words in its HTML.
		expect(requests.filter((r) => r.includes('/i18n/'))).toEqual([]);

		let mark = requests.length;
		await page.locator('header a[href="/inbox"]').click();
		await page.getByRole('heading', { name: en('inbox_heading') }).waitFor();
		await page.getByRole('link', { name: en('inbox_digest_link') }).waitFor();
		await expect.poll(() => page.title()).toBe(en('inbox_page_title'));
		// Rendered in the browser: no new document, and the inbox's own words were fetched once.
		expect(since(mark).filter((r) => r.startsWith('document'))).toEqual([]);
		expect(since(mark).filter((r) => r.includes('/i18n/'))).toHaveLength(1);

		mark = requests.length;
		await page.getByRole('button', { name: en('inbox_mark_all_read') }).click();
		await page.getByText(en('inbox_marked_all_read')).waitFor();
		await page.getByRole('button', { name: en('inbox_mark_all_read') }).waitFor({ state: 'detached' });
		await page.getByRole('heading', { name: en('inbox_heading') }).waitFor();
		await page.getByRole('link', { name: en('inbox_digest_link') }).waitFor();
		// The form's reload asked for data only; the installed words serve again.
		expect(since(mark).filter((r) => r.includes('__data.json'))).not.toEqual([]);
		expect(since(mark).filter((r) => r.includes('/i18n/') || r.startsWith('document'))).toEqual([]);
		// Such a reload carries the dictionary's address, not its words.
		const data = await reloadData('/inbox');
		expect(data).toMatch(/\/i18n\/[\w-]+\.json/);
		expect(data).not.toContain(en('inbox_digest_link'));
		expect(problems).toEqual([]);
	});

	it('after switching to Chinese, moving between routes shows Chinese words', async () => {
		await page.locator('form.language-switch button').click();
		await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
		await page.getByRole('heading', { name: zh('inbox_heading') }).waitFor();
		await page.waitForLoadState('networkidle');

		const mark = requests.length;
		await page.locator('header a.brand').click();
		await page.getByRole('heading', { name: zh('home_now_heading') }).waitFor();
		await expect.poll(() => page.title()).toBe(zh('home_title'));
		expect(since(mark).filter((r) => r.startsWith('document'))).toEqual([]);
		// And back to the inbox, whose Chinese words came with the page after the switch.
		await page.locator('header a[href="/inbox"]').click();
		await page.getByRole('link', { name: zh('inbox_digest_link') }).waitFor();
		expect(problems).toEqual([]);
	});

	it('a dictionary is served in one language, cacheable for a year under a name made from its content', async () => {
		const file = requests
			.filter((r) => r.includes('/i18n/'))
			.at(-1)!
			.split(' ')[1];
		const response = await page.request.get(`${baseUrl()}${file}`);
		expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
		const words = (await response.json()) as { locale: string; words: Record<string, Record<string, unknown>> };
		expect(words.locale).toBe('zh-CN');
		expect(Object.keys(words.words)).toEqual(['zh-CN']);
		expect(words.words['zh-CN'].inbox_digest_link).toBe(zh('inbox_digest_link'));
		expect((await page.request.get(`${baseUrl()}/i18n/not-a-dictionary.json`)).status()).toBe(404);
	});
});
