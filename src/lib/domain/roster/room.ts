/**
 * A room number as a person types it on a form (paper entry, 委托书, 补发核验信, …). Pure.
 *
 * People write "５０２" from a Chinese keyboard, "502室", "502号" or "502号房"; all of these are
 * room 502. The roster importer stores rooms through normaliseRoom (full-width → half-width, a
 * trailing 室 dropped), so a typed room is normalised the same way and then loses the 号/房 suffix
 * a roster never carries. An empty room is refused with the message shown beside the field.
 *
 * Many also write the building first, as on an envelope: "3-502", "3号楼502室", "3栋502",
 * "三号楼 502". Where the form has its own building field, that prefix is dropped when it names
 * the building chosen there; when it names another building the text is kept whole (a roster may
 * really have a room "1-101", 1单元101室), so the lookup says plainly that there is no such room.
 */
import { m } from '../../paraglide/messages.js';
import { normaliseBuilding, normaliseRoom } from './building.ts';

/** The refusal of an empty room, in the reader's language. */
export function emptyRoomMessage(): string {
	return m.admin_room_empty();
}

export type TypedRoom = { ok: true; room: string } | { ok: false; message: string };

/** A building number, a separator a person would use, then the room. */
const BUILDING_FIRST = /^(\d+|[一二两三四五六七八九十]+)(?:号楼|号幢|号栋|号|幢|栋|楼|#楼|#|-|—|\/)-?([0-9A-Za-z].*)$/u;

function withoutSuffix(text: string): string {
	return text.length > 1 ? text.replace(/(?:号房|号|房|室)$/u, '') : text;
}

export function parseTypedRoom(raw: string | null | undefined, chosenBuilding?: string): TypedRoom {
	let text = normaliseRoom(String(raw ?? ''));
	if (chosenBuilding !== undefined) {
		const named = BUILDING_FIRST.exec(text);
		if (named && normaliseBuilding(named[1]) === normaliseBuilding(chosenBuilding)) text = normaliseRoom(named[2]);
	}
	const room = withoutSuffix(text);
	if (room === '' || /^(?:号|房|室)$/u.test(room)) return { ok: false, message: emptyRoomMessage() };
	return { ok: true, room };
}
