/**
 * Loading a stored document sets Hocuspocus's 'update' listener aside (collab/persistence.ts
 * withoutUpdateListeners reads lib0's private `_observers`): otherwise Yjs encodes the whole loaded
 * state once more for a listener with nobody to broadcast to. This test fails loudly when a lib0,
 * Yjs or Hocuspocus upgrade changes what that relies on.
 */
import { Document } from '@hocuspocus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { persistenceExtension } from '../../../src/lib/server/collab/persistence.ts';
import { editStored, setParagraphs } from '../drafting/helpers.ts';
import { seedGateCase } from './factories.ts';
import { appendParagraph, bodyText } from './harness.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => database.destroy());

describe('loading a stored document into Hocuspocus', () => {
	it('does not hand the loaded state to the update listener, and the listener is back afterwards', async () => {
		const gate = await seedGateCase(database);
		await editStored(database, gate.altA.id, (doc) => setParagraphs(doc, ['已经保存的一段']));
		const persistence = persistenceExtension(database);
		const document = new Document(gate.altA.documentName);
		const broadcast: Uint8Array[] = [];
		document.onUpdate((_document, _connection, update) => void broadcast.push(update));
		type LoadPayload = Parameters<NonNullable<typeof persistence.onLoadDocument>>[0];
		await persistence.onLoadDocument!({ document, documentName: gate.altA.documentName, context: {} } as LoadPayload);
		expect(bodyText(document)).toBe('已经保存的一段');
		const reached = "the load reached Hocuspocus's update listener: lib0's Observable no longer keeps listeners in _observers";
		expect(broadcast, reached).toHaveLength(0);
		appendParagraph(document, '加载之后的修改');
		expect(broadcast, 'the update listener was not put back after the load').toHaveLength(1);
		document.destroy();
	});
});
