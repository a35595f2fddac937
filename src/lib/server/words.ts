/**
 * The words a page's browser code needs, in the reader's language (issue #14, page weight; the browser side is
 * src/lib/i18n/words.ts, the build side src/lib/i18n/vite-words.ts).
 *
 * Each template is made here by calling Paraglide's real message function with an input whose every field is
 * a marker, so what the browser prints is exactly what the server prints. A page route gets the keys the
 * client build found in its code (`_app/words.json`); in `vite dev` there is no such map and every page gets
 * the whole catalogue.
 *
 * The dictionary is served as its own immutable file, named by a hash of its content
 * (`/i18n/<hash>.json`, src/routes/i18n/[file]/+server.ts): a form's reload (`invalidateAll`, twice per vote)
 * then reads it from the browser's cache instead of carrying it in every `__data.json` again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dev } from '$app/environment';
import * as messages from '../paraglide/messages/_index.js';
import { locales, type Locale } from '../paraglide/runtime.js';
import type { Template, Words } from '../i18n/words.ts';
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
/** Served dictionaries by file name, and the file name of each (locale, route). */
const served = new Map<string, string>();
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

/** The address of the dictionary for a page of `route` (SvelteKit's `route.id`, null without one) in `locale`. */
export function wordsFile(locale: Locale, route: string | null): string {
	const id = `${locale} ${route ?? ''}`;
	let name = names.get(id);
	if (!name) {
		const body = JSON.stringify(routeWords(locale, route ?? ''));
		name = `${createHash('sha256').update(body).digest('base64url').slice(0, 16)}.json`;
		served.set(name, body);
		names.set(id, name);
	}
	return `/i18n/${name}`;
}

/** The dictionary a `wordsFile` address names, or null (an old build's file, or made up). */
export function servedWords(name: string): string | null {
	const known = served.get(name);
	if (known !== undefined) return known;
	// After a restart the browser may ask before any page has: make every route's file once.
	const routes = Object.keys(currentMap()?.routes ?? { '': [] });
	for (const locale of locales) for (const route of routes) wordsFile(locale, route || null);
	return served.get(name) ?? null;
}
