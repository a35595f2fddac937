/**
 * One language per reader in the browser bundle (issue #14: the ballot page ≤ 50 KB gzip of JS).
 *
 * 1. Client build only: every compiled message module (src/lib/paraglide/messages/<key>.js, which holds the
 *    Chinese AND the English function) becomes a lookup that asks ./words.ts for the word. Server code (SSR,
 *    Vitest) keeps Paraglide's real functions.
 * 2. After the client bundle is laid out, each page route gets the set of message keys its browser code can
 *    call: the static and dynamic import closure of its page node, of every layout and error node above it and
 *    of the entry chunks. The map is emitted as `_app/words.json`; the server (src/lib/server/words.ts) reads it
 *    and sends each page only those words, in the reader's language.
 *
 * Paraglide's own `experimentalMiddlewareLocaleSplitting` is not used: it requires an app without client-side
 * routing and builds every locale separately.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Plugin } from 'vite';

export const WORDS_MAP_FILE = '_app/words.json';

/** What the client build tells the server: the message keys each page route can call in the browser. */
export type WordsMap = {
	/** Route id (as SvelteKit's `route.id`; '' for a page without a route, e.g. a 404) → message keys. */
	routes: Record<string, string[]>;
	/** Routes whose browser code asks for a message in a named language (`{ locale: 'zh-CN' }`): they get both. */
	bothLocales: string[];
};

const RUNTIME_MODULE = /[\\/]src[\\/]lib[\\/]paraglide[\\/]runtime\.js$/;
const MESSAGE_MODULE = /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages[\\/]([A-Za-z0-9_]+)\.js$/;
const NODE_CHUNK = /[\\/]generated[\\/]client-optimized[\\/]nodes[\\/](\d+)\.js$/;
/** The route file a node module re-exports: `src/routes/vote/[id]/+page.svelte` → '/vote/[id]', 'page'. */
const ROUTE_FILE = /src\/routes((?:\/[^"'/]+)*)\/\+(page|layout|error)[^"'/]*\.(?:svelte|ts|js)["']/;
/** A message called in a named language, as it reads in a bundled chunk. */
const NAMED_LOCALE = /\blocale\s*:\s*["'`](?:zh-CN|en)["'`]/;

/** The lookup the browser gets for message `key`: same export, same call shape, one language at run time. */
export function messageLookup(key: string, wordsModule: string): string {
	const lookup = `export const ${key} = /* @__PURE__ */ message(${JSON.stringify(key)});`;
	return `import { message } from ${JSON.stringify(wordsModule)};\n${lookup}\n`;
}

/**
 * The browser's Paraglide runtime: the language is the one the page's words came in (Paraglide's runtime reads
 * cookies, URLs and custom strategies, 1.4 KB gzip the browser no longer needs). `runtime` is the real module's
 * code, for its languages. Importing anything else from the runtime in browser code fails the build.
 */
export function runtimeLookup(runtime: string, wordsModule: string): string {
	const base = /export const baseLocale = ("[^"]+")/.exec(runtime)?.[1];
	const all = /export const locales = (?:\/\*\*[^*]*\*\/ )?\((\[[^\]]*\])\)/.exec(runtime)?.[1];
	if (!base || !all) throw new Error('yishi-words: no baseLocale or locales in the Paraglide runtime');
	return [
		`import { readerLocale } from ${JSON.stringify(wordsModule)};`,
		`export const baseLocale = ${base};`,
		`export const locales = ${all};`,
		`export const isLocale = (locale) => locales.includes(locale);`,
		`export const getLocale = () => { const locale = readerLocale(); return isLocale(locale) ? locale : baseLocale; };`,
		''
	].join('\n');
}

/** '/a/[b]' lies on the way to '/a/[b]/c' and to itself; '/' lies on the way to every route. */
function above(dir: string, route: string): boolean {
	return dir === '' || route === dir || route.startsWith(`${dir}/`);
}

type ChunkFacts = { keys: string[]; imports: string[]; namedLocale: boolean };

/** Pure: the route → keys map from the bundle's chunks and the route file each node chunk stands for. */
export function mapRoutes(
	chunks: Map<string, ChunkFacts>,
	entries: string[],
	nodes: { chunk: string; dir: string; kind: 'page' | 'layout' | 'error' }[]
): WordsMap {
	// app.js imports every node lazily: another route's node is not part of this one.
	const nodeChunks = new Set(nodes.map((n) => n.chunk));
	const closure = (roots: string[]): { keys: Set<string>; namedLocale: boolean } => {
		const seen = new Set<string>();
		const keys = new Set<string>();
		let namedLocale = false;
		const visit = (name: string) => {
			const chunk = chunks.get(name);
			if (!chunk || seen.has(name) || (nodeChunks.has(name) && !roots.includes(name))) return;
			seen.add(name);
			chunk.keys.forEach((key) => keys.add(key));
			namedLocale ||= chunk.namedLocale;
			chunk.imports.forEach(visit);
		};
		roots.forEach(visit);
		return { keys, namedLocale };
	};
	const map: WordsMap = { routes: {}, bothLocales: [] };
	const framing = nodes.filter((n) => n.kind !== 'page');
	const add = (route: string, roots: string[]) => {
		const { keys, namedLocale } = closure(roots);
		map.routes[route] = [...keys].sort();
		if (namedLocale) map.bothLocales.push(route);
	};
	add('', [...entries, ...framing.filter((n) => n.dir === '').map((n) => n.chunk)]);
	for (const page of nodes.filter((n) => n.kind === 'page')) {
		const route = page.dir || '/';
		add(route, [...entries, page.chunk, ...framing.filter((n) => above(n.dir, page.dir)).map((n) => n.chunk)]);
	}
	return map;
}

export function splitWords(): Plugin {
	const wordsModule = resolve('src/lib/i18n/words.ts');
	return {
		name: 'yishi-words',
		// The lookups stand for Paraglide's one-module-per-message output, which vite.config.ts asks for when building.
		apply: 'build',
		transform(code, id, options) {
			if (options?.ssr || this.environment?.config.consumer === 'server') return null;
			if (RUNTIME_MODULE.test(id)) return { code: runtimeLookup(code, wordsModule), map: null };
			const key = MESSAGE_MODULE.exec(id)?.[1];
			if (!key || key === '_index') return null;
			return { code: messageLookup(key, wordsModule), map: null };
		},
		generateBundle(_options, bundle) {
			if (this.environment?.config.consumer === 'server') return;
			const chunks = new Map<string, ChunkFacts>();
			const entries: string[] = [];
			const nodes: { chunk: string; dir: string; kind: 'page' | 'layout' | 'error' }[] = [];
			for (const output of Object.values(bundle)) {
				if (output.type !== 'chunk') continue;
				const keys = Object.entries(output.modules)
					.filter(([id, module]) => module.renderedLength > 0 && MESSAGE_MODULE.test(id))
					.map(([id]) => basename(id, '.js'))
					.filter((key) => key !== '_index');
				chunks.set(output.fileName, {
					keys,
					imports: [...output.imports, ...output.dynamicImports],
					namedLocale: NAMED_LOCALE.test(output.code)
				});
				const node = output.facadeModuleId && NODE_CHUNK.test(output.facadeModuleId);
				if (node) {
					// Without one (SvelteKit's default layout or error page) the node has no words of its own.
					const file = ROUTE_FILE.exec(readFileSync(output.facadeModuleId!, 'utf8'));
					if (file) nodes.push({ chunk: output.fileName, dir: file[1], kind: file[2] as 'page' | 'layout' | 'error' });
				} else if (output.isEntry) entries.push(output.fileName);
			}
			if (nodes.length === 0) return;
			const map = mapRoutes(chunks, entries, nodes);
			this.emitFile({ type: 'asset', fileName: WORDS_MAP_FILE, source: JSON.stringify(map) });
		}
	};
}
