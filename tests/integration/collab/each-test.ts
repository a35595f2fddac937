/** The collaboration tests' shared set-up (a file apart from harness.ts, which browser tests import too). */
import { afterEach } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { seedGateCase } from './factories.ts';
import { live } from './harness.ts';

export type GateCase = Awaited<ReturnType<typeof seedGateCase>>;

/**
 * Before each test a fresh database with the gate case, handed to `use`; after it, every client
 * still open is destroyed and every server still running is stopped, then the database deleted.
 */
export function collabForEachTest(use: (bed: { database: TestDatabase; gate: GateCase }) => unknown): void {
	databaseForEachTest(async (database) => use({ database, gate: await seedGateCase(database) }));
	// Registered after the database's: after-each hooks run in reverse order, so this one runs first.
	afterEach(async () => {
		for (const client of [...live.clients]) client.destroy();
		for (const server of [...live.servers]) await server.stop();
	});
}
