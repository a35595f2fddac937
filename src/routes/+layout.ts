import { browser } from '$app/environment';
import { WORDS_ELEMENT_ID, installWords, type Words } from '$lib/i18n/words';
import type { LayoutLoad } from './$types';

/** The dictionary file installed in this browser tab (a form's reload keeps the route, so nothing is fetched). */
let installed: string | undefined;
/**
 * The file being fetched: a link's preload (on hover or touch) and the navigation that follows run this load at
 * the same time, and both wait for one request.
 */
let pending: { file: string; words: Promise<Words> } | undefined;

async function fetchWords(fetch: typeof globalThis.fetch, file: string): Promise<Words> {
	const response = await fetch(file);
	if (!response.ok) throw new Error(`${file}: ${response.status}`);
	return (await response.json()) as Words;
}

/** The words the page's HTML brought for `file` (its first render), or undefined. */
function wordsInPage(file: string): Words | undefined {
	const element = document.getElementById(WORDS_ELEMENT_ID);
	return element && element.dataset.file === file ? (JSON.parse(element.textContent!) as Words) : undefined;
}

/**
 * Installs the page's words before any component renders (issue #14, see src/lib/i18n/words.ts and
 * src/lib/server/words.ts). The first page brings them in its HTML; moving to another route fetches that route's
 * file (kept a year by the browser); the server renders with Paraglide's own functions and needs none.
 */
export const load: LayoutLoad = async ({ data, fetch }) => {
	if (browser && installed !== data.words.file) {
		const file = data.words.file;
		let words = data.words.inline ? wordsInPage(file) : undefined;
		if (!words) {
			if (pending?.file !== file) pending = { file, words: fetchWords(fetch, file) };
			const request = pending;
			try {
				words = await request.words;
			} catch (error) {
				if (pending === request) pending = undefined;
				throw error;
			}
		}
		installWords(words);
		installed = file;
	}
	return data;
};
