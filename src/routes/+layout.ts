import { browser } from '$app/environment';
import { installWords, type Words } from '$lib/i18n/words';
import type { LayoutLoad } from './$types';

/** The dictionary file installed in this browser tab (a form's reload keeps the route, so nothing is fetched). */
let installed: string | undefined;

/**
 * Installs the page's words before any component renders (issue #14, see src/lib/i18n/words.ts). On the server
 * the fetch only puts the file into the HTML, so hydrating reads it from there; moving to another route
 * fetches that route's file (kept a year by the browser).
 */
export const load: LayoutLoad = async ({ data, fetch }) => {
	if (!browser || installed !== data.words) {
		const response = await fetch(data.words);
		if (!response.ok) throw new Error(`${data.words}: ${response.status}`);
		const words = (await response.json()) as Words;
		if (browser) {
			installWords(words);
			installed = data.words;
		}
	}
	return data;
};
