/**
 * Upgrading a database made by the previous release (tests/fixtures/upgrade/release-0.1.db:
 * migrations 0000–0006 and a little data written by that release's services) to today's schema:
 * every migration in drizzle/ applies, and the data reads back through today's code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, openDatabase, prepareDatabase, type Database } from '../../../src/lib/server/db/client.ts';
import {
	ballots,
	countedVotes,
	electronicSubmissions,
	memberships,
	orgNodes,
	units,
	users
} from '../../../src/lib/server/db/schema/index.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { checkHealth } from '../../../src/lib/server/ops/health.ts';

const FIXTURE = join(import.meta.dirname, '../../fixtures/upgrade/release-0.1.db');
let dir: string | null = null;
let database: Database | null = null;
afterEach(() => {
	database?.close();
	database = null;
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = null;
});

describe('upgrade from the previous release', () => {
	it('applies every migration in drizzle/ and keeps the users, compound, units, ballot and vote', async () => {
		dir = mkdtempSync(join(tmpdir(), 'yishi-upgrade-'));
		const path = join(dir, 'yishi.db');
		copyFileSync(FIXTURE, path);
		database = openDatabase(`file:${path}`);

		const before = await database.client.execute('SELECT count(*) AS n FROM __drizzle_migrations');
		expect(Number(before.rows[0].n)).toBe(7); // 0000–0006: the release the fixture stands for
		const stale = await checkHealth(database);
		const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;
		if (expected > 7) expect(stale).toMatchObject({ ok: false, migrations: { current: false } });

		await prepareDatabase(database);
		const after = await database.client.execute('SELECT count(*) AS n FROM __drizzle_migrations');
		expect(Number(after.rows[0].n)).toBe(expected);
		expect(await checkHealth(database)).toMatchObject({ ok: true, migrations: { current: true, applied: expected, expected } });
		expect(String((await database.client.execute('PRAGMA integrity_check')).rows[0][0])).toBe('ok');
		expect((await database.client.execute('PRAGMA foreign_key_check')).rows).toEqual([]);

		const db = database.db;
		const [owner] = await db.select().from(users).where(eq(users.login, 'upgrade_owner'));
		expect(owner).toMatchObject({ displayName: '升级测试业主' });
		expect(owner.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await db.select().from(users).where(eq(users.login, 'upgrade_ywh'))).toHaveLength(1);

		const [compound] = await db
			.select()
			.from(orgNodes)
			.where(and(eq(orgNodes.kind, 'compound'), eq(orgNodes.name, '升级测试小区')));
		expect(compound).toBeDefined();
		const rooms = await db.select({ room: units.room }).from(units).where(eq(units.compoundId, compound.id));
		expect(rooms.map((r) => r.room).sort()).toEqual(['101', '102', '201', '202']);

		const owned = await db.select().from(memberships).where(eq(memberships.userId, owner.id));
		expect(owned).toHaveLength(1);
		// Today's access code still sees the owner of that unit.
		const actor = await loadActor(database, owner.id);
		expect(JSON.stringify(actor)).toContain(owned[0].unitId);

		const [ballot] = await db.select().from(ballots).where(eq(ballots.title, '升级测试表决'));
		expect(ballot).toMatchObject({ ruleKind: 'ordinary', noticeDays: 15 });
		const votes = await db.select().from(countedVotes).where(eq(countedVotes.ballotId, ballot.id));
		expect(votes.map((v) => ({ motion: v.motionId, unit: v.unitId, choice: v.choice, channel: v.channel }))).toEqual([
			{ motion: 'A', unit: owned[0].unitId, choice: 'yes', channel: 'electronic' }
		]);
		const submissions = await db.select().from(electronicSubmissions).where(eq(electronicSubmissions.ballotId, ballot.id));
		expect(submissions).toHaveLength(1);
		expect(submissions[0].voterUserId).toBe(owner.id);
	});
});
