import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Actor } from '../../domain/access/policy.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { orgNodes, units } from '../db/schema/index.ts';
import { parseTypedRoom } from '../../domain/roster/room.ts';
import { InvalidInput } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { getNode } from './tree.ts';
import { currentUnits } from '../roster/units.ts';
import { codeStatusOfUnits, formatCode, issueCodes, reissueCode } from './verification.ts';

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
 * 打印核验信: issues fresh codes for one building's units and returns printable letters. Owner
 * letters go only to units without a verified owner: a letter for a unit that has one is
 * 补发核验信 (`reissueLetter`), a step of its own with a reason, never a side effect of printing.
 * The plain codes exist only in this result.
 */
export async function issueLetters(
	database: Database,
	actor: Actor,
	compoundId: string,
	/** origin: publicOrigin() — null when no trusted absolute address exists (then nothing is issued). */
	input: { buildingId: string; origin: string | null; kind?: 'owner' | 'resident' }
): Promise<{ compoundName: string; kind: 'owner' | 'resident'; letters: Letter[] }> {
	requireAccess(actor, 'verification.issue', { compounds: [await compoundScope(database, compoundId)] });
	// The QR codes need an absolute address that can be trusted; checked before any code is issued,
	// since issuing revokes the building's earlier letters.
	if (input.origin === null) throw new InvalidInput(m.admin_letters_origin_needed());
	const compound = await getNode(database, compoundId, 'compound');
	let targets = await currentUnits(database, compoundId, { buildingId: input.buildingId });
	if (targets.length === 0) throw new InvalidInput(m.admin_letters_no_units());
	const kind = input.kind ?? 'owner';
	// The developer's unsold units have no owner to write to (nor, yet, a resident).
	targets = targets.filter((u) => u.status === 'owned');
	if (kind === 'owner') {
		const status = await codeStatusOfUnits(
			database,
			targets.map((u) => u.id)
		);
		targets = targets.filter((u) => status.get(u.id)!.owners === 0);
	}
	if (targets.length === 0) throw new InvalidInput(m.admin_letters_all_verified());
	const issued = await issueCodes(
		database,
		actor,
		compoundId,
		targets.map((u) => u.id),
		kind
	);
	const byId = new Map(targets.map((u) => [u.id, u]));
	const origin = input.origin;
	const letters = await Promise.all(issued.map(({ unitId, code }) => toLetter(byId.get(unitId)!, code, origin)));
	return { compoundName: compound.name, kind, letters };
}

async function findCurrentUnit(database: Database, compoundId: string, which: { unitId: string } | { buildingId: string; room: string }) {
	let buildingId: string;
	let room: string;
	if ('unitId' in which) {
		const rows = await database.db
			.select({ buildingId: units.buildingId, room: units.room })
			.from(units)
			.where(and(eq(units.id, which.unitId), eq(units.compoundId, compoundId)))
			.limit(1);
		if (rows.length === 0) return null;
		({ buildingId, room } = rows[0]);
	} else {
		buildingId = which.buildingId;
		// ５０２, 502室, 502号 and 3-502 (in 3号楼) are all room 502, as on every form where a room is typed.
		const [building] = await database.db
			.select({ name: orgNodes.name })
			.from(orgNodes)
			.where(and(eq(orgNodes.id, buildingId), eq(orgNodes.kind, 'building')))
			.limit(1);
		const typed = parseTypedRoom(which.room, building?.name);
		if (!typed.ok) throw new InvalidInput(typed.message, { room: typed.message });
		room = typed.room;
	}
	return (
		(await currentUnits(database, compoundId, { buildingId, room })).find((u) => u.room === room && u.compoundId === compoundId) ?? null
	);
}

async function toLetter(unit: { id: string; buildingName: string; room: string }, code: string, origin: string): Promise<Letter> {
	const claimUrl = `${origin}/claim?c=${code}`;
	return {
		unitId: unit.id,
		building: unit.buildingName,
		room: unit.room,
		code: formatCode(code),
		claimUrl,
		qrDataUrl: await QRCode.toDataURL(claimUrl, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
	};
}

/**
 * 补发核验信: one unit's new owner letter, with a reason (lost letter, a sale), audited. The unit's
 * verified owner keeps their binding; in a ballot already open the new claimant does not vote for
 * the unit (voting/voters.ts).
 */
export async function reissueLetter(
	database: Database,
	actor: Actor,
	compoundId: string,
	input: ({ unitId: string } | { buildingId: string; room: string }) & { reason: string; origin: string | null }
): Promise<Letter & { compoundName: string; verifiedOwners: number }> {
	requireAccess(actor, 'verification.reissue', { compounds: [await compoundScope(database, compoundId)] });
	// As for printing: no trusted absolute address, no QR code, and no code issued (it would revoke the old one).
	const origin = input.origin;
	if (origin === null) throw new InvalidInput(m.admin_letters_origin_needed());
	const compound = await getNode(database, compoundId, 'compound');
	const unit = await findCurrentUnit(database, compoundId, input);
	if (!unit) throw new InvalidInput(m.admin_letters_no_such_unit(), { room: m.admin_letters_no_such_unit_field() });
	if (unit.status !== 'owned') throw new InvalidInput(m.admin_letters_not_owned(), { unitId: m.admin_letters_not_owned_field() });
	const verifiedOwners = (await codeStatusOfUnits(database, [unit.id])).get(unit.id)!.owners;
	const issued = await reissueCode(database, actor, compoundId, { unitId: unit.id, reason: input.reason });
	return { ...(await toLetter(unit, issued.code, origin)), compoundName: compound.name, verifiedOwners };
}
