/** The recount command end to end: spawns `npx tsx src/cli/recount.ts` as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countedRows, inclusionProofs } from '../../../src/lib/domain/records/index.ts';
import { parseExport, type VoteExport } from '../../../src/lib/domain/voting/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(root, 'tests/unit/voting/fixtures');

function recount(file: string, ...more: string[]) {
	const run = spawnSync('npx', ['tsx', 'src/cli/recount.ts', file, ...more], { cwd: root, encoding: 'utf8', timeout: 60_000 });
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('recount command', { timeout: 60_000 }, () => {
	it('a good export: prints the tables and the joint result, says it matches, exits 0', () => {
		const run = recount(join(fixtures, 'gate-major.json'));
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('重大事项 (民法典第二百七十八条第一款第六至八项)');
		expect(run.stdout).toContain('事项 B：方案B');
		expect(run.stdout).toContain('爱建小区 (aijian)：通过');
		expect(run.stdout).toContain('虹桥小区 (hongqiao)：未通过');
		expect(run.stdout).toContain('联合结果：未通过（未通过：虹桥小区）');
		expect(run.stdout).toContain('2,778.95㎡ / 4,281.68㎡ = 64.90%，要求 ≥ 3/4：未达到');
		expect(run.stdout).toContain('复核一致 / recount matches');
	});

	it('a tampered stated figure: lists the disagreement and exits 1', () => {
		const run = recount(join(fixtures, 'gate-tampered-result.json'));
		expect(run.status).toBe(1);
		expect(run.stdout).toContain('result.motions[1](B).compounds[1](hongqiao).yes.areaHundredths');
		expect(run.stdout).toContain('stated 327895');
		expect(run.stdout).toContain('recomputed 277895');
		expect(run.stdout).not.toContain('复核一致');
	});

	it('a tampered ballot: exits 1', () => {
		const run = recount(join(fixtures, 'gate-tampered-ballot.json'));
		expect(run.status).toBe(1);
		expect(run.stdout).toContain('复核不一致 / recount DISAGREES');
	});

	it('advisory and residents’ meeting exports recount too', () => {
		const advisory = recount(join(fixtures, 'gate-advisory.json'));
		expect(advisory.status).toBe(0);
		expect(advisory.stdout).toContain('合并统计（咨询性，不具法律效力）');
		const meeting = recount(join(fixtures, 'residents-meeting.json'));
		expect(meeting.status).toBe(0);
		expect(meeting.stdout).toContain('到会人数占应到人数');
	});

	it('a malformed export: explains in both languages and exits 2', () => {
		const run = recount(join(fixtures, 'malformed.json'));
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('不支持的版本');
		expect(run.stderr).toContain('unsupported version');
	});

	it('not JSON, or no such file: exits 2', () => {
		const dir = mkdtempSync(join(tmpdir(), 'yishi-recount-'));
		const broken = join(dir, 'broken.json');
		writeFileSync(broken, '{"format": "yishi-vote-export",');
		expect(recount(broken).status).toBe(2);
		expect(recount(join(dir, 'missing.json')).status).toBe(2);
	});

	it('--proof: an owner’s receipt is checked against the export; a receipt with a changed choice exits 1', () => {
		const text = readFileSync(join(fixtures, 'gate-major.json'), 'utf8');
		const doc = (parseExport(text) as { ok: true; doc: VoteExport }).doc;
		const row = countedRows(doc)[5];
		const dir = mkdtempSync(join(tmpdir(), 'yishi-proof-'));
		const receipt = { recordId: 'rec', proofs: inclusionProofs(doc, 'rec', new Set([row.unitId])) };
		writeFileSync(join(dir, 'receipt.json'), JSON.stringify(receipt));
		const good = recount(join(fixtures, 'gate-major.json'), '--proof', join(dir, 'receipt.json'));
		expect(good.status).toBe(0);
		expect(good.stdout).toContain(`已计入 / counted: ${row.unitId} · ${row.motionId}`);
		expect(good.stdout).toContain('复核一致 / recount matches');
		const forged = { ...receipt.proofs[0], row: { ...row, choice: row.choice === 'yes' ? 'no' : 'yes' } };
		writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
		const bad = recount(join(fixtures, 'gate-major.json'), '--proof', join(dir, 'forged.json'));
		expect(bad.status).toBe(1);
		expect(bad.stdout).toContain('回执不符 / receipt DOES NOT verify');
	});
});
