// After `npm run format`, before committing it: does every component still render the same?
// Compiles each .svelte file as committed (HEAD) and as formatted now (server output, fixed CSS hash, comments dropped)
// and sorts the differences: "same" (none), "whitespace" (only whitespace changed: the same rendering outside <pre> and
// `white-space: pre*`, which the listing names so they can be looked at) and "changed" (anything else: look at it).
// Usage: node tests/format/svelte-output.mjs   (exit code 1 when a component changed beyond whitespace)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compile } from 'svelte/compiler';

const files = execFileSync('git', ['ls-files', '*.svelte'], { encoding: 'utf8' }).trim().split('\n');
const render = (source, filename) =>
	compile(source, { filename, generate: 'server', cssHash: () => 'h', dev: false })
		.js.code.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/^\s*\/\/.*$/gm, '');
// Whitespace between tags and runs of whitespace in text render alike (outside preformatted text).
const loose = (code) => code.replace(/>\s+</g, '><').replace(/\s+/g, ' ');

let changed = 0;
for (const file of files) {
	const before = render(execFileSync('git', ['show', `HEAD:${file}`], { encoding: 'utf8' }), file);
	const after = render(readFileSync(file, 'utf8'), file);
	if (before === after) continue;
	const pre = /white-space:\s*pre|<pre/.test(readFileSync(file, 'utf8'));
	if (loose(before) === loose(after)) {
		console.log(`whitespace ${file}${pre ? '  (has preformatted text: check it)' : ''}`);
	} else {
		changed++;
		console.log(`changed    ${file}`);
	}
}
console.log(`${files.length} components, ${changed} changed beyond whitespace`);
process.exit(changed > 0 ? 1 : 0);
