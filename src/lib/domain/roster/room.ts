/**
 * A room number as a person types it on a form (paper entry, 委托书, …). Pure.
 *
 * People write "５０２" from a Chinese keyboard, "502室", "502号" or "502号房"; all of these are
 * room 502. The roster importer stores rooms through normaliseRoom (full-width → half-width, a
 * trailing 室 dropped), so a typed room is normalised the same way and then loses the 号/房 suffix
 * a roster never carries. An empty room is refused with the message shown beside the field.
 */
import { normaliseRoom } from './building.ts';

export const EMPTY_ROOM_MESSAGE = '请填写室号';

export type TypedRoom = { ok: true; room: string } | { ok: false; message: string };

export function parseTypedRoom(raw: string | null | undefined): TypedRoom {
	const base = normaliseRoom(String(raw ?? ''));
	const room = base.length > 1 ? base.replace(/(?:号房|号|房|室)$/u, '') : base;
	if (room === '' || /^(?:号|房|室)$/u.test(room)) return { ok: false, message: EMPTY_ROOM_MESSAGE };
	return { ok: true, room };
}
