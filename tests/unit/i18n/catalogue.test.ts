/**
 * The English catalogue is complete (issue #14, part 5): every message of every area exists in both
 * languages with the same placeholders, and no English message carries Chinese except a legal term
 * kept beside its English name in brackets, e.g. "owners' committee (业委会)".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chineseOutsideGlosses } from '../../helpers/english.ts';

const root = join(import.meta.dirname, '../../../src/lib/i18n');
const settings = JSON.parse(readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'));
const locales: string[] = settings.locales;
const patterns: string[] = settings['plugin.inlang.messageFormat'].pathPattern;

type Catalogue = Record<string, string>;
function read(pattern: string, locale: string): Catalogue {
	const raw = JSON.parse(readFileSync(join(root, pattern.replace('{locale}', locale)), 'utf8'));
	delete raw.$schema;
	return raw;
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
	it('name every area file in the settings, and no other', () => {
		const files = readdirSync(join(root, 'messages', settings.baseLocale)).map((f) => `./messages/{locale}/${f}`);
		expect(files.sort()).toEqual([...patterns].sort());
	});

	for (const pattern of patterns) {
		describe(pattern, () => {
			const base = read(pattern, settings.baseLocale);
			for (const locale of locales.filter((l) => l !== settings.baseLocale)) {
				it(`${locale} has every key of ${settings.baseLocale}, and no other`, () => {
					const other = read(pattern, locale);
					expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
				});
				it(`${locale} keeps every placeholder and has no empty message`, () => {
					const other = read(pattern, locale);
					const wrong = Object.keys(base).filter(
						(key) => other[key] !== undefined && placeholders(other[key]).join() !== placeholders(base[key]).join()
					);
					expect(wrong).toEqual([]);
					expect(Object.keys(other).filter((key) => typeof other[key] !== 'string' || other[key].trim() === '')).toEqual([]);
				});
				if (locale === 'en') {
					it('English has no Chinese outside a bracketed legal term', () => {
						const other = read(pattern, locale);
						const found = Object.entries(other)
							.filter(([, text]) => chineseOutsideGlosses(text).length > 0)
							.map(([key, text]) => `${key}: ${text}`);
						expect(found).toEqual([]);
					});
				}
			}
		});
	}

	it('keys are unique across areas', () => {
		const seen = new Map<string, string>();
		const clashes: string[] = [];
		for (const pattern of patterns) {
			for (const key of Object.keys(read(pattern, settings.baseLocale))) {
				if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${pattern}`);
				seen.set(key, pattern);
			}
		}
		expect(clashes).toEqual([]);
	});
});
