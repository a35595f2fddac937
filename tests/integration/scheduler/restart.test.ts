import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../../src/lib/server/db/schema/index.ts';
import { castElectronicBallot, loadBallot } from '../../../src/lib/server/voting/index.ts';
import type { PassReport } from '../../../src/lib/server/scheduler/scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { ALL_YES, DAY, fakeTime, newCompound, newOpenBallot, newOwner, newStaff } from '../voting/factories.ts';

let database: TestDatabase;
const children: ChildProcess[] = [];
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	database.destroy();
	vi.restoreAllMocks();
});

/** Points the child processes' clock at `ms` (the clock file holds an offset from the real time). */
function setChildClock(file: string, ms: number): void {
	writeFileSync(file, String(ms - Date.now()));
}

/** Starts a scheduler process and resolves with it once it has finished `passes` passes, with their reports. */
function startScheduler(dbPath: string, clockFile: string, passes = 2): Promise<{ child: ChildProcess; reports: PassReport[] }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/scheduler/fixtures/scheduler-process.ts', dbPath], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, YISHI_TEST_CLOCK_FILE: clockFile }
	});
	children.push(child);
	const reports: PassReport[] = [];
	let stderr = '';
	let buffer = '';
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			buffer += chunk;
			const lines = buffer.split('\n');
			buffer = lines.pop()!;
			for (const line of lines) if (line.startsWith('PASS ')) reports.push(JSON.parse(line.slice(5)) as PassReport);
			if (reports.length >= passes) resolve({ child, reports });
		});
		child.on('exit', (code) => reject(new Error(`scheduler exited (${code}) after ${reports.length} passes: ${stderr}`)));
	});
}

function killed(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

describe('the scheduler across a kill and a restart', () => {
	it(
		'a ballot whose close passed while no server ran closes once at restart, with its true ' + 'close time; two processes, one close',
		async () => {
			const time = fakeTime();
			const compound = await newCompound(database, { units: 4 });
			const committee = await newStaff(database, 'owners_committee', compound.compoundId);
			const { ballotId, closesAt } = await newOpenBallot(database, time, committee.actor, [compound]);
			const owner = await newOwner(database, compound);
			await castElectronicBallot(database, owner.actor, { ballotId, choices: ALL_YES });
			const clockFile = join(database.dir, 'clock-offset');

			// Running an hour before the close: nothing to do. Then the process is killed.
			setChildClock(clockFile, closesAt - 3600_000);
			const first = await startScheduler(database.path, clockFile);
			expect(first.reports.flatMap((r) => r.closed)).toEqual([]);
			await killed(first.child);
			expect((await loadBallot(database.db, ballotId)).closedAt).toBeNull();

			// Down across the close; restarted two days later as two app processes at once.
			setChildClock(clockFile, closesAt + 2 * DAY);
			const [a, b] = await Promise.all([startScheduler(database.path, clockFile, 3), startScheduler(database.path, clockFile, 3)]);
			await Promise.all([killed(a.child), killed(b.child)]);
			const closed = [...a.reports, ...b.reports].flatMap((r) => r.closed);
			expect(closed).toEqual([{ ballotId, closedAt: closesAt }]);
			expect([...a.reports, ...b.reports].flatMap((r) => r.problems)).toEqual([]);

			const ballot = await loadBallot(database.db, ballotId);
			expect([ballot.closedAt, ballot.closedBy, ballot.closeDelayReason]).toEqual([closesAt, null, null]);
			const closes = await database.db
				.select()
				.from(auditLog)
				.where(and(eq(auditLog.action, 'ballot.close'), eq(auditLog.subjectId, ballotId)));
			expect(closes).toHaveLength(1);
		}
	);
});
