/**
 * Writes tests/bench/REPORT.md. Each bench returns one Section; a run of some benches only
 * (`npm run bench -- tally`) replaces those sections and keeps the others from the previous
 * report, each still marked with the date it was measured on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machineMarkdown, type MachineInfo } from './machine.ts';

export interface Section {
	id: string;
	title: string;
	/** Markdown body. */
	body: string;
	/** Headline lines for the summary table: [figure, value, target/verdict]. */
	summary: [string, string, string][];
}

export const BENCH_ORDER = ['ballots', 'tally', 'collab', 'pages', 'flow', 'cluster'] as const;
export type BenchName = (typeof BENCH_ORDER)[number];

/** A bench (or part of one) that could not run: says why, never shows a number. */
export function notMeasured(reason: string): string {
	return `**not measured:** ${reason}`;
}

export function table(header: string[], rows: (string | number)[][]): string {
	const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const START = (id: string) => `<!-- section:${id} -->`;
const END = (id: string) => `<!-- /section:${id} -->`;

function parsePrevious(path: string): Map<string, string> {
	const found = new Map<string, string>();
	if (!existsSync(path)) return found;
	const text = readFileSync(path, 'utf8');
	for (const id of [...BENCH_ORDER, NOTES_ID]) {
		const a = text.indexOf(START(id));
		const b = text.indexOf(END(id));
		if (a >= 0 && b > a) found.set(id, text.slice(a, b + END(id).length));
	}
	return found;
}

function renderSection(section: Section, date: string): string {
	const summary = section.summary.length > 0 ? `\n\n${table(['figure', 'value', 'target / check'], section.summary)}` : '';
	return `${START(section.id)}\n## ${section.title}\n\n_Measured ${date}._${summary}\n\n${section.body.trim()}\n${END(section.id)}`;
}

/** The section for hand-written notes; kept as it is by every run. */
export const NOTES_ID = 'notes';

export function writeReport(path: string, machine: MachineInfo, sections: Section[], totalSeconds: number, command: string): void {
	const previous = parsePrevious(path);
	const fresh = new Map(sections.map((s) => [s.id, renderSection(s, machine.date)]));
	const parts: string[] = [];
	for (const id of BENCH_ORDER) {
		const text = fresh.get(id) ?? previous.get(id);
		if (text) parts.push(text);
	}
	// Hand-written notes (what changed between runs, and why) live in a section no bench writes.
	const notes = previous.get(NOTES_ID);
	if (notes) parts.push(notes);
	const kept = BENCH_ORDER.filter((id) => !fresh.has(id) && previous.has(id));
	const header = [
		'# Yishi benchmark report',
		'',
		'Written by `npm run bench` (tests/bench/run.ts); do not edit by hand. Every comparison is a',
		'ratio against a baseline measured in the same run on the same machine; every server listens',
		'on 127.0.0.1 only and the load generators run in the bench process. Figures that could not be',
		'measured say so and why — there are no placeholder numbers.',
		'',
		'## Machine',
		'',
		machineMarkdown(machine),
		'',
		`Last run: \`${command}\`, ${totalSeconds.toFixed(0)} s.` +
			(kept.length > 0 ? ` Sections kept from an earlier run (see their dates): ${kept.join(', ')}.` : '')
	].join('\n');
	writeFileSync(path, `${header}\n\n${parts.join('\n\n')}\n`);
}
