import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { ownerReceipt } from '$lib/server/records';

/** The signed-in owner's inclusion proofs, for `npm run recount -- units.json --proof receipt.json`. */
export const GET: RequestHandler = async (event) => {
	const actor = await requireActor(event);
	const receipt = await guard(() => ownerReceipt(getDatabase(), actor, event.params.id));
	return new Response(JSON.stringify(receipt, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`yishi-receipt-${event.params.id}.json`)}`,
			'Cache-Control': 'private, no-store'
		}
	});
};
