import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../helpers/db.ts';
import { loadStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { appendParagraph, bodyText, connect, waitFor, waitSynced, type RunningServer } from './harness.ts';
import { collabForEachTest, type GateCase } from './each-test.ts';

let database: TestDatabase;
let running: RunningServer;
let gate: GateCase;
collabForEachTest((bed) => ({ database, gate, running } = bed), { serve: true });

describe('a phone that loses its connection (WeChat in the background)', () => {
	it('keeps the edits made offline and merges them with others’ on reconnect', async () => {
		const phone = connect(running.url, gate.altA.documentName, { token: gate.aijianOwner.token });
		const desk = connect(running.url, gate.altA.documentName, { token: gate.hongqiaoResident.token });
		await waitSynced(phone);
		await waitSynced(desk);

		phone.provider.disconnect();
		appendParagraph(phone.doc, '离线时写的：边门晚上十点关闭');
		appendParagraph(desk.doc, '同时在线写的：加装门禁');
		await waitSynced(desk);
		// While offline the phone's edit is unsent, and nobody else has it.
		expect(phone.provider.unsyncedChanges).toBeGreaterThan(0);
		expect(bodyText(desk.doc)).not.toContain('离线时写的');

		await phone.provider.connect();
		await waitFor(
			() => bodyText(phone.doc) === bodyText(desk.doc) && bodyText(desk.doc).includes('离线时写的'),
			30_000,
			'merge after reconnect'
		);
		await waitSynced(phone);
		const { doc } = await loadStoredDocument(database, gate.altA.id);
		expect(bodyText(doc)).toContain('离线时写的：边门晚上十点关闭');
		expect(bodyText(doc)).toContain('同时在线写的：加装门禁');
	});
});
