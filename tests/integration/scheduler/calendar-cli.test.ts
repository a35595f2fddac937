/** `npm run admin -- calendar-import / calendar-list`, spawned as tsx runs it, on a temp database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir = '';
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'yishi-calendar-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(args: string[]): Promise<{ code: number; out: string; err: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
			env: { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}` },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
	});
}

describe('npm run admin -- calendar-…', () => {
	it('imports a year from a file, lists the years, and refuses a bad file with the line', async () => {
		const good = join(dir, 'year.txt');
		// An invented year for the test, not a State Council notice.
		writeFileSync(good, '来源：测试用安排（非真实通知）\n2027-10-01..2027-10-07 休 国庆节\n2027-10-09 班 国庆节调休上班\n');
		const imported = await admin(['calendar-import', '--year', '2027', '--file', good]);
		expect(imported.code).toBe(0);
		expect(imported.out).toContain('8 天 days');
		const list = await admin(['calendar-list']);
		expect(list.out).toMatch(/2027 {2}2027-[0-9a-f]{12} {2}放假 7 天/);
		expect(list.out).toContain('国办发明电〔2024〕12号');
		const bad = join(dir, 'bad.txt');
		writeFileSync(bad, '来源：x\n2027-10-08 班 调休\n');
		const refused = await admin(['calendar-import', '--year', '2027', '--file', bad]);
		expect(refused.code).toBe(1);
		expect(refused.err).toContain('第 2 行：2027-10-08 本来就是工作日');
	}, 120_000);
});
