/**
 * The browser's message functions (issue #14, page weight). Paraglide compiles every message into a function
 * that holds both languages; shipped as is, each message a page uses costs the browser its Chinese AND its
 * English words. In the client build, ./vite-words.ts replaces every compiled message module by a lookup that
 * calls `word` here, and the page's words arrive in the reader's one language as data (see
 * src/routes/+layout.ts and src/lib/server/words.ts).
 *
 * A template is what the server's real message function returned for an input whose every field is a marker:
 * a plain string, or literal and input-name parts in turn (['（登录名 ', 'login', '）']). Filling in a part
 * with `String(inputs[name])` gives what Paraglide's `${i?.name}` gives, byte for byte
 * (tests/unit/i18n/words.test.ts checks every message in both languages).
 *
 * The server code (SSR) keeps Paraglide's own functions; only the browser bundle calls `word`.
 */

/** The id of the HTML element that carries a page's words with its first render (lib/server/words.ts). */
export const WORDS_ELEMENT_ID = 'yishi-words';

export type Template = string | string[];
export type Words = { locale: string; words: Record<string, Record<string, Template>> };

let installed: Words = { locale: '', words: {} };

/**
 * Adds `words` to the dictionary every message in the browser reads from (the root layout's load calls it). Words
 * of the same language are kept, not replaced: a link's preload (hover or touch) installs the next route's words
 * while this page may still render, and it must find its own. Another language replaces them all.
 */
export function installWords(words: Words): void {
	if (words.locale !== installed.locale) {
		installed = words;
		return;
	}
	const merged: Words['words'] = { ...installed.words };
	for (const [locale, table] of Object.entries(words.words)) merged[locale] = { ...merged[locale], ...table };
	installed = { locale: words.locale, words: merged };
}

/**
 * The reader's language in the browser (the client build's `getLocale`, see ./vite-words.ts): the installed
 * dictionary's, and before it is installed the page's `<html lang>`, which the server rendered in it.
 */
export function readerLocale(): string {
	return installed.locale || (typeof document === 'undefined' ? '' : document.documentElement.lang);
}

/** Fills a template in: literal parts stay, every other part names an input. */
export function fill(template: Template, inputs: Record<string, unknown> | undefined): string {
	if (typeof template === 'string') return template;
	let out = '';
	for (let i = 0; i < template.length; i++) out += i % 2 ? String(inputs?.[template[i]]) : template[i];
	return out;
}

/**
 * The message `key` in the reader's language, or in `options.locale` when the caller asks for one (the printed
 * notice is always Chinese). A word the page's dictionary lacks is a build or delivery bug: it is logged with
 * its key, and the key is shown rather than nothing.
 */
export function word(key: string, inputs?: Record<string, unknown>, options?: { locale?: string }): string {
	const template = installed.words[options?.locale ?? installed.locale]?.[key];
	if (template !== undefined) return fill(template, inputs);
	console.error(`[i18n] no word for ${key} (${options?.locale ?? installed.locale}) in this page's dictionary`);
	return key;
}

/** The browser's message function for `key` (what ./vite-words.ts puts in place of Paraglide's). */
export function message(key: string): (inputs?: Record<string, unknown>, options?: { locale?: string }) => string {
	return (inputs, options) => word(key, inputs, options);
}
