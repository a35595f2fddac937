import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { servedWords } from '$lib/server/words';

/**
 * A page's words in one language (see src/lib/server/words.ts). The name is a hash of the content, so the
 * browser keeps it for a year and a form's reload reads it from the cache.
 */
export const GET: RequestHandler = ({ params }) => {
	const body = servedWords(params.file);
	if (body === null) error(404);
	return new Response(body, {
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' }
	});
};
