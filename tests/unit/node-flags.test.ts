/** The documented ways to start the server all start it with the server's Node flags (src/lib/server/ops/node-flags.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../src/lib/server/ops/node-flags.ts';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
	.scripts;

describe('Node flags of the server', () => {
	for (const name of ['start', 'start:prod']) {
		it(`npm run ${name} passes every one of them to node before the entry`, () => {
			const words = scripts[name].split(/\s+/);
			expect(words[0]).toBe('node');
			const entry = words.indexOf('build/server.js');
			expect(entry).toBeGreaterThan(0);
			expect(words.slice(1, entry)).toEqual([...SERVER_NODE_FLAGS]);
		});
	}

	for (const unit of ['yishi.service', 'yishi@.service'])
		it(`the systemd unit ${unit} starts node with them`, () => {
			const text = readFileSync(new URL(`../../src/deploy/systemd/${unit}`, import.meta.url), 'utf8');
			const start = /^ExecStart=(\S+) (.*) \S+\/build\/server\.js$/m.exec(text);
			expect(start?.[1]).toMatch(/node$/);
			expect(start?.[2].split(' ')).toEqual([...SERVER_NODE_FLAGS]);
		});

	it('the cluster starts each process with them', () => {
		expect(readFileSync(new URL('../../src/cli/cluster.ts', import.meta.url), 'utf8')).toContain(
			'spawn(process.execPath, [...SERVER_NODE_FLAGS, entry!'
		);
	});
});
