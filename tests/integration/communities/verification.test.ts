import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { newGateCommunity, newUser } from './factories.ts';
import { claimCode, issueCodes, revokeCodesOfUnit, codeStatusOfUnits } from '../../../src/lib/server/communities/verification.ts';
import { currentUnits, unitsOfUser } from '../../../src/lib/server/roster/units.ts';
import { AccessDenied, InvalidInput, RuleBroken, TooManyAttempts } from '../../../src/lib/server/errors.ts';

let database: TestDatabase;
let ids: Awaited<ReturnType<typeof newGateCommunity>>;
beforeEach(async () => {
	database = await createTestDatabase();
	ids = await newGateCommunity(database);
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

let ip = 0;
const address = () => `10.0.0.${++ip}`;

describe('verification letters and claims', () => {
	it('issues codes, stores only their hashes, and binds the claimant to the unit as owner', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [issued] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const stored = await database.client.execute('select * from verification_codes');
		expect(JSON.stringify(stored.rows)).not.toContain(issued.code);

		const resident = await newUser(database);
		const result = await claimCode(database, resident.id, issued.code.toLowerCase().replace(/(....)/, '$1-'), address());
		expect(result).toEqual({ unitId: unit.id, relation: 'owner' });
		const mine = await unitsOfUser(database, resident.id);
		expect(mine.map((u) => [u.compoundName, u.room, u.relation])).toEqual([['爱建小区', unit.room, 'owner']]);
		expect((await codeStatusOfUnits(database, [unit.id])).get(unit.id)!.state).toBe('claimed');
	});

	it('accepts a code typed on a Chinese keyboard: full-width letters and digits, a full-width dash, spaces', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [issued] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const fullWidth = [...issued.code].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
		const typed = `\u3000${fullWidth.slice(0, 4)}－${fullWidth.slice(4)} `;
		expect(await claimCode(database, (await newUser(database)).id, typed, address())).toEqual({ unitId: unit.id, relation: 'owner' });
	});

	it('a second claim of the same code fails with a clear message', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [issued] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const first = await newUser(database);
		const second = await newUser(database);
		await claimCode(database, first.id, issued.code, address());
		await expect(claimCode(database, second.id, issued.code, address())).rejects.toThrow('已经被使用过了');
		expect(await unitsOfUser(database, second.id)).toEqual([]);
	});

	it('two people racing for one code: exactly one wins', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [issued] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const people = await Promise.all(Array.from({ length: 8 }, () => newUser(database)));
		const results = await Promise.allSettled(people.map((p) => claimCode(database, p.id, issued.code, address())));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RuleBroken);
	});

	it('reissuing revokes the old letter; revoking stops a lost one', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [old] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const [fresh] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const someone = await newUser(database);
		await expect(claimCode(database, someone.id, old.code, address())).rejects.toThrow('已作废');
		expect(await revokeCodesOfUnit(database, await ywh.actor(), unit.id)).toBe(1);
		await expect(claimCode(database, someone.id, fresh.code, address())).rejects.toThrow('已作废');
		const audit = await database.client.execute("select action from audit_log where action like 'verification.%' order by id");
		expect(audit.rows.map((r) => r.action)).toEqual(['verification.issue', 'verification.reissue', 'verification.revoke']);
	});

	it('refuses malformed and unknown codes in Chinese, and throttles guessing', async () => {
		const someone = await newUser(database);
		await expect(claimCode(database, someone.id, '12', 'guesser')).rejects.toBeInstanceOf(InvalidInput);
		await expect(claimCode(database, someone.id, 'ABCD2345', 'guesser')).rejects.toThrow('核验码不对');
		let throttled = false;
		for (let i = 0; i < 20 && !throttled; i++) {
			try {
				await claimCode(database, someone.id, 'ABCD2345', 'guesser');
			} catch (e) {
				throttled = e instanceof TooManyAttempts;
			}
		}
		expect(throttled).toBe(true);
		// Another resident at the same address (a 居委 office helping people claim) is not slowed by it.
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const unit = (await currentUnits(database, ids.aijian))[0];
		const [issued] = await issueCodes(database, await ywh.actor(), ids.aijian, [unit.id]);
		const neighbour = await newUser(database);
		expect(await claimCode(database, neighbour.id, issued.code, 'guesser')).toMatchObject({ unitId: unit.id });
	});

	it('an 爱建 业委会 member cannot issue letters for 虹桥 units, nor a resident for anyone', async () => {
		const ywh = await newUser(database, { grants: [{ role: 'owners_committee', scopeId: ids.aijian }] });
		const hq = (await currentUnits(database, ids.hongqiao))[0];
		await expect(issueCodes(database, await ywh.actor(), ids.hongqiao, [hq.id])).rejects.toBeInstanceOf(AccessDenied);
		await expect(revokeCodesOfUnit(database, await ywh.actor(), hq.id)).rejects.toBeInstanceOf(AccessDenied);
		// Smuggling a 虹桥 unit into an 爱建 batch is refused too.
		await expect(issueCodes(database, await ywh.actor(), ids.aijian, [hq.id])).rejects.toBeInstanceOf(InvalidInput);
		const aj = (await currentUnits(database, ids.aijian))[0];
		const resident = await newUser(database, { owns: [aj.id] });
		await expect(issueCodes(database, await resident.actor(), ids.aijian, [aj.id])).rejects.toBeInstanceOf(AccessDenied);
	});
});
