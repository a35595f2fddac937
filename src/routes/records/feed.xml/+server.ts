import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { recordAtomFeed } from '$lib/server/records';

export const GET: RequestHandler = async ({ url }) =>
	new Response(await recordAtomFeed(getDatabase(), url.origin), {
		headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=60' }
	});
