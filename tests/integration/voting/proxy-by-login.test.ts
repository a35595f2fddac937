import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../../src/lib/server/db/schema/index.ts';
import { AccessDenied, InvalidInput } from '../../../src/lib/server/errors.ts';
import { listProxies, recordProxyByLogin } from '../../../src/lib/server/voting/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { fakeTime, newCompound, newOpenBallot, newOwner, newStaff, type TestCompound } from './factories.ts';

let database: TestDatabase;
let time: ReturnType<typeof fakeTime>;
let compound: TestCompound;
let committee: Awaited<ReturnType<typeof newStaff>>;

// One compound of three homes, its 业委会 member, and the owner of the first home, 王阿姨, who signs the 委托书.
beforeEach(async () => {
	[time, database] = [fakeTime(), await createTestDatabase()];
	compound = await newCompound(database, { units: [{ owner: '王阿姨' }, {}, {}] });
	committee = await newStaff(database, 'owners_committee', compound.compoundId);
});
afterEach(() => (vi.restoreAllMocks(), database.destroy()));

async function loginOf(userId: string): Promise<string> {
	const [row] = await database.db.select({ login: users.login }).from(users).where(eq(users.id, userId));
	return row.login;
}

describe('recording a 委托书 with the proxy named by login (the ballot page)', () => {
	it('finds the proxy by the login as typed (spaces, capitals) and records the 委托书 for them', async () => {
		const proxy = await newOwner(database, compound, { unitIds: [compound.units[1].unitId], name: '受托人' });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const typed = `  ${(await loginOf(proxy.userId)).toUpperCase()} `;
		const input = {
			ballotId,
			unitIds: [compound.units[0].unitId],
			principalName: '王阿姨',
			proxyLogin: typed,
			instructions: { A: 'yes' }
		};
		const { proxyId } = await recordProxyByLogin(database, committee.actor, input);
		const listed = await listProxies(database, committee.actor, { ballotId });
		expect(listed.map((p) => [p.proxyId, p.proxyUserId, p.principalName])).toEqual([[proxyId, proxy.userId, '王阿姨']]);
	});

	it('asks for a registered account when no account has that login, naming the field', async () => {
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const input = {
			ballotId,
			unitIds: [compound.units[0].unitId],
			principalName: '王阿姨',
			proxyLogin: 'nobody_here',
			instructions: { A: 'yes' }
		};
		const refusal = await recordProxyByLogin(database, committee.actor, input).catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(InvalidInput);
		expect((refusal as InvalidInput).fields).toEqual({ proxyLogin: '没有这个账号' });
		expect(await listProxies(database, committee.actor, { ballotId })).toEqual([]);
	});

	it('refuses someone who may not enter paper ballots before it looks the login up', async () => {
		const owner = await newOwner(database, compound, { unitIds: [compound.units[2].unitId] });
		const { ballotId } = await newOpenBallot(database, time, committee.actor, [compound]);
		const input = {
			ballotId,
			unitIds: [compound.units[0].unitId],
			principalName: '王阿姨',
			proxyLogin: 'nobody_here',
			instructions: { A: 'yes' }
		};
		await expect(recordProxyByLogin(database, owner.actor, input)).rejects.toBeInstanceOf(AccessDenied);
	});
});
