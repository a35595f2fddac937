import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { load as guard } from '$lib/server/http';
import { recordApi } from '$lib/server/records';
import { linkCacheControl, publicOrigin } from '$lib/server/public-origin';

/** One record with its public vote export (recountable), objections and follow-through. */
export const GET: RequestHandler = async ({ url, params }) =>
	json(await guard(() => recordApi(getDatabase(), publicOrigin(url), params.id)), {
		headers: { 'access-control-allow-origin': '*', 'cache-control': linkCacheControl(url, 'no-cache') }
	});
