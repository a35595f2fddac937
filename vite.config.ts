import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { collabDevServer } from './src/lib/server/collab/vite-plugin.ts';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { paraglideOptions } from './src/lib/i18n/options.js';
import { splitWords } from './src/lib/i18n/vite-words.ts';

export default defineConfig(({ command }) => ({
	// Paraglide first: it compiles src/lib/i18n/messages into src/lib/paraglide before SvelteKit reads the code.
	// splitWords (build only): the browser gets each message in the reader's language only (issue #14;
	// src/lib/i18n/vite-words.ts), which needs one module per message. `vite dev` keeps Paraglide's per-language
	// modules and its real functions in the browser (fewer files to serve; the weight only matters when built).
	plugins: [
		paraglideVitePlugin({ ...paraglideOptions, outputStructure: command === 'build' ? 'message-modules' : 'locale-modules' }),
		splitWords(),
		sveltekit(),
		collabDevServer()
	],
	build: {
		// The browser floor (issue #14): Android WeChat's XWEB (Chrome 89) and iOS WeChat (WKWebView, iOS 15).
		// Syntax is lowered to it here; APIs newer than it come from src/lib/polyfills.ts.
		// tests/unit/build-syntax.test.ts checks every emitted client file against this floor.
		target: ['chrome89', 'safari15'],
		// Vite's preload list names every chunk of every page in the entry every page loads (1.5 KB gzip of file
		// hashes). SvelteKit already preloads a page's scripts in its HTML and when a link is tapped; dynamic
		// imports keep preloading their stylesheets (issue #14: the ballot page ≤ 50 KB gzip).
		modulePreload: false
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node',
					// Pure tests are quick on an idle machine; CI shares its two cores with builds and browsers.
					testTimeout: 30_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/e2e/global-setup.ts'],
					// One browser and one server on a 2-core machine: files run one after another.
					fileParallelism: false,
					// expect.poll waits for an event; on a loaded machine a page can take seconds to answer.
					expect: { poll: { timeout: 30_000 } },
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'fuzz',
					include: ['tests/fuzz/**/*.test.ts'],
					environment: 'node',
					// The same real built server as the browser tests, started the same way.
					globalSetup: ['tests/e2e/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 180_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					// The production entry, nginx in front of it, backups: needs `npm run build`.
					name: 'deploy',
					include: ['tests/deploy/**/*.test.ts'],
					environment: 'node',
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			}
		]
	}
}));
