import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Irreversible steps ask on the page, in a second step that works without JavaScript (结束计票,
 * 发布公示, 结束征询). A browser dialog does neither: WeChat shows it with the page's address as
 * its title, an elderly person dismisses it by reflex, and without JavaScript it never appears.
 */
function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|js|svelte)$/.test(name) ? [path] : [];
	});
}

const DIALOG_CALL = /(?<![\w.$])(?:window\.)?(?:confirm|alert|prompt)\s*\(/;

describe('no browser dialogs', () => {
	it('the pattern finds the calls it is meant to find, and not methods or longer names', () => {
		expect(DIALOG_CALL.test(`onclick={(e) => { if (!confirm('确定吗？')) e.preventDefault(); }}`)).toBe(true);
		expect(DIALOG_CALL.test('window.alert("x")')).toBe(true);
		expect(DIALOG_CALL.test('prompt ("名字")')).toBe(true);
		expect(DIALOG_CALL.test('await session.confirm(id)')).toBe(false);
		expect(DIALOG_CALL.test('confirmChange(db, actor)')).toBe(false);
		expect(DIALOG_CALL.test('const needsConfirm = x;')).toBe(false);
	});

	it('no confirm(), alert() or prompt() anywhere in src', () => {
		const found = sourceFiles('src').flatMap((file) =>
			readFileSync(file, 'utf8')
				.split('\n')
				.flatMap((line, i) => (DIALOG_CALL.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []))
		);
		expect(found).toEqual([]);
	});
});
