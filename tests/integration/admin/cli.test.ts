/**
 * The admin command for headless setups, spawned as `npm run admin` would run it (tsx), on a temp
 * database: the same services as /setup and /admin, Chinese+English messages and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import { auditLog, orgNodes, roleGrants, users } from '../../../src/lib/server/db/schema/index.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { verifyPassword } from '../../../src/lib/server/auth/passwords.ts';
import { eq } from 'drizzle-orm';

let dir = '';
let url = '';
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'yishi-cli-'));
	url = `file:${join(dir, 'admin.db')}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
			env: { ...process.env, DATABASE_URL: url, ORIGIN: 'https://yishi.example.org' },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
		child.stdin.end(stdin);
	});
}

async function withDatabase<T>(read: (database: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
	const database = openDatabase(url);
	try {
		return await read(database);
	} finally {
		database.close();
	}
}

describe('npm run admin', () => {
	it('prints help in Chinese and English, and exit code 2 for a usage error', async () => {
		const help = await admin(['help']);
		expect(help.code).toBe(0);
		expect(help.out).toContain('用法 / usage');
		expect(help.out).toContain('add-node');
		const unknown = await admin(['make-coffee']);
		expect(unknown.code).toBe(2);
		expect(unknown.err).toContain('未知命令 / unknown command');
		const missing = await admin(['add-node', '--kind', '街道']);
		expect(missing.code).toBe(2);
		expect(missing.err).toContain('--name');
	});

	it('sets up an installation: setup link, administrator, tree, a 业委会 member with a term, lists', async () => {
		const link = await admin(['setup-link']);
		expect(link.code).toBe(0);
		expect(link.out).toMatch(/^https:\/\/yishi\.example\.org\/setup\?t=[a-z2-7]+$/m);

		const weak = await admin(['create-admin', '--login', 'it_volunteer'], 'short\n');
		expect(weak.code).toBe(1);
		expect(weak.err).toContain('至少 12 位');
		const created = await admin(['create-admin', '--login', 'it_volunteer', '--name', '居委小王'], 'a long enough secret\n');
		expect(created.code).toBe(0);
		expect((await admin(['setup-link'])).code).toBe(1);

		expect((await admin(['add-node', '--kind', '街道', '--name', '新华街道'])).code).toBe(0);
		expect((await admin(['add-node', '--kind', 'cluster', '--parent', '新华街道', '--name', '第一片区'])).code).toBe(0);
		expect((await admin(['add-node', '--kind', '居委', '--parent', '第一片区', '--name', '幸福居民区'])).code).toBe(0);
		const compound = await admin(['add-node', '--kind', '小区', '--parent', '幸福居民区', '--name', '幸福小区']);
		expect(compound.code).toBe(0);
		const compoundId = compound.out.trim();
		const wrong = await admin(['add-node', '--kind', '楼栋', '--parent', '幸福居民区', '--name', '1号楼']);
		expect(wrong.code).toBe(1);
		expect(wrong.err).toContain('楼栋只能放在小区下面');

		const member = await withDatabase(async (database) => {
			await database.write((tx) =>
				tx.insert(users).values({ id: 'member1', login: '13800138000', displayName: '李阿姨', passwordHash: 'x', createdAt: 1 })
			);
			return 'member1';
		});
		const noTerm = await admin(['grant', '--login', '13800138000', '--role', 'owners_committee', '--scope', '幸福小区']);
		expect(noTerm.code).toBe(1);
		expect(noTerm.err).toContain('任期');
		const granted = await admin([
			'grant',
			'--login',
			'13800138000',
			'--role',
			'owners_committee',
			'--scope',
			'幸福小区',
			'--from',
			'2026-01-01',
			'--to',
			'2028-12-31'
		]);
		expect(granted.code).toBe(0);

		const tree = await admin(['list-tree']);
		expect(tree.out).toContain('街道 新华街道');
		expect(tree.out).toContain('      小区 幸福小区');
		const grants = await admin(['list-grants']);
		expect(grants.out).toContain('13800138000');
		expect(grants.out).toContain('2026-01-01 ~ 2028-12-31');

		await withDatabase(async (database) => {
			const [it] = await database.db.select().from(users).where(eq(users.login, 'it_volunteer'));
			expect(await verifyPassword(it.passwordHash, 'a long enough secret')).toBe(true);
			expect((await loadActor(database, it.id)).grants).toEqual([{ role: 'admin', scopeId: null }]);
			const [grant] = await database.db.select().from(roleGrants).where(eq(roleGrants.userId, member));
			expect(grant).toMatchObject({ role: 'owners_committee', scopeId: compoundId, grantedBy: 'cli' });
			const actions = (await database.db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);
			expect(actions.filter((a) => a === 'node.create')).toHaveLength(4);
			expect(actions).toContain('role.grant');
		});

		const revoked = await admin([
			'revoke',
			'--grant',
			(await withDatabase((d) => d.db.select().from(roleGrants).where(eq(roleGrants.userId, member))))[0].id
		]);
		expect(revoked.code).toBe(0);
		const archived = await admin(['archive-node', '--node', '幸福小区']);
		expect(archived.code).toBe(0);
		expect((await admin(['list-tree'])).out).not.toContain('幸福小区');
		expect((await admin(['list-tree', '--all'])).out).toContain('已停用');
		await withDatabase(async (database) => {
			const [row] = await database.db.select().from(orgNodes).where(eq(orgNodes.id, compoundId));
			expect(row.archivedAt).not.toBeNull();
		});
	}, 300_000); // about twenty spawns of tsx: generous on a loaded machine
});
