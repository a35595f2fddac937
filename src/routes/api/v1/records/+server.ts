import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { recordsApi } from '$lib/server/records';
import { linkCacheControl, publicOrigin } from '$lib/server/public-origin';

/** Open data: every published record version with its hashed document. See README "开放数据". */
export const GET: RequestHandler = async ({ url }) => {
	const year = Number(url.searchParams.get('year'));
	const body = await recordsApi(getDatabase(), publicOrigin(url), {
		street: url.searchParams.get('street') || undefined,
		committee: url.searchParams.get('committee') || undefined,
		compound: url.searchParams.get('compound') || undefined,
		year: Number.isInteger(year) && year > 0 ? year : undefined,
		q: url.searchParams.get('q') || undefined
	});
	return json(body, { headers: { 'cache-control': linkCacheControl(url, 'public, max-age=60'), 'access-control-allow-origin': '*' } });
};
