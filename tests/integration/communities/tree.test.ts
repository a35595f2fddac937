/**
 * The community tree only grows, and access decisions rely on it: a compound's chain of ancestors,
 * once read, is kept (access.ts). The database itself refuses moving, re-kinding or deleting a node.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { orgNodes } from '../../../src/lib/server/db/schema/index.ts';
import { insertNode } from '../../../src/lib/server/communities/tree.ts';
import { compoundScopes } from '../../../src/lib/server/access.ts';
import { NotFound } from '../../../src/lib/server/errors.ts';
import { newGateCommunity } from './factories.ts';

let database: TestDatabase;
beforeEach(async () => {
	database = await createTestDatabase();
	await newGateCommunity(database, 2);
});
afterEach(() => database.destroy());

/** The whole cause chain of a failed write: drizzle wraps the database's own message. */
async function refusal(write: Promise<unknown>): Promise<string> {
	const error = await write.then(
		() => null,
		(e: unknown) => e
	);
	let text = '';
	for (let e = error as { message?: string; cause?: unknown } | null; e; e = e.cause as typeof e) text += ` ${e.message ?? ''}`;
	return text;
}

describe('community tree', () => {
	it('gives each compound its chain up to the street', async () => {
		const [aijian, hongqiao] = await compoundScopes(database, ['aijian', 'hongqiao']);
		expect(aijian.chain).toEqual(['aijian', 'aijian-jw', 'cluster', 'street']);
		expect(hongqiao.chain).toEqual(['hongqiao', 'hongqiao-jw', 'cluster', 'street']);
		// Read again (now kept): the same answer, and a caller cannot change the kept chain.
		aijian.chain.push('tampered');
		expect((await compoundScopes(database, ['aijian']))[0].chain).toEqual(['aijian', 'aijian-jw', 'cluster', 'street']);
	});

	it('refuses what is not a compound, and finds a compound created after a refusal', async () => {
		await expect(compoundScopes(database, ['aijian-jw'])).rejects.toThrow(NotFound);
		await expect(compoundScopes(database, ['xinhua'])).rejects.toThrow(NotFound);
		await database.write((tx) => insertNode(tx, { id: 'xinhua', kind: 'compound', name: '新华小区', parentId: 'aijian-jw' }));
		expect((await compoundScopes(database, ['xinhua']))[0].chain).toEqual(['xinhua', 'aijian-jw', 'cluster', 'street']);
	});

	it('refuses to move a node, change its kind or delete it', async () => {
		expect(
			await refusal(database.write((tx) => tx.update(orgNodes).set({ parentId: 'hongqiao-jw' }).where(eq(orgNodes.id, 'aijian'))))
		).toMatch(/parent and kind are fixed/);
		expect(
			await refusal(database.write((tx) => tx.update(orgNodes).set({ kind: 'building' }).where(eq(orgNodes.id, 'aijian'))))
		).toMatch(/parent and kind are fixed/);
		expect(await refusal(database.write((tx) => tx.delete(orgNodes).where(eq(orgNodes.id, 'aijian'))))).toMatch(/never deleted/);
		// Renaming and settings stay possible.
		await database.write((tx) => tx.update(orgNodes).set({ name: '爱建新村' }).where(eq(orgNodes.id, 'aijian')));
		expect((await compoundScopes(database, ['aijian']))[0].chain).toEqual(['aijian', 'aijian-jw', 'cluster', 'street']);
	});
});
