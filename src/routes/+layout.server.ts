import type { LayoutServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { hasDemoData } from '$lib/server/communities/tree';
import { navigationFor } from '$lib/server/navigation';
import { unreadOwnerChangeNotice } from '$lib/server/voting/owner-changes';
import { pageWords } from '$lib/server/words';
import { requireActor } from '$lib/server/require-user';

export const load: LayoutServerLoad = async (event) => {
	const { locals, route, isDataRequest } = event;
	const database = getDatabase();
	const words = pageWords(locals.locale, route.id, !isDataRequest);
	// The page's HTML carries them (hooks.server.ts puts inlineWordsScript into it).
	if (words.inline) locals.inlineWords = words.file;
	return {
		user: locals.user ? { displayName: locals.user.displayName, login: locals.user.login } : null,
		elderMode: locals.elderMode,
		locale: locals.locale,
		/** The words this route's browser code can show, in this language (read by ./+layout.ts; lib/server/words.ts). */
		words,
		demo: await hasDemoData(database),
		// The actor the request hook read (requireActor re-reads it only after a write of this request), not a second read.
		nav: locals.user ? await navigationFor(database, locals.user.id, await requireActor(event)) : [],
		/** 业主变更登记 affecting this person's unit: shown on every page until they read it in the inbox. */
		ownerChangeNotice: locals.user ? await unreadOwnerChangeNotice(database, locals.user.id) : null
	};
};
