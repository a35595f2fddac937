import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { getPublicRecord, mayDownloadUnitExport, ownerReceipt } from '$lib/server/records';

/** 核对我的票: signed in, the owner sees their own counted rows; nothing here is public. */
export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	const record = await guard(() => getPublicRecord(database, event.params.id));
	const receipt = await guard(() => ownerReceipt(database, actor, event.params.id));
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		recordId: record.id,
		title: record.document.content.title,
		motions: record.document.content.motions.map((m) => ({ motionId: m.motionId, title: m.title })),
		merkleRoot: receipt.merkleRoot,
		exportSha256: record.document.content.voteExport.sha256,
		rows: receipt.proofs.map((p) => ({
			motionId: p.row.motionId,
			choice: p.row.choice,
			channel: p.row.channel,
			leafIndex: p.leafIndex
		})),
		canDownload: await mayDownloadUnitExport(database, actor, record.document)
	};
};
