import QRCode from 'qrcode';
import type { Actor } from '../../domain/access/policy.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { InvalidInput } from '../errors.ts';
import { ORIGIN_NEEDED_MESSAGE } from '../public-origin.ts';
import { getNode } from './tree.ts';
import { currentUnits } from './units.ts';
import { codeStatusOfUnits, formatCode, issueCodes } from './verification.ts';

export interface Letter {
	unitId: string;
	building: string;
	room: string;
	code: string;
	claimUrl: string;
	/** PNG as a data URL, so the QR is a real <img> WeChat can long-press, and no URL with the code is logged. */
	qrDataUrl: string;
}

/**
 * 打印核验信: issues fresh codes for one building's units (or only those not yet verified) and
 * returns printable letters. The plain codes exist only in this result.
 */
export async function issueLetters(
	database: Database,
	actor: Actor,
	compoundId: string,
	/** origin: publicOrigin() — null when no trusted absolute address exists (then nothing is issued). */
	input: { buildingId: string; onlyUnverified: boolean; origin: string | null; kind?: 'owner' | 'resident' }
): Promise<{ compoundName: string; kind: 'owner' | 'resident'; letters: Letter[] }> {
	requireAccess(actor, 'verification.issue', { compounds: [await compoundScope(database, compoundId)] });
	// The QR codes need an absolute address that can be trusted; checked before any code is issued,
	// since issuing revokes the building's earlier letters.
	if (input.origin === null) throw new InvalidInput(ORIGIN_NEEDED_MESSAGE);
	const compound = await getNode(database, compoundId, 'compound');
	let targets = await currentUnits(database, compoundId, { buildingId: input.buildingId });
	if (targets.length === 0) throw new InvalidInput('这栋楼没有房屋，请先导入房屋清册');
	const kind = input.kind ?? 'owner';
	// The developer's unsold units have no owner to write to (nor, yet, a resident).
	targets = targets.filter((u) => u.status === 'owned');
	if (input.onlyUnverified && kind === 'owner') {
		const status = await codeStatusOfUnits(database, targets.map((u) => u.id));
		targets = targets.filter((u) => status.get(u.id)!.state !== 'claimed');
	}
	if (targets.length === 0) throw new InvalidInput('这栋楼的业主都已核验，不需要再发信');
	const issued = await issueCodes(database, actor, compoundId, targets.map((u) => u.id), kind);
	const byId = new Map(targets.map((u) => [u.id, u]));
	const letters = await Promise.all(
		issued.map(async ({ unitId, code }) => {
			const unit = byId.get(unitId)!;
			const claimUrl = `${input.origin}/claim?c=${code}`;
			return {
				unitId,
				building: unit.buildingName,
				room: unit.room,
				code: formatCode(code),
				claimUrl,
				qrDataUrl: await QRCode.toDataURL(claimUrl, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
			};
		})
	);
	return { compoundName: compound.name, kind, letters };
}
