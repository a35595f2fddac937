// ESLint for the whole tree (issue #18, STYLE.md guideline 15). Prettier owns the layout (eslint-config-prettier
// turns the rules it decides off); `max-len` is switched back on after it, because Prettier cannot break a long
// string, comment or text in markup. Not type-aware, so `npm run lint` stays quick on a 2-core machine.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
	globalIgnores([
		'**/build/',
		'**/.svelte-kit/',
		'data/',
		'drizzle/',
		'test-results/',
		'tests/e2e/artifacts/',
		'tests/e2e/.build-*/',
		'tests/bench/tmp/',
		'tests/screens/out/',
		// Compiled by Paraglide from src/lib/i18n/messages.
		'src/lib/paraglide/'
	]),
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	prettier,
	svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript and svelte-check already report undefined names, with the types' knowledge.
			'no-undef': 'off',
			// A leading underscore marks a name left unused on purpose (a column dropped by destructuring, an argument kept
			// for its position).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			// The site is served at the root (no kit.paths.base): links are plain paths, and resolve() would only wrap them.
			'svelte/no-navigation-without-resolve': 'off',
			// Sanitisers match control characters on purpose (a scheme hidden as "java\tscript:").
			'no-control-regex': 'off',
			'max-len': ['error', { code: 140, tabWidth: 4, ignoreUrls: true }]
		}
	},
	{
		files: ['tests/**'],
		// Tests break documents into shapes that no type allows, to see them refused.
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		files: ['src/routes/drafts/*/*/versions/+page.svelte'],
		// The one {@html}: the diff HTML built and escaped by domain/drafting/diff.ts (see the comment at it).
		rules: { 'svelte/no-at-html-tags': 'off' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
		rules: {
			// Chinese text in markup is spaced with the ideographic space U+3000 on purpose (letters, notices, lists).
			'no-irregular-whitespace': 'off'
		}
	}
);
