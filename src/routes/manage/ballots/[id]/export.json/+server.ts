import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { exportBallot } from '$lib/server/voting';

/** The frozen vote export (yishi-vote-export v1) for `npm run recount`. Staff only: it lists per-unit votes. */
export const GET: RequestHandler = async (event) => {
	const actor = await requireActor(event);
	const { fileName, json } = await guard(() => exportBallot(getDatabase(), actor, { ballotId: event.params.id }));
	return new Response(json, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`
		}
	});
};
