import { describe, expect, it } from 'vitest';
import { EMPTY_ROOM_MESSAGE, parseTypedRoom } from '../../../src/lib/domain/roster/room.ts';

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
		expect(parseTypedRoom(typed)).toEqual({ ok: false, message: EMPTY_ROOM_MESSAGE });
	});
	it('says 请填写室号 in Chinese', () => expect(EMPTY_ROOM_MESSAGE).toBe('请填写室号'));
});
