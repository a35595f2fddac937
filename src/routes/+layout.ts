import { browser } from '$app/environment';
import { installWords, type Words } from '$lib/i18n/words';
import type { LayoutLoad } from './$types';

/** The dictionary file installed in this browser tab (a form's reload keeps the route, so nothing is fetched). */
let installed: string | undefined;

/**
 * Installs the page's words before any component renders (issue #14, see src/lib/i18n/words.ts and
 * src/lib/server/words.ts). The first page brings them in its data; moving to another route fetches that route's
 * file (kept a year by the browser); the server renders with Paraglide's own functions and needs none.
 */
export const load: LayoutLoad = async ({ data, fetch }) => {
	if (browser && installed !== data.words.file) {
		let words = data.words.words;
		if (!words) {
			const response = await fetch(data.words.file);
			if (!response.ok) throw new Error(`${data.words.file}: ${response.status}`);
			words = (await response.json()) as Words;
		}
		installWords(words);
		installed = data.words.file;
	}
	return data;
};
