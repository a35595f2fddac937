import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch, phone } from './browser.ts';
import { newAccount, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { signInContext } from './session.ts';

let browser: Browser;
/** This file's compound, its 业委会 member, and a resident whose password the login-form checks type. */
let compound: OwnCompound;
let ywh: Account;
let resident: Account;
const PASSWORD = 'an-zhuang-jian-cha-2026';
beforeAll(async () => {
	browser = await launch();
	compound = await newCompound('安全检查小区', rosterOf(4, '安全检查'));
	ywh = await newAccount('安全检查业委会', { grants: [{ role: 'owners_committee', scopeId: compound.id }] });
	resident = await newAccount('安全检查住户', { livesIn: [compound.units[0]], password: PASSWORD });
});
afterAll(async () => {
	await browser?.close();
});

const XSS = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = `<script>window.__xss=2</script>`;
const SQL = `Robert'); DROP TABLE users;--`;

/** Fails the test if the page ever runs injected code: a dialog, or the marker the payloads set. */
function watch(page: Page) {
	const dialogs: string[] = [];
	page.on('dialog', async (d) => {
		dialogs.push(d.message());
		await d.dismiss();
	});
	return {
		async assertInert() {
			expect(dialogs).toEqual([]);
			expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		}
	};
}

describe('hostile input renders inert and is stored verbatim', () => {
	it('a display name with markup or SQL shows as text', async () => {
		const context = await phone(browser);
		const page = await context.newPage();
		const guard = watch(page);
		await page.goto(`${baseUrl()}/register`);
		await page.getByLabel('手机号或用户名').fill('xss_tester');
		await page.getByLabel('称呼').fill(`${SQL}`.slice(0, 20));
		await page.getByLabel('密码').fill('xss-tester-2026');
		await page.getByRole('button', { name: '注册' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		await page.getByLabel('密码').fill('xss-tester-2026');
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL((u) => u.pathname === '/');
		expect(await page.textContent('main')).toContain(SQL.slice(0, 20));
		await guard.assertInert();
		await context.close();
	});

	it('roster cells and the file name with markup are shown literally to the 业委会', async () => {
		const context = await signInContext(await phone(browser), ywh);
		const page = await context.newPage();
		const guard = watch(page);
		await page.goto(`${baseUrl()}/manage/compounds/${compound.id}/import`);
		const dir = mkdtempSync(join(tmpdir(), 'yishi-xss-'));
		const file = join(dir, `${XSS}.csv`.replace(/[/"]/g, '_'));
		writeFileSync(
			file,
			`楼栋,室号,面积,业主\n1号楼,101,80.00,"${SCRIPT}"\n1号楼,102,80.00,${XSS.replace(/"/g, '')}\n1号楼,103,八十,=HYPERLINK("http://evil")\n`
		);
		await page.setInputFiles('input[type=file]', file);
		await page.getByRole('button', { name: '预览' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('处问题');
		expect(await page.textContent('main')).toContain('<img src=x onerror=');
		await guard.assertInert();
		await context.close();
	});
});

describe('requests from other sites', () => {
	it('refuses a cross-origin form post', async () => {
		const res = await fetch(`${baseUrl()}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
			body: new URLSearchParams({ login: resident.login, password: PASSWORD }).toString()
		});
		expect(res.status).toBe(403);
		expect(res.headers.get('set-cookie')).toBeNull();
	});

	it('sends the hardening headers and a content security policy', async () => {
		const res = await fetch(`${baseUrl()}/login`);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
	});

	it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
		const form = new URLSearchParams({ login: resident.login, password: PASSWORD, next: '/' });
		const res = await fetch(`${baseUrl()}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl() },
			body: form
		});
		const cookie = res.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/yishi_session=/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
	});
});
