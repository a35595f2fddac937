import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/lib/server/db/client.ts';

describe('kill -9 in the middle of voting', () => {
	it('keeps every acknowledged ballot whole and writes nothing half', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'yishi-kill-vote-'));
		const path = join(dir, 'kill.db');
		const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/faults/fixtures/voting-server.ts', path], {
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const acked: string[] = [];
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		let buffer = '';
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (chunk) => {
				buffer += chunk;
				const lines = buffer.split('\n');
				buffer = lines.pop()!;
				for (const line of lines) if (line.startsWith('ACK ')) acked.push(line.slice(4));
				// Kill in full flight: well after the start, well before the end.
				if (acked.length >= 300 && child.exitCode === null && !child.killed) {
					child.kill('SIGKILL');
				}
			});
			child.on('exit', () => resolve());
			child.on('error', reject);
			setTimeout(() => reject(new Error(`no kill within 60 s; stderr: ${stderr}`)), 60_000);
		});
		expect(acked.length).toBeGreaterThanOrEqual(300);

		const database = openDatabase(`file:${path}`);
		try {
			const counted = await database.client.execute('SELECT unit_id, count(*) AS n FROM counted_votes GROUP BY unit_id');
			const perUnit = new Map(counted.rows.map((r) => [String(r.unit_id), Number(r.n)]));
			// Every acknowledged ballot is there, with both motions.
			for (const unitId of acked) expect(perUnit.get(unitId), unitId).toBe(2);
			// Nothing half-written: no unit has one motion without the other.
			for (const [unitId, n] of perUnit) expect(n, unitId).toBe(2);
			const submissions = await database.client.execute('SELECT count(*) AS n FROM electronic_submissions');
			expect(Number(submissions.rows[0].n)).toBe(perUnit.size);
			const integrity = await database.client.execute('PRAGMA integrity_check');
			expect(integrity.rows[0][0]).toBe('ok');
		} finally {
			database.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
