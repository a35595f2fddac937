/**
 * One "app process" of the service-level ballot bench: opens the bench database with the app's
 * own client (its own write queue, as each app process has), waits for the common start time, then
 * lets each of its voters cast twice concurrently through castElectronicBallot. Prints one JSON line.
 *
 *   argv: <job.json>   { url, ballotId, voters: string[], startAt, choices: [A, B][] }
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import { loadActor } from '../../../src/lib/server/access.ts';
import { castElectronicBallot } from '../../../src/lib/server/voting/index.ts';
import { sleep } from '../stats.ts';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as {
	url: string;
	ballotId: string;
	voters: string[];
	startAt: number;
	submissions: number;
};
const database = openDatabase(job.url);
const actors = await Promise.all(job.voters.map((id) => loadActor(database, id)));
const choices = ['yes', 'no', 'abstain'];
const latencies: number[] = [];
const errors: string[] = [];
let replaced = 0;
// Every worker starts at the same moment, so their casts meet in the write queue.
await sleep(Math.max(0, job.startAt - Date.now()));
const started = performance.now();
await Promise.all(
	actors.map(async (actor, v) => {
		for (let k = 0; k < job.submissions; k++) {
			const t0 = performance.now();
			try {
				const receipt = await castElectronicBallot(database, actor, {
					ballotId: job.ballotId,
					choices: { A: choices[(v + k) % 3], B: choices[(v * 7 + k) % 3] }
				});
				if (receipt.replaced) replaced++;
				latencies.push(performance.now() - t0);
			} catch (error) {
				errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
			}
		}
	})
);
const elapsedMs = performance.now() - started;
database.close();
process.stdout.write(JSON.stringify({ latencies, errors, replaced, elapsedMs, startedAtEpoch: job.startAt }) + '\n');
