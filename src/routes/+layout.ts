import { browser } from '$app/environment';
import { installWords, type Words } from '$lib/i18n/words';
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

/**
 * Installs the page's words before any component renders (issue #14, see src/lib/i18n/words.ts and
 * src/lib/server/words.ts). The first page brings them in its data; moving to another route fetches that route's
 * file (kept a year by the browser); the server renders with Paraglide's own functions and needs none.
 */
export const load: LayoutLoad = async ({ data, fetch }) => {
	if (browser && installed !== data.words.file) {
		const file = data.words.file;
		let words = data.words.words;
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
