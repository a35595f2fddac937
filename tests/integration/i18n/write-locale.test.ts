/**
 * A refusal thrown inside `database.write` speaks the language of the request that queued the write,
 * not of whichever request happened to start the queue: queued tasks run on the queue's own loop.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { m } from '../../../src/lib/paraglide/messages.js';
import { getLocale } from '../../../src/lib/paraglide/runtime.js';
import { withLocale } from '../../../src/lib/server/i18n.ts';
import { auditLog } from '../../../src/lib/server/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
});
afterEach(() => database.destroy());

const row = (subjectId: string) => ({ at: 1, action: 'test', subjectType: 't', subjectId, detail: '{}' });

describe('the language inside a queued write', () => {
	it('is the language of the request that queued it, while another language’s write holds the queue', async () => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let started!: () => void;
		const running = new Promise<void>((resolve) => (started = resolve));
		// A Chinese reader's write starts the queue and holds it until the English write is queued behind it.
		const chinese = withLocale('zh-CN', () =>
			database.write(async (tx) => {
				started();
				await held;
				await tx.insert(auditLog).values(row('zh'));
				return getLocale();
			})
		);
		await running;
		const english = withLocale('en', () =>
			database.write(async (tx) => {
				await tx.insert(auditLog).values(row('en'));
				return { locale: getLocale(), words: m.voting_count_already_closed() };
			})
		);
		release();
		expect(await chinese).toBe('zh-CN');
		expect(await english).toEqual({ locale: 'en', words: 'The count has already ended' });
	});
});
