import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { load as guard } from '$lib/server/http';
import { getPublicRecord } from '$lib/server/records';
import { recordQr } from '$lib/server/records/notice';

export const csr = false;

export const load: PageServerLoad = async ({ params, url }) => {
	const record = await guard(() => getPublicRecord(getDatabase(), params.id));
	const recordUrl = `${url.origin}/records/${record.id}`;
	return { record, recordUrl, qr: await recordQr(recordUrl) };
};
