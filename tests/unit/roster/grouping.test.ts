import { describe, expect, it } from 'vitest';
import { DEVELOPER_OWNER_KEY, ownerGroupKey, summariseRoster } from '../../../src/lib/domain/roster/index.ts';
import { newUnit } from './factories.ts';

describe('ownerGroupKey (SPC interpretation art. 9)', () => {
	it('puts all developer units, unsold or undelivered, with or without a buyer name, in one group', () => {
		expect(ownerGroupKey(newUnit({ status: 'developer_unsold', owners: [] }))).toBe(DEVELOPER_OWNER_KEY);
		expect(ownerGroupKey(newUnit({ status: 'sold_undelivered', owners: [{ name: '俞海燕' }] }))).toBe(DEVELOPER_OWNER_KEY);
	});

	it("gives one owner's several units the same key", () => {
		const owner = { name: '顾建国', idHint: '0123', phone: '139' };
		const a = newUnit({ room: '101', owners: [owner] });
		const b = newUnit({ building: '5号楼', room: '201', owners: [{ ...owner, phone: undefined }] });
		expect(ownerGroupKey(a)).toBe(ownerGroupKey(b));
	});

	it('tells apart two owners with the same name by id hint, or by phone when there is none', () => {
		const key = (owner: { name: string; idHint?: string; phone?: string }) => ownerGroupKey(newUnit({ owners: [owner] }));
		expect(key({ name: '王敏', idHint: '6250' })).not.toBe(key({ name: '王敏', idHint: '7080' }));
		expect(key({ name: '王敏', phone: '1' })).not.toBe(key({ name: '王敏', phone: '2' }));
		expect(key({ name: '王敏', phone: '1' })).toBe(key({ name: '王敏', phone: '1' }));
		expect(key({ name: '王敏' })).not.toBe(key({ name: '王敏', idHint: '6250' }));
	});

	it('keys a co-owned unit by its co-owner set, in any order', () => {
		const ab = ownerGroupKey(newUnit({ owners: [{ name: '沈秀英' }, { name: '陆志明' }] }));
		const ba = ownerGroupKey(newUnit({ owners: [{ name: '陆志明' }, { name: '沈秀英' }] }));
		const a = ownerGroupKey(newUnit({ owners: [{ name: '沈秀英' }] }));
		expect(ab).toBe(ba);
		expect(ab).not.toBe(a);
	});

	it('cannot be confused by separators inside names', () => {
		const one = ownerGroupKey(newUnit({ owners: [{ name: 'a","b' }] }));
		const two = ownerGroupKey(newUnit({ owners: [{ name: 'a' }, { name: 'b' }] }));
		expect(one).not.toBe(two);
	});

	it('counts an owned unit without owners as its own person', () => {
		const a = ownerGroupKey(newUnit({ room: '101', owners: [] }));
		const b = ownerGroupKey(newUnit({ room: '102', owners: [] }));
		expect(a).not.toBe(b);
	});
});

describe('summariseRoster', () => {
	it('adds areas and counts owners per art. 9', () => {
		const units = [
			newUnit({ room: '101', areaHundredths: 8950 }),
			newUnit({ room: '102', areaHundredths: 6000 }), // same owner as 101
			newUnit({ room: '103', areaHundredths: 7000, owners: [{ name: '沈秀英' }, { name: '陆志明' }] }),
			newUnit({ room: '104', areaHundredths: 100, status: 'developer_unsold', owners: [] }),
			newUnit({ room: '105', areaHundredths: 100, status: 'sold_undelivered', owners: [{ name: '俞海燕' }] })
		];
		expect(summariseRoster(units)).toEqual({ unitCount: 5, totalAreaHundredths: 22150, ownerCount: 3 });
	});
});
