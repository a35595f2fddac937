import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { load as guard } from '$lib/server/http';
import { getResult, listPublishedBallotReceipts } from '$lib/server/voting';

/** The closed ballot's result and receipt list: public, no login, no JavaScript needed. */
export const csr = false;

export const load: PageServerLoad = async ({ params, url }) => {
	const database = getDatabase();
	const result = await guard(() => getResult(database, { ballotId: params.id }));
	const receipts = await guard(() => listPublishedBallotReceipts(database, { ballotId: params.id }));
	const q = (url.searchParams.get('receipt') ?? '').trim().toUpperCase();
	return {
		result,
		receipts: q ? receipts.filter((r) => r.receipt.toUpperCase().includes(q)) : receipts.slice(0, 200),
		total: receipts.length,
		q
	};
};
