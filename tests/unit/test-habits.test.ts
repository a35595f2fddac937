/**
 * Tests wait for events, not for time (STYLE.md guideline 16): a fixed sleep followed by "nothing
 * happened" passes on an idle machine and fails, or worse passes wrongly, on a loaded one. This
 * reads every source file under tests/ and fails on a timer-based wait outside the allow-list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TESTS = join(ROOT, 'tests');

/** Files that may wait on a timer, each with its reason. */
const ALLOWED: Record<string, string> = {
	'tests/helpers/wait.ts': 'the one timer of the tests: waitUntil looks again at a condition, pace spaces the rounds of a working loop',
	'tests/unit/test-habits.test.ts': 'names the forbidden patterns',
	'tests/deploy/smoke-prod.mjs':
		'runs under plain node against an installed release, so it cannot import the TypeScript helpers; it polls /healthz'
};

/** A timer used as a sleep: its callback only resolves a promise, or it comes from timers/promises. */
const SLEEPS: { pattern: RegExp; what: string }[] = [
	{ pattern: /\bwaitForTimeout\s*\(/, what: 'page.waitForTimeout' },
	{ pattern: /setTimeout\s*\(\s*(?:r|res|resolve|done|next)\s*,/, what: 'a bare setTimeout sleep' },
	{ pattern: /setTimeout\s*\(\s*\(\s*\)\s*=>\s*(?:r|res|resolve|done|next)\s*\(\s*\)\s*,/, what: 'a bare setTimeout sleep' },
	{ pattern: /from\s+['"](?:node:)?timers\/promises['"]/, what: 'a sleep from timers/promises' }
];

const SOURCE = /\.(?:ts|js|mjs|cjs|svelte)$/;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (entry.name === 'node_modules' || entry.name.startsWith('.build-') || entry.name === 'out') return [];
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return SOURCE.test(entry.name) ? [path] : [];
	});
}

/** Every timer-based sleep in `text`, as `line: what`. */
function findSleeps(text: string): string[] {
	const found: string[] = [];
	text.split('\n').forEach((line, i) => {
		for (const { pattern, what } of SLEEPS) if (pattern.test(line)) found.push(`${i + 1}: ${what}`);
	});
	return found;
}

/** A pause directly followed by an assertion: pace() is for working loops, never a wait before a check. */
function findPausedAssertions(text: string): string[] {
	const lines = text.split('\n');
	const found: string[] = [];
	lines.forEach((line, i) => {
		if (!/\bawait\s+(?:pace|sleep)\s*\(/.test(line)) return;
		const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('//'));
		if (next && /\bexpect\s*[.(]/.test(next)) found.push(`${i + 1}: a pause followed by an assertion`);
	});
	return found;
}

describe('test habits', () => {
	it('recognises the sleeps it forbids, and leaves deadlines and fake timers alone', () => {
		expect(findSleeps('\tawait page.waitForTimeout(100);')).toEqual(['1: page.waitForTimeout']);
		expect(findSleeps('await new Promise((r) => setTimeout(r, 300));')).toEqual(['1: a bare setTimeout sleep']);
		expect(findSleeps('await new Promise((resolve) => setTimeout(() => resolve(), 20));')).toEqual(['1: a bare setTimeout sleep']);
		expect(findSleeps("import { setTimeout as sleep } from 'node:timers/promises';")).toEqual(['1: a sleep from timers/promises']);
		expect(findSleeps("const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);")).toEqual([]);
		expect(findSleeps("setTimeout(() => reject(new Error('no kill within 60 s')), 60_000);")).toEqual([]);
		expect(findSleeps("vi.useFakeTimers({ toFake: ['setTimeout'] });")).toEqual([]);
		expect(findPausedAssertions('await pace(500);\n\n\texpect(seen).toEqual([]);')).toEqual(['1: a pause followed by an assertion']);
		expect(findPausedAssertions('await pace(20);\n}')).toEqual([]);
	});

	it('no test under tests/ waits on a timer outside the allow-list', () => {
		const offences = sourceFiles(TESTS).flatMap((path) => {
			const name = relative(ROOT, path);
			if (name in ALLOWED) return [];
			const text = readFileSync(path, 'utf8');
			return [...findSleeps(text), ...findPausedAssertions(text)].map((where) => `${name}:${where}`);
		});
		expect(offences, 'wait for an event (expect.poll, waitUntil, a log line, a reply) instead of for time').toEqual([]);
	});

	it('every allow-listed file exists and still needs its place', () => {
		for (const name of Object.keys(ALLOWED)) {
			const text = readFileSync(join(ROOT, name), 'utf8');
			expect(findSleeps(text).length, `${name} no longer sleeps: take it off the allow-list`).toBeGreaterThan(0);
		}
	});
});
