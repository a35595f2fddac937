/**
 * The words a page's browser code needs, in the reader's language (issue #14, page weight; the browser side is
 * src/lib/i18n/words.ts, the build side src/lib/i18n/vite-words.ts).
 *
 * Each template is made here by calling Paraglide's real message function with an input whose every field is
 * a marker, so what the browser prints is exactly what the server prints. A page route gets the keys the
 * client build found in its code (`_app/words.json`); in `vite dev` there is no such map and every page gets
 * the whole catalogue.
 *
 * A page's first render carries its words in the page data; after that they are a file of their own, named by a
 * hash of its content (`/i18n/<hash>.json`, src/routes/i18n/[file]/+server.ts) that the browser keeps, so a
 * form's reload (`invalidateAll`, twice per vote) does not carry them in every `__data.json` again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '$app/environment';
import * as messages from '../paraglide/messages/_index.js';
import { locales, type Locale } from '../paraglide/runtime.js';
import { WORDS_ELEMENT_ID, type Template, type Words } from '../i18n/words.ts';
import { WORDS_MAP_FILE, type WordsMap } from '../i18n/vite-words.ts';

type Message = (inputs?: Record<string, unknown>, options?: { locale?: Locale }) => string;
const catalogue = messages as unknown as Record<string, Message>;

const MARK = '\u0001';

/** The template of message `key` in `locale`: Paraglide's own output with a marker for every input. */
export function templateOf(key: string, locale: Locale): Template {
	const marked = new Proxy({}, { get: (_target, name) => (typeof name === 'string' ? `${MARK}${name}${MARK}` : undefined) });
	const text = catalogue[key](marked, { locale });
	const parts = text.split(MARK);
	return parts.length === 1 ? text : parts;
}

/** Every message key of the catalogue. */
export function allKeys(): string[] {
	return Object.keys(catalogue).sort();
}

/** The dictionary for `keys` in `locale` (and in every other language too when `bothLocales`). */
export function wordsFor(locale: Locale, keys: readonly string[], bothLocales = false): Words {
	const words: Words['words'] = {};
	for (const language of bothLocales ? locales : [locale]) {
		words[language] = Object.fromEntries(keys.map((key) => [key, templateOf(key, language)]));
	}
	return { locale, words };
}

/** `_app/words.json` of the client build next to this server bundle (build/client or .svelte-kit/output/client). */
function readMap(): WordsMap | null {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let up = 0; up < 6; up++, dir = dirname(dir)) {
		const file = join(dir, 'client', WORDS_MAP_FILE);
		if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as WordsMap;
	}
	return null;
}

let map: WordsMap | null | undefined;
type Served = { body: string };
/** Served dictionaries by file name, and the file name of each (locale, route). */
const served = new Map<string, Served>();
const names = new Map<string, string>();

function currentMap(): WordsMap | null {
	if (map === undefined) map = dev ? null : readMap();
	return map;
}

function routeWords(locale: Locale, route: string): Words {
	const map = currentMap();
	if (map === null) {
		if (!dev) throw new Error(`${WORDS_MAP_FILE} of the client build not found next to the server: run npm run build`);
		return wordsFor(locale, allKeys());
	}
	// A route the client build has no page node for cannot render in the browser: the frame's words suffice.
	const keys = map.routes[route] ?? map.routes[''];
	return wordsFor(locale, keys, map.bothLocales.includes(route));
}

/** The file name of the dictionary for a page of `route` (SvelteKit's `route.id`, null without one) in `locale`. */
function wordsName(locale: Locale, route: string | null): string {
	const id = `${locale} ${route ?? ''}`;
	let name = names.get(id);
	if (!name) {
		const words = routeWords(locale, route ?? '');
		const body = JSON.stringify(words);
		name = `${createHash('sha256').update(body).digest('base64url').slice(0, 16)}.json`;
		served.set(name, { body });
		names.set(id, name);
	}
	return name;
}

/**
 * What the root layout sends a page: where its words are, and with a page's first render `inline` — the words then
 * come in the HTML itself (`inlineWordsScript`), not in the page's data.
 */
export type PageWords = { file: string; inline?: true };

/**
 * The words of a page of `route` in `locale`. With the page's HTML (`inline`) they come along in it, so hydrating
 * needs no further request; a client-side navigation or a form's reload (`__data.json`) gets only the address, which
 * the browser fetches once per route and keeps.
 */
export function pageWords(locale: Locale, route: string | null, inline: boolean): PageWords {
	const file = `/i18n/${wordsName(locale, route)}`;
	return inline ? { file, inline: true } : { file };
}

const scripts = new Map<string, string>();

/** JSON text that can stand inside a `<script>` element: every `<` written as the JSON escape `\u003c` (same value). */
export function scriptSafeJson(json: string): string {
	return json.replaceAll('<', '\\u003c');
}

/**
 * The words of `file` (from `pageWords`) as a JSON data block for the page's HTML: the JSON made once per file and kept,
 * instead of SvelteKit serialising the dictionary (thousands of characters) into every first render's data. A data block
 * is not run, so the content security policy needs nothing for it; `<` is escaped so no text can end the element.
 */
export function inlineWordsScript(file: string): string {
	let script = scripts.get(file);
	if (script === undefined) {
		const known = served.get(file.slice(file.lastIndexOf('/') + 1));
		if (!known) return '';
		script = `<script type="application/json" id="${WORDS_ELEMENT_ID}" data-file="${file}">${scriptSafeJson(known.body)}</script>`;
		scripts.set(file, script);
	}
	return script;
}

/** The dictionary file `name` (from `pageWords`) as JSON, or null (an old build's file, or made up). */
export function servedWords(name: string): string | null {
	const known = served.get(name);
	if (known !== undefined) return known.body;
	// After a restart the browser may ask before any page has: make every route's file once.
	const routes = Object.keys(currentMap()?.routes ?? { '': [] });
	for (const locale of locales) for (const route of routes) wordsName(locale, route || null);
	return served.get(name)?.body ?? null;
}
