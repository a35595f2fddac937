import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { downloadUnitExport } from '$lib/server/records';

/** 分户表决数据 (v2 records): for the compound's owners, scrutineers and 居委; each download audited. */
export const GET: RequestHandler = async (event) => {
	const actor = await requireActor(event);
	const { filename, text } = await guard(() => downloadUnitExport(getDatabase(), actor, event.params.id));
	return new Response(text, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
			'Cache-Control': 'private, no-store'
		}
	});
};
