/**
 * Signed-in browser contexts for accounts a file made itself (seed.ts `newAccount`): a session row
 * made by the app's own createSession on the e2e database, handed to Chromium as the `yishi_session`
 * cookie. Fast and without the login form; the files whose subject is the login form (auth,
 * typed-text, security, admin) still type into it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, phone } from './browser.ts';
import { database, type Account } from './seed.ts';

const { createSession, generateSessionToken, SESSION_COOKIE } = await import('../../src/lib/server/auth/sessions.ts');

/** A new session token of `account`, valid on the server's clock as a login would make it. */
export async function sessionToken(account: Account): Promise<string> {
	const token = generateSessionToken();
	await createSession(database, token, account.id);
	return token;
}

/** Signs `context` in as `account` (a fresh session of its own). */
export async function signInContext(context: BrowserContext, account: Account): Promise<BrowserContext> {
	const token = await sessionToken(account);
	await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl(), httpOnly: true, sameSite: 'Lax' }]);
	return context;
}

/** A phone-sized context (browser.ts `phone`) signed in as `account`, and a page in it. */
export async function phoneAs(
	browser: Browser,
	account: Account,
	options: { elder?: boolean } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await signInContext(await phone(browser, options), account);
	return { context, page: await context.newPage() };
}
