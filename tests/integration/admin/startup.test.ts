/**
 * The start-up decision (admin/startup.ts) and the one-time setup link, on a real libSQL file:
 * demo only where asked, production never with open demo accounts, a link while no admin exists.
 */
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { applyStartupPolicy, openDemoAccounts } from '../../../src/lib/server/admin/startup.ts';
import { completeSetup, createAdministrator, setupState, SETUP_TOKEN_TTL_MS } from '../../../src/lib/server/admin/setup.ts';
import { administratorExists } from '../../../src/lib/server/admin/grants.ts';
import { seedDemoIfEmpty } from '../../../src/lib/server/demo/seed.ts';
import { hashPassword } from '../../../src/lib/server/auth/passwords.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { auditLog, orgNodes, setupTokens, users } from '../../../src/lib/server/db/schema/index.ts';
import { InvalidInput, RuleBroken } from '../../../src/lib/server/errors.ts';
import { clock } from '../../../src/lib/server/util/clock.ts';

let database: TestDatabase;
databaseForEachTest((created) => (database = created));

const production = { demo: false, allowDemoAccounts: false, origin: 'https://yishi.example.org' };
const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;
const admin = { login: 'juwei_it', displayName: '居委小王', password: 'correct horse battery' };

describe('start-up policy', () => {
	it('an empty production database gets no demo and a one-time setup link, stored only as a hash', async () => {
		const outcome = await applyStartupPolicy(database, production);
		if (!outcome.start) throw new Error(outcome.refusal);
		expect(outcome.seeded).toBeNull();
		expect(outcome.setup?.link).toMatch(/^https:\/\/yishi\.example\.org\/setup\?t=[a-z2-7]{32}$/);
		expect((await database.db.select().from(orgNodes)).length).toBe(0);
		const stored = await database.db.select().from(setupTokens);
		expect(stored).toHaveLength(1);
		expect(stored[0].id).not.toContain(tokenOf(outcome.setup!.link));
		expect(await setupState(database, tokenOf(outcome.setup!.link))).toBe('open');
	});

	it('npm start (demo) seeds an empty database and prints no setup link: the demo has an admin', async () => {
		const outcome = await applyStartupPolicy(database, { ...production, demo: true });
		if (!outcome.start) throw new Error(outcome.refusal);
		expect(outcome.seeded?.map((a) => a.login)).toContain('admin');
		expect(outcome.setup).toBeNull();
	});

	it('production refuses a database with demo accounts on the demo password, in Chinese and English', async () => {
		await seedDemoIfEmpty(database);
		const outcome = await applyStartupPolicy(database, production);
		expect(outcome.start).toBe(false);
		if (outcome.start) return;
		expect(outcome.refusal).toContain('演示账号');
		expect(outcome.refusal).toContain('YISHI_ALLOW_DEMO_ACCOUNTS=1');
		expect(outcome.refusal).toContain('Refusing to start');
	});

	it('starts with demo accounts when explicitly allowed, and once their passwords are changed', async () => {
		await seedDemoIfEmpty(database);
		const allowed = await applyStartupPolicy(database, { ...production, allowDemoAccounts: true });
		expect(allowed).toMatchObject({ start: true, seeded: null, setup: null });
		if (allowed.start) expect(allowed.demoAccountsAllowed).toContain('admin');
		const changed = await hashPassword('a new secret nobody knows');
		await database.write((tx) => tx.update(users).set({ passwordHash: changed }).where(eq(users.isDemo, true)));
		expect(await openDemoAccounts(database)).toEqual([]);
		expect((await applyStartupPolicy(database, production)).start).toBe(true);
	});
});

describe('setup link', () => {
	it('creates the first administrator once; the link then says the system is set up', async () => {
		const outcome = await applyStartupPolicy(database, production);
		const token = tokenOf(outcome.start ? outcome.setup!.link : '');
		const { userId } = await completeSetup(database, token, { ...admin, confirm: admin.password });
		expect((await loadActor(database, userId)).grants).toEqual([{ role: 'admin', scopeId: null }]);
		expect(await setupState(database, token)).toBe('done');
		await expect(completeSetup(database, token, { ...admin, login: 'second' })).rejects.toThrow(RuleBroken);
		const again = await applyStartupPolicy(database, production);
		expect(again.start && again.setup).toBeNull();
		const trail = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, userId));
		expect(trail.map((r) => r.action)).toEqual(['role.grant']);
	});

	it('a link expires after 24 hours, and a newer link replaces an older one', async () => {
		let now = Date.parse('2026-12-07T08:00:00+08:00');
		vi.spyOn(clock, 'now').mockImplementation(() => now);
		const first = await applyStartupPolicy(database, production);
		const second = await applyStartupPolicy(database, production);
		const old = tokenOf(first.start ? first.setup!.link : '');
		const fresh = tokenOf(second.start ? second.setup!.link : '');
		expect(await setupState(database, old)).toBe('bad_link');
		await expect(completeSetup(database, old, admin)).rejects.toThrow('设置链接已失效');
		now += SETUP_TOKEN_TTL_MS;
		expect(await setupState(database, fresh)).toBe('bad_link');
		await expect(completeSetup(database, fresh, admin)).rejects.toThrow('设置链接已失效');
		expect(await administratorExists(database)).toBe(false);
		expect(await setupState(database, 'made-up')).toBe('bad_link');
		expect(await setupState(database, null)).toBe('bad_link');
	});

	it('asks for a strong password, matching confirmation and a valid login, and keeps the link', async () => {
		const outcome = await applyStartupPolicy(database, production);
		const token = tokenOf(outcome.start ? outcome.setup!.link : '');
		const problem = async (input: Parameters<typeof completeSetup>[2]) => {
			const e = await completeSetup(database, token, input).catch((e: unknown) => e);
			expect(e).toBeInstanceOf(InvalidInput);
			return (e as InvalidInput).fields;
		};
		expect((await problem({ ...admin, password: 'short1' })).password).toContain('至少 12 位');
		expect((await problem({ ...admin, password: 'juwei_it-2026-ok' })).password).toContain('不能包含账号');
		expect((await problem({ ...admin, confirm: 'something else' })).confirm).toContain('不一样');
		expect((await problem({ ...admin, login: '!' })).login).toBeTruthy();
		expect(await setupState(database, token)).toBe('open');
	});

	it('the admin command creates further administrators without a link', async () => {
		await createAdministrator(database, admin);
		await createAdministrator(database, { ...admin, login: '13900139000' });
		expect(await administratorExists(database)).toBe(true);
		await expect(createAdministrator(database, admin)).rejects.toThrow('已经注册过了');
	});
});
