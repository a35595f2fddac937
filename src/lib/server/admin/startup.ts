/**
 * The one start-up decision (src/cli/serve.ts asks it before listening):
 *
 * - demo (`npm start`, YISHI_DEMO unset or 1): an empty database gets the 爱建/虹桥 demo and its
 *   logins are printed;
 * - production (YISHI_DEMO=0): the demo is never seeded, and the server refuses to start while
 *   demo accounts still open with the published demo password, unless YISHI_ALLOW_DEMO_ACCOUNTS=1;
 * - either way, while no administrator exists, a one-time setup link is printed.
 */
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { verifyPassword } from '../auth/passwords.ts';
import { DEMO_PASSWORD, printDemoLogins, seedDemoIfEmpty, type DemoAccount } from '../demo/seed.ts';
import { issueSetupToken, setupLink } from './setup.ts';
import { chinaDateTimeString } from '../../domain/time/china-date.ts';

export interface StartupOptions {
	demo: boolean;
	allowDemoAccounts: boolean;
	/** The public origin the printed links start with, e.g. http://localhost:3000. */
	origin: string;
}

export type StartupOutcome =
	| { start: true; seeded: DemoAccount[] | null; setup: { link: string; expiresAt: number } | null; demoAccountsAllowed: string[] }
	| { start: false; refusal: string };

/** Logins of demo accounts that still accept the published demo password. */
export async function openDemoAccounts(database: Database): Promise<string[]> {
	const rows = await database.db
		.select({ login: users.login, passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.isDemo, true));
	// The seed hashes the password once for every account: check each distinct hash once.
	const verdicts = new Map<string, Promise<boolean>>();
	for (const r of rows) if (!verdicts.has(r.passwordHash)) verdicts.set(r.passwordHash, verifyPassword(r.passwordHash, DEMO_PASSWORD));
	const open: string[] = [];
	for (const r of rows) if (await verdicts.get(r.passwordHash)!) open.push(r.login);
	return open;
}

export async function applyStartupPolicy(database: Database, options: StartupOptions): Promise<StartupOutcome> {
	let seeded: DemoAccount[] | null = null;
	let demoAccountsAllowed: string[] = [];
	if (options.demo) {
		seeded = await seedDemoIfEmpty(database);
	} else {
		const open = await openDemoAccounts(database);
		if (open.length > 0 && !options.allowDemoAccounts) {
			return {
				start: false,
				refusal: [
					`数据库里有 ${open.length} 个演示账号仍在使用公开的演示密码（${open.slice(0, 5).join('、')}${open.length > 5 ? ' 等' : ''}），正式运行不能启动。`,
					'请换一个空的数据库（DATABASE_URL）重新开始；只是想看演示，请去掉 YISHI_DEMO=0；确实要带着演示账号运行，请设置 YISHI_ALLOW_DEMO_ACCOUNTS=1。',
					`Refusing to start in production (YISHI_DEMO=0): ${open.length} demo account(s) ` +
						'still accept the published demo password.',
					'Start on an empty database (DATABASE_URL), or drop YISHI_DEMO=0 to run the demo, ' +
						'or set YISHI_ALLOW_DEMO_ACCOUNTS=1 to run with them anyway.'
				].join('\n')
			};
		}
		demoAccountsAllowed = open;
	}
	const issued = await issueSetupToken(database);
	const setup = issued ? { link: setupLink(options.origin, issued.token), expiresAt: issued.expiresAt } : null;
	return { start: true, seeded, setup, demoAccountsAllowed };
}

/** Prints what the start-up decided, after the server listens. */
export function printStartup(outcome: Extract<StartupOutcome, { start: true }>, origin: string): void {
	if (outcome.seeded) printDemoLogins(outcome.seeded, origin);
	if (outcome.demoAccountsAllowed.length > 0) {
		console.warn(`注意：${outcome.demoAccountsAllowed.length} 个演示账号仍在使用公开密码（已按 YISHI_ALLOW_DEMO_ACCOUNTS=1 放行）。`);
	}
	if (outcome.setup) {
		console.log('');
		console.log('还没有管理员。请在 24 小时内打开下面的一次性链接，创建管理员账号：');
		console.log('No administrator yet. Open this one-time link within 24 hours to create one:');
		console.log(`  ${outcome.setup.link}`);
		console.log(`（北京时间 ${chinaDateTimeString(outcome.setup.expiresAt)} 前有效；重启服务会打印新的链接，旧链接随即失效。）`);
		console.log('');
	}
}
