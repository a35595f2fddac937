import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { recordAtomFeed } from '$lib/server/records';
import { linkCacheControl, publicOrigin } from '$lib/server/public-origin';

export const GET: RequestHandler = async ({ url }) =>
	new Response(await recordAtomFeed(getDatabase(), publicOrigin(url)), {
		headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': linkCacheControl(url, 'public, max-age=60') }
	});
