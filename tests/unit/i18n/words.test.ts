/**
 * One language per reader in the browser (issue #14, page weight): the browser's lookup for a message, filled
 * from the template the server makes with Paraglide's real function, prints exactly what the real function
 * prints, for every message of the catalogue in both languages.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allKeys, inlineWordsScript, pageWords, scriptSafeJson, servedWords, templateOf, wordsFor } from '../../../src/lib/server/words.ts';
import { fill, installWords, word } from '../../../src/lib/i18n/words.ts';
import { mapRoutes, messageLookup } from '../../../src/lib/i18n/vite-words.ts';
import * as messages from '../../../src/lib/paraglide/messages/_index.js';
import { locales } from '../../../src/lib/paraglide/runtime.js';

type Message = (inputs?: Record<string, unknown>, options?: { locale?: string }) => string;
const real = messages as unknown as Record<string, Message>;

/** The input names a template asks for (its odd parts). */
const inputNames = (template: string | string[]) => (typeof template === 'string' ? [] : template.filter((_, i) => i % 2 === 1));

/** Inputs of different shapes: text with replacement patterns and markup, numbers (0, 1, 2, 21), nothing at all. */
const samples = (names: string[]): (Record<string, unknown> | undefined)[] => [
	Object.fromEntries(names.map((name, i) => [name, `${name} $& $1 <b>&amp; 楼${i}`])),
	Object.fromEntries(names.map((name) => [name, 1])),
	Object.fromEntries(names.map((name, i) => [name, i === 0 ? 0 : 21])),
	Object.fromEntries(names.map((name) => [name, 2])),
	Object.fromEntries(names.map((name) => [name, ''])),
	{},
	undefined
];

afterEach(() => {
	vi.restoreAllMocks();
	installWords({ locale: '', words: {} });
});

describe('browser words from server templates', () => {
	const keys = allKeys();

	it('the catalogue has its messages', () => {
		expect(keys.length).toBeGreaterThan(1000);
		expect(keys).toContain('account_login_name');
	});

	it('a message with an input becomes literal and input parts', () => {
		expect(templateOf('account_login_name', 'zh-CN')).toEqual(['（登录名 ', 'login', '）']);
		expect(templateOf('account_heading', 'en')).toBe('My account');
	});

	for (const locale of locales) {
		it(`every message in ${locale}: the lookup's output equals Paraglide's`, () => {
			const differ: string[] = [];
			for (const key of keys) {
				const template = templateOf(key, locale);
				for (const inputs of samples(inputNames(template))) {
					const expected = real[key](inputs as Record<string, unknown>, { locale });
					if (fill(template, inputs) !== expected) differ.push(`${key} ${JSON.stringify(inputs)}`);
				}
			}
			expect(differ).toEqual([]);
		});
	}

	it('the lookup calls the installed dictionary in the reader language, or in the one the caller names', () => {
		installWords(wordsFor('en', ['account_login_name', 'account_heading'], true));
		expect(word('account_login_name', { login: 'wang' })).toBe('(sign-in name wang)');
		expect(word('account_login_name', { login: 'wang' }, { locale: 'zh-CN' })).toBe('（登录名 wang）');
		installWords(wordsFor('zh-CN', ['account_heading']));
		expect(word('account_heading')).toBe('我的账号');
	});

	it('a preloaded route adds its words: the page on screen keeps its own; another language replaces them', () => {
		installWords(wordsFor('en', ['account_heading']));
		// A tap on a link preloads the next route, whose dictionary lacks this page's words.
		installWords(wordsFor('en', ['account_login_name']));
		expect(word('account_heading')).toBe('My account');
		expect(word('account_login_name', { login: 'wang' })).toBe('(sign-in name wang)');
		installWords(wordsFor('zh-CN', ['account_login_name']));
		expect(word('account_login_name', { login: 'wang' })).toBe('（登录名 wang）');
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(word('account_heading')).toBe('account_heading');
		expect(logged).toHaveBeenCalledTimes(1);
	});

	it('a word missing from the page dictionary is logged with its key and shows the key', () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		installWords(wordsFor('en', ['account_heading']));
		expect(word('account_login_name', { login: 'wang' })).toBe('account_login_name');
		expect(word('account_heading', {}, { locale: 'zh-CN' })).toBe('account_heading');
		expect(logged).toHaveBeenCalledTimes(2);
		expect(String(logged.mock.calls[0][0])).toContain('account_login_name');
	});

	it('the lookup module exports the message under its own name', async () => {
		const code = messageLookup('account_heading', '/x/words.ts');
		expect(code).toContain('export const account_heading = /* @__PURE__ */ message("account_heading");');
		expect(code).toContain('import { message } from "/x/words.ts";');
	});
});

describe("a first render's words, in its HTML", () => {
	it('are the served file, as a data block no text inside can end', () => {
		const { file, inline } = pageWords('zh-CN', '/vote/[id]', true);
		expect(inline).toBe(true);
		expect(pageWords('zh-CN', '/vote/[id]', false)).toEqual({ file });
		const block = /^<script type="application\/json" id="yishi-words" data-file="([^"]+)">([^<]*)<\/script>$/.exec(
			inlineWordsScript(file)
		);
		expect(block?.[1]).toBe(file);
		expect(JSON.parse(block![2])).toEqual(JSON.parse(servedWords(file.slice('/i18n/'.length))!));
		expect(inlineWordsScript('/i18n/made-up.json')).toBe('');
	});

	it('escapes what would end the element, keeping the same JSON value', () => {
		const json = JSON.stringify({ a: '</script><script>alert(1)</script>', b: '<!--' });
		const safe = scriptSafeJson(json);
		expect(safe).not.toContain('<');
		expect(JSON.parse(safe)).toEqual(JSON.parse(json));
	});
});

describe('route map from the client bundle', () => {
	const chunk = (keys: string[], imports: string[] = [], namedLocale = false) => ({ keys, imports, namedLocale });
	const chunks = new Map([
		// The entry (app.js) imports every node lazily.
		['start.js', chunk(['shell'], ['shared.js', '0.js', '1.js', 'vote-layout.js', 'vote.js', 'notice.js', 'other.js'])],
		['shared.js', chunk(['common'])],
		['0.js', chunk(['layout_nav'])],
		['1.js', chunk(['error_text'])],
		['vote.js', chunk(['vote_cast'], ['shared.js', 'lazy.js'])],
		['lazy.js', chunk(['editor_only'])],
		['vote-layout.js', chunk(['vote_frame'])],
		['notice.js', chunk(['notice_kind'], [], true)],
		['other.js', chunk(['other_page'])]
	]);
	const map = mapRoutes(
		chunks,
		['start.js'],
		[
			{ chunk: '0.js', dir: '', kind: 'layout' },
			{ chunk: '1.js', dir: '', kind: 'error' },
			{ chunk: 'vote-layout.js', dir: '/vote', kind: 'layout' },
			{ chunk: 'vote.js', dir: '/vote/[id]', kind: 'page' },
			{ chunk: 'notice.js', dir: '/sessions/[id]/notice', kind: 'page' },
			{ chunk: 'other.js', dir: '/voter', kind: 'page' }
		]
	);

	it('a page gets its static and dynamic imports, the entry and every layout and error page above it', () => {
		expect(map.routes['/vote/[id]']).toEqual(['common', 'editor_only', 'error_text', 'layout_nav', 'shell', 'vote_cast', 'vote_frame']);
		// '/vote' is not above '/voter'.
		expect(map.routes['/voter']).toEqual(['common', 'error_text', 'layout_nav', 'other_page', 'shell']);
		expect(map.routes['']).toEqual(['common', 'error_text', 'layout_nav', 'shell']);
	});

	it('a page whose code names a language gets both', () => {
		expect(map.bothLocales).toEqual(['/sessions/[id]/notice']);
	});
});
