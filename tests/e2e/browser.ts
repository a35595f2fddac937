import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');
export const PHONE = { width: 360, height: 740 };
export const DEMO_PASSWORD = 'yishi2026';

/** Debian's Chromium, headless, with the flags this sandbox needs (no background networking). */
export async function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage'
		]
	});
}

/**
 * One browser for the calling file, launched before its tests and closed after them with every
 * context `track`ed meanwhile.
 */
export function browserForThisFile(): { browser(): Browser; track(context: BrowserContext): BrowserContext } {
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		browser = await launch();
	});
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
	});
	return {
		browser: () => browser!,
		track: (context) => (contexts.push(context), context)
	};
}

export async function phone(browser: Browser, options: { elder?: boolean } = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	if (options.elder) await context.addCookies([{ name: 'yishi_elder', value: '1', url: baseUrl() }]);
	return context;
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
	// Wait until the page is interactive: typing before hydration can be lost on slow machines.
	await page.goto(`${baseUrl()}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('手机号或用户名').fill(login);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	try {
		await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
	} catch (error) {
		await snap(page, `signin-failed-${login}`);
		throw error;
	}
}

/** Screenshots land in tests/e2e/artifacts/ (ignored by git) for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
	mkdirSync('tests/e2e/artifacts', { recursive: true });
	await page.screenshot({ path: `tests/e2e/artifacts/${name}.png`, fullPage: true });
}

/**
 * Moves the server's clock forward by `ms`.
 * The server reads the offset from YISHI_TEST_CLOCK_FILE; see src/lib/server/util/clock.ts.
 */
export function advanceServerClock(ms: number): void {
	const file = inject('clockFile');
	const current = Number(readFileSync(file, 'utf8').trim()) || 0;
	writeFileSync(file, String(current + ms));
}

/** The server's "now": the real time plus the test clock's offset. */
export function serverNow(): number {
	return Date.now() + (Number(readFileSync(inject('clockFile'), 'utf8').trim()) || 0);
}
