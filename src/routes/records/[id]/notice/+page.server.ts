import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { load as guard } from '$lib/server/http';
import { getPublicRecord } from '$lib/server/records';
import { recordQr } from '$lib/server/records/notice';
import { originNeededMessage, resolvePublicOrigin } from '$lib/server/public-origin';

export const csr = false;

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	const record = await guard(() => getPublicRecord(getDatabase(), params.id));
	const { origin, fromRequest } = resolvePublicOrigin(url);
	// A QR code built from this request's host must not be handed to anyone else by a cache.
	if (fromRequest) setHeaders({ 'cache-control': 'private' });
	// A printed QR code needs an absolute address that can be trusted: without one, say so.
	if (origin === null) return { record, recordUrl: null, qr: null, originMessage: originNeededMessage() };
	const recordUrl = `${origin}/records/${record.id}`;
	return { record, recordUrl, qr: await recordQr(recordUrl), originMessage: null };
};
