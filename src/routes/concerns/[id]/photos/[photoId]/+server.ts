import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { concernPhoto } from '$lib/server/concerns';

/** Serves a stored photo: type from our own sniffing, shown inline, never sniffed by the browser. */
export const GET: RequestHandler = async (event) => {
	const actor = await requireActor(event);
	const photo = await guard(() => concernPhoto(getDatabase(), actor, event.params.id, event.params.photoId));
	return new Response(Buffer.from(photo.bytes), {
		headers: {
			'Content-Type': photo.contentType,
			'Content-Disposition': 'inline',
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, max-age=86400',
			'Content-Security-Policy': "default-src 'none'"
		}
	});
};
