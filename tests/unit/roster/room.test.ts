import { describe, expect, it } from 'vitest';
import { emptyRoomMessage, parseTypedRoom } from '../../../src/lib/domain/roster/room.ts';

describe('parseTypedRoom: a room as a person types it', () => {
	it.each([
		['502', '502'],
		['５０２', '502'],
		['502室', '502'],
		['５０２室', '502'],
		['502号', '502'],
		['502号房', '502'],
		['502房', '502'],
		[' 502 ', '502'],
		['5 02', '502'],
		['\u3000５０２号\u3000', '502'],
		['1502', '1502'],
		['B1', 'B1'],
		['Ｂ１室', 'B1'],
		['地下室', '地下']
	])('%j is room %j', (typed, room) => {
		expect(parseTypedRoom(typed)).toEqual({ ok: true, room });
	});

	it.each([[''], ['   '], ['\u3000'], ['室'], ['号'], [null], [undefined]])('%j asks for the room', (typed) => {
		expect(parseTypedRoom(typed)).toEqual({ ok: false, message: emptyRoomMessage() });
	});
	it('says 请填写室号 in Chinese', () => expect(emptyRoomMessage()).toBe('请填写室号'));

	it.each([
		['3-502', '3号楼', '502'],
		['３－５０２', '3号楼', '502'],
		['3号楼502室', '3号楼', '502'],
		['3号楼 502号', '3号楼', '502'],
		['3栋502', '3栋', '502'],
		['3#502', '3号楼', '502'],
		['三号楼５０２室', '3号楼', '502'],
		['3号502', '3号楼', '502'],
		['12-1502', '12号楼', '1502'],
		['502', '3号楼', '502']
	])('%j typed with building %j chosen is room %j', (typed, building, room) => {
		expect(parseTypedRoom(typed, building)).toEqual({ ok: true, room });
	});

	it('keeps a building-first text whole when it names another building (a roster may have room 1-101)', () => {
		expect(parseTypedRoom('1-101', '3号楼')).toEqual({ ok: true, room: '1-101' });
		expect(parseTypedRoom('5-502', '3号楼')).toEqual({ ok: true, room: '5-502' });
	});

	it('without a chosen building, only the room form is read', () => {
		expect(parseTypedRoom('3-502')).toEqual({ ok: true, room: '3-502' });
	});

	it('a building with no room is kept as typed (the lookup then finds no such room)', () => {
		expect(parseTypedRoom('3号楼', '3号楼')).toEqual({ ok: true, room: '3号楼' });
		expect(parseTypedRoom('3-', '3号楼')).toEqual({ ok: true, room: '3-' });
	});
});
