import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { load as guard } from '$lib/server/http';
import { getPhoto } from '$lib/server/records';

/** Progress photos are public with their record; metadata was stripped when they were stored. */
export const GET: RequestHandler = async ({ params }) => {
	const photo = await guard(() => getPhoto(getDatabase(), params.id));
	return new Response(photo.bytes as unknown as BodyInit, {
		headers: { 'content-type': photo.mime, 'cache-control': 'public, max-age=86400, immutable', 'x-content-type-options': 'nosniff' }
	});
};
