/**
 * The durability promise, tested the hard way: a separate server process is killed with SIGKILL
 * right after the client reports every edit acknowledged; every acknowledged edit must be on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { openDatabase } from '../../../src/lib/server/db/client.ts';
import { loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { appendParagraph, bodyText, connect, waitSynced, type Client } from './harness.ts';
import { pace } from '../../helpers/wait.ts';
import { seedGateCase } from './factories.ts';

const root = resolve(import.meta.dirname, '../../..');
let database: TestDatabase;
let child: ChildProcess | null = null;
let client: Client | null = null;

beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => {
	client?.destroy();
	if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	database.destroy();
});

function startChild(dbFile: string): Promise<{ proc: ChildProcess; port: number }> {
	return new Promise((resolvePort, reject) => {
		const proc = spawn(
			process.execPath,
			[resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'tests/integration/collab/fixtures/collab-server.ts', dbFile, '0'],
			{
				cwd: root,
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let out = '';
		let err = '';
		proc.stdout!.on('data', (chunk) => {
			out += chunk;
			const m = /listening (\d+)/.exec(out);
			if (m) resolvePort({ proc, port: Number(m[1]) });
		});
		proc.stderr!.on('data', (chunk) => (err += chunk));
		proc.on('exit', (code) => reject(new Error(`collab server exited early (${code}): ${err}`)));
	});
}

describe('kill -9', () => {
	it('keeps every edit the client saw acknowledged', async () => {
		const gate = await seedGateCase(database);
		const started = await startChild(database.path);
		child = started.proc;
		client = connect(`ws://127.0.0.1:${started.port}/collab`, gate.altA.documentName, { token: gate.aijianOwner.token });
		await waitSynced(client, 20_000);
		const N = 60;
		for (let i = 0; i < N; i++) {
			appendParagraph(client.doc, `第${i}次修改`);
			// Let a few go out on their own: the server stores them in several groups, not one.
			if (i % 7 === 0) await pace(1);
		}
		await waitSynced(client, 20_000);
		const exited = new Promise((r) => child!.once('exit', r));
		process.kill(child.pid!, 'SIGKILL');
		await exited;
		client.destroy();
		client = null;

		const reopened = openDatabase(`file:${database.path}`);
		try {
			const { doc } = await loadStoredDocument(reopened, gate.altA.id);
			expect(bodyText(doc).split('\n')).toEqual(Array.from({ length: N }, (_, i) => `第${i}次修改`));
		} finally {
			reopened.close();
		}
	});
});
