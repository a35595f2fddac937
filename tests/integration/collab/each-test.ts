/** The collaboration tests' shared set-up (a file apart from harness.ts, which browser tests import too). */
import { afterEach } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { seedGateCase } from './factories.ts';
import { live, startServer, type RunningServer } from './harness.ts';

export type GateCase = Awaited<ReturnType<typeof seedGateCase>>;

export interface CollabBed {
	database: TestDatabase;
	gate: GateCase;
	/** A collaboration server on the database, when asked for with `serve`. */
	running: RunningServer;
}

/**
 * Before each test a fresh database with the gate case (and with `serve`, a server on it), handed to
 * `use`; after it, every client still open is destroyed, every server still running is stopped,
 * then the database deleted.
 */
export function collabForEachTest(use: (bed: CollabBed) => unknown, options: { serve?: boolean } = {}): void {
	databaseForEachTest(async (database) => {
		const gate = await seedGateCase(database);
		const running = options.serve ? await startServer(database) : (undefined as unknown as RunningServer);
		await use({ database, gate, running });
	});
	// Registered after the database's: after-each hooks run in reverse order, so this one runs first.
	afterEach(async () => {
		for (const client of [...live.clients]) client.destroy();
		for (const server of [...live.servers]) await server.stop();
	});
}
