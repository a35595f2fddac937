import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The roster core and the demo generator run in the browser too: no Node built-ins, no randomness, no clock. */
describe('pure domain folders', () => {
	for (const folder of ['roster', 'demo', 'auth']) {
		const dir = new URL(`../../../src/lib/domain/${folder}/`, import.meta.url);
		for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') || name.endsWith('.js'))) {
			it(`${folder}/${file} uses no node:, Math.random or Date.now`, () => {
				const source = readFileSync(new URL(file, dir), 'utf8');
				expect(source).not.toMatch(/from ['"]node:|require\(|Math\.random|Date\.now|new Date\(\)/);
			});
		}
	}
});
