import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launch, phone, signIn } from './browser.ts';
import { newAccount, type Account } from './seed.ts';

let browser: Browser;
/** This file's own accounts, with a password: the login form is what these walks are about. */
const PASSWORD = 'deng-lu-biao-dan-2026';
let resident: Account;
let owner: Account;
beforeAll(async () => {
	browser = await launch();
	[resident, owner] = await Promise.all([
		newAccount('登录测试住户', { password: PASSWORD }),
		newAccount('登录测试业主', { password: PASSWORD })
	]);
});
afterAll(async () => {
	await browser?.close();
});

/** Redirect tricks as an outside probe sends them: raw in a form body (URLSearchParams encodes them once). */
const HOSTILE_NEXT = [
	'//evil.example',
	'/\t/evil.example',
	'/%09/evil.example',
	'/\\evil.example',
	'/\\\\evil.example',
	'/%2F%2Fevil.example',
	'/%5C%5Cevil.example',
	'/..//evil.example',
	'/\r\nSet-Cookie: yishi_session=x',
	'/\nx',
	'/%0d%0aSet-Cookie:%20yishi_session=x',
	'https://evil.example/',
	'/\u2028/evil.example',
	'/concerns/议题'
];

function post(path: string, form: Record<string, string>, cookie?: string): Promise<Response> {
	return fetch(`${baseUrl()}${path}`, {
		method: 'POST',
		redirect: 'manual',
		// As a browser's plain form post (without `accept: text/html` SvelteKit answers JSON instead).
		headers: {
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(form)
	});
}

function expectOnSite(response: Response): void {
	expect(response.status).toBeLessThan(500);
	const location = response.headers.get('location');
	if (location !== null) {
		expect(new URL(location, baseUrl()).origin).toBe(baseUrl());
		expect(location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
	}
}

describe('redirects after login never leave the site', () => {
	it('a successful login POST with a hostile next= answers 303 to a path here, never a 500', async () => {
		for (const next of HOSTILE_NEXT) {
			const response = await post('/login', { login: resident.login, password: PASSWORD, next });
			expect(response.status, JSON.stringify(next)).toBe(303);
			expectOnSite(response);
		}
	});

	it('the enhanced form’s JSON answer names only a path here too', async () => {
		for (const next of HOSTILE_NEXT) {
			const response = await fetch(`${baseUrl()}/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl(), 'x-sveltekit-action': 'true' },
				body: new URLSearchParams({ login: resident.login, password: PASSWORD, next })
			});
			const body = (await response.json()) as { type: string; location?: string };
			expect(body.type).toBe('redirect');
			expect(new URL(body.location!, baseUrl()).origin).toBe(baseUrl());
			expect(body.location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
		}
	});

	it('a failed login and the settings switch keep them on the site too', async () => {
		for (const next of HOSTILE_NEXT) {
			// An account that does not exist, so the file's own logins are not slowed.
			expectOnSite(await post('/login', { login: 'redirect_probe', password: 'not-the-password', next }));
			expectOnSite(await post('/settings/elder', { on: '1', next }));
		}
	});

	it('a signed-in visit to /login?next= redirects only on the site', async () => {
		const login = await post('/login', { login: resident.login, password: PASSWORD, next: '/' });
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		for (const next of HOSTILE_NEXT) {
			const response = await fetch(`${baseUrl()}/login?next=${encodeURIComponent(next)}`, {
				redirect: 'manual',
				headers: { cookie }
			});
			expect(response.status).toBe(303);
			expectOnSite(response);
		}
	});
});

describe('sign-up', () => {
	it('refuses a guessable password in plain Chinese, keeping what was typed, then registers and logs in', async () => {
		const context = await phone(browser);
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/register?next=${encodeURIComponent('/records')}`, { waitUntil: 'networkidle' });
		await page.getByLabel('手机号或用户名').fill('13700001234');
		await page.getByLabel('称呼').fill('5号楼孙伯伯');
		await page.getByLabel('密码').fill('12345678');
		await page.getByRole('button', { name: '注册' }).click();
		await expect.poll(() => page.locator('.field-error').textContent()).toContain('这个密码太容易被猜到');
		expect(await page.getByLabel('手机号或用户名').inputValue()).toBe('13700001234');
		expect(await page.getByLabel('称呼').inputValue()).toBe('5号楼孙伯伯');

		await page.getByLabel('密码').fill('sun-bobo-xihuan-xiaqi');
		await page.getByRole('button', { name: '注册' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('注册完成，请用刚设置的密码登录');
		await page.getByLabel('密码').fill('sun-bobo-xihuan-xiaqi');
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL((u) => u.pathname === '/records');
		await context.close();
	});

	it('answers a taken login exactly as a new one: same status, same page', async () => {
		const form = (login: string) => ({ login, displayName: '邻居', password: 'qiang-wai-de-mei-hua', next: '/' });
		const fresh = await post('/register', form('brand_new_neighbour'));
		const taken = await post('/register', form(owner.login));
		expect(taken.status).toBe(fresh.status);
		expect(taken.headers.get('set-cookie')).toBe(fresh.headers.get('set-cookie'));
		const text = async (r: Response) =>
			(await r.text())
				.replaceAll('brand_new_neighbour', 'LOGIN')
				.replaceAll(owner.login, 'LOGIN')
				.replace(/nonce="[^"]*"/g, 'nonce=""');
		expect(await text(taken)).toBe(await text(fresh));
		// The owner's password was not changed by the second sign-up.
		const context = await phone(browser);
		const page = await context.newPage();
		await signIn(page, owner.login, PASSWORD);
		await context.close();
	});

	it('no page ships the password dictionaries to the browser (the check runs on the server)', async () => {
		const html = await (await fetch(`${baseUrl()}/register`)).text();
		const entries = [...html.matchAll(/import\("([^"]+\.js)"\)/g)].map((m) => new URL(m[1], `${baseUrl()}/register`).href);
		expect(entries.length).toBeGreaterThan(0);
		// Follow every module the entries import (the router names every page's chunk), so no page can hide it.
		const seen = new Set<string>();
		const queue = [...entries];
		while (queue.length > 0) {
			const url = queue.shift()!;
			if (seen.has(url)) continue;
			seen.add(url);
			const code = await (await fetch(url)).text();
			expect(code, url).not.toMatch(/zxcvbn|passwords-common/);
			for (const m of code.matchAll(/["'](\.{1,2}\/[^"']+\.js)["']/g)) queue.push(new URL(m[1], url).href);
		}
		expect(seen.size).toBeGreaterThan(entries.length);
	});

	it('a login error reads the same for an unknown account and a wrong password', async () => {
		const unknown = await post('/login', { login: 'nobody_at_all', password: 'whatever-it-is', next: '/' });
		const wrong = await post('/login', { login: owner.login, password: 'whatever-it-is', next: '/' });
		expect(unknown.status).toBe(wrong.status);
		const message = async (r: Response) => /账号或密码不对[^"<]*/.exec(await r.text())?.[0];
		expect(await message(unknown)).toBe(await message(wrong));
	});
});

describe('throttled logins', () => {
	it('after five wrong passwords the form says how many seconds to wait, never that the account is locked', async () => {
		const register = await post('/register', {
			login: 'throttle_probe',
			displayName: '试',
			password: 'shi-yi-shi-mima-duo-chang',
			next: '/'
		});
		expect(register.status).toBe(200);
		const context = await phone(browser);
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/login`, { waitUntil: 'networkidle' });
		await page.getByLabel('手机号或用户名').fill('throttle_probe');
		let text = '';
		// Five free tries, then 1 s, 2 s, 4 s …: on a slow machine a try may come after its wait, so try until the wait shows.
		for (let i = 0; i < 12 && !text.includes('后再试'); i++) {
			await page.getByLabel('密码').fill(`wrong-${i}`);
			await Promise.all([
				page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST'),
				page.getByRole('button', { name: '登录', exact: true }).click()
			]);
			await page.getByRole('button', { name: '登录', exact: true }).waitFor();
			await expect.poll(() => page.getByRole('button', { name: '登录', exact: true }).isEnabled()).toBe(true);
			text = (await page.getByRole('alert').textContent()) ?? '';
			if (i < 5) expect(text).toContain('账号或密码不对');
		}
		expect(text).toMatch(/请 \d+ 秒后再试/);
		expect(text).not.toMatch(/锁|冻结/);
		// The login typed stays in the form.
		expect(await page.getByLabel('手机号或用户名').inputValue()).toBe('throttle_probe');
		await context.close();
	});
});
