/**
 * 委托书 as the 业委会 types it on the ballot page: the proxy (受托人) named by the login they
 * registered with (phone number or user name) rather than by account id.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { normaliseLogin } from '../auth/accounts.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { InvalidInput } from '../errors.ts';
import { m as msg } from '../../paraglide/messages.js';
import { loadBallot, requireAnyCompound, scopesOf } from './common.ts';
import { recordProxy, type RecordProxyInput } from './proxies.ts';

export type RecordProxyByLoginInput = Omit<RecordProxyInput, 'proxyUserId'> & { proxyLogin: string };

/** Records a 委托书 whose proxy is found by login; recordProxy then checks the units' compound and the rest. */
export async function recordProxyByLogin(database: Database, actor: Actor, input: RecordProxyByLoginInput): Promise<{ proxyId: string }> {
	const ballot = await loadBallot(database.db, input.ballotId);
	requireAnyCompound(actor, ['paper.enter'], await scopesOf(database, ballot));
	const login = normaliseLogin(input.proxyLogin ?? '');
	const [proxy] = login ? await database.db.select({ id: users.id }).from(users).where(eq(users.login, login)).limit(1) : [];
	if (!proxy) throw new InvalidInput(msg.voting_proxy_login_missing(), { proxyLogin: msg.voting_proxy_login_missing_field() });
	const { ballotId, unitIds, principalName, instructions } = input;
	return recordProxy(database, actor, { ballotId, unitIds, principalName, instructions, proxyUserId: proxy.id });
}
