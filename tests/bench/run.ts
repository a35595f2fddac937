/**
 * Runs the benchmarks and writes tests/bench/REPORT.md.
 *
 *   npm run bench                 every bench
 *   npm run bench -- tally pages  only those (the other sections of REPORT.md are kept)
 *
 * A bench whose feature does not exist yet reports "not measured: <reason>". A bench that
 * throws (a wrong final text, a double count, an error) is recorded as FAILED and the run
 * exits non-zero: a failed check never turns into a number.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { describeMachine } from './machine.ts';
import { BENCH_ORDER, writeReport, type BenchName, type Section } from './report.ts';

const TITLES: Record<BenchName, string> = {
	ballots: '1. Ballots',
	tally: '2. Tally',
	collab: '3. Collaboration (/collab)',
	pages: '4. Pages',
	flow: '5. The vote as a browser casts it',
	cluster: '6. Several app processes (Redis)'
};

async function runOne(name: BenchName, log: (s: string) => void): Promise<Section> {
	switch (name) {
		case 'ballots':
			return (await import('./ballots.ts')).runBallots(log);
		case 'tally':
			return (await import('./tally.ts')).runTally(log);
		case 'collab':
			return (await import('./collab.ts')).runCollab(log);
		case 'pages':
			return (await import('./pages.ts')).runPages(log);
		case 'flow':
			return (await import('./flow.ts')).runFlow(log);
		case 'cluster':
			return (await import('./cluster.ts')).runCluster(log);
	}
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = args.filter((a) => !(BENCH_ORDER as readonly string[]).includes(a));
if (unknown.length > 0) {
	console.error(`unknown bench: ${unknown.join(', ')} (known: ${BENCH_ORDER.join(', ')})`);
	process.exit(2);
}
const selected: BenchName[] = args.length > 0 ? BENCH_ORDER.filter((n) => args.includes(n)) : [...BENCH_ORDER];
const machine = describeMachine();
const started = performance.now();
const sections: Section[] = [];
let failed = false;
for (const name of selected) {
	const t0 = performance.now();
	console.log(`▶ ${name}`);
	const loadBefore = loadavg()[0];
	try {
		const section = await runOne(name, (s) => console.log(s));
		section.body +=
			`\n\n_Load average (1 min) on this ${describeMachine().cores}-core machine before / after ` +
			`this bench: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)} — anything above ~0 ` +
			`means other work shared the cores._`;
		sections.push(section);
		console.log(`✔ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
	} catch (error) {
		failed = true;
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		console.error(`✘ ${name}: ${message}`);
		sections.push({
			id: name,
			title: TITLES[name],
			summary: [[name, 'FAILED', 'see below']],
			body: `**FAILED** — the bench threw; no figures are reported for it.\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\``
		});
	}
}
const seconds = (performance.now() - started) / 1000;
const path = join(import.meta.dirname, 'REPORT.md');
writeReport(path, machine, sections, seconds, `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`);
console.log(`report: ${path} (${seconds.toFixed(0)} s)`);
// Child servers are stopped by each bench; stray handles (sockets in teardown) must not keep us alive.
process.exit(failed ? 1 : 0);
