// Second half of `npm run build` (after `vite build`): bundles the Node entry and the command-line
// tools with esbuild, so production runs plain `node` with no TypeScript loader:
//   src/cli/serve.ts  → build/server.js   (thin: the server code lives in the SvelteKit bundle)
//   src/cli/<name>.ts → build/cli/<name>.js   (every file in src/cli, so new tools are picked up)
// and copies drizzle/ (the migrations) to build/drizzle. Packages listed in `dependencies` stay
// imports from node_modules (as in adapter-node's bundle); everything else is bundled in.
import { build } from 'esbuild';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'build');
if (!existsSync(join(out, 'handler.js'))) throw new Error('build/handler.js is missing: run `vite build` first');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);
const common = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20.19',
	external,
	logLevel: 'warning',
	// Bundled CommonJS dependencies (if any) still find `require`.
	banner: {
		js: "import { createRequire as __yishiCreateRequire } from 'node:module'; const require = __yishiCreateRequire(import.meta.url);"
	}
};

await build({ ...common, entryPoints: [join(root, 'src/cli/serve.ts')], outfile: join(out, 'server.js') });

const cli = readdirSync(join(root, 'src/cli'))
	.filter((name) => name.endsWith('.ts') && name !== 'serve.ts')
	.map((name) => join(root, 'src/cli', name));
rmSync(join(out, 'cli'), { recursive: true, force: true });
// Splitting: a tool that loads another (recount → verify-records) imports its file instead of
// inlining it, so that tool's "am I the main module" check stays false.
await build({ ...common, entryPoints: cli, outdir: join(out, 'cli'), splitting: true, chunkNames: 'chunks/[name]-[hash]' });

rmSync(join(out, 'drizzle'), { recursive: true, force: true });
cpSync(join(root, 'drizzle'), join(out, 'drizzle'), { recursive: true });
console.log(`bundled build/server.js and ${cli.length} tools in build/cli; migrations in build/drizzle`);
