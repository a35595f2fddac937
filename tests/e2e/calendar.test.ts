/**
 * The rest-day calendar and the period rules in the browser: the administrator enters a year (a bad
 * line is named and nothing typed is lost), 居委 staff cannot, and the ballot form refuses a closing
 * day on a weekend with the rule's date filled in. The year entered is 2099 (invented, so no other
 * walk on this server is affected). The administrator, the 居委 worker, the 业委会 member and the
 * compound are this file's own (seed.ts), signed in by a session cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launch, snap } from './browser.ts';
import { newAccount, newCompound, rosterOf, type Account } from './seed.ts';
import { phoneAs } from './session.ts';

let browser: Browser;
let people: { admin: Account; juwei: Account; ywh: Account };
beforeAll(async () => {
	browser = await launch();
	const compound = await newCompound('日历小区', rosterOf(4, '日历'));
	people = {
		admin: await newAccount('日历管理员', { grants: [{ role: 'admin', scopeId: null }] }),
		juwei: await newAccount('日历居委', { grants: [{ role: 'committee_staff', scopeId: compound.committeeId }] }),
		ywh: await newAccount('日历业委会', { grants: [{ role: 'owners_committee', scopeId: compound.id }] })
	};
});
afterAll(async () => {
	await browser?.close();
});

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('节假日安排', () => {
	it('the administrator enters a year; a bad line is named and the text is kept', async () => {
		const { context, page } = await phoneAs(browser, people.admin);
		await page.goto(`${baseUrl()}/admin/calendar`, { waitUntil: 'networkidle' });
		await expect.poll(() => page.locator('table').textContent()).toContain('国办发明电〔2024〕12号');
		await page.getByLabel('年份').fill('2099');
		const bad = '来源：测试用安排（非真实通知）\n2099-02-30 休 假';
		await page.locator('#c-text').fill(bad);
		await page.getByRole('button', { name: '保存这一年' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('第 2 行的日期不存在');
		expect(await page.locator('#c-text').inputValue()).toBe(bad);
		await page
			.locator('#c-text')
			.fill('来源：测试用安排（非真实通知）\n2099-10-01..2099-10-07 休 国庆节\n2099-09-26 班 国庆节调休上班');
		await page.getByRole('button', { name: '保存这一年' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('已录入 2099 年：8 天');
		await expect.poll(() => page.locator('table').textContent()).toContain('测试用安排（非真实通知）');
		await snap(page, 'admin-calendar');
		await context.close();
	});

	it('居委 staff cannot open it', async () => {
		const { context, page } = await phoneAs(browser, people.juwei);
		const response = await page.goto(`${baseUrl()}/admin/calendar`);
		expect(response?.status()).toBe(403);
		await context.close();
	});

	it('the ballot form refuses a Saturday as the closing day and fills in the Monday after', async () => {
		const { context, page } = await phoneAs(browser, people.ywh);
		await page.goto(`${baseUrl()}/manage/ballots/new`, { waitUntil: 'networkidle' });
		expect(await page.locator('main').textContent()).toContain('顺延到下一个工作日');
		const opensOn = await page.locator('#f-opensOn').inputValue();
		// The first Saturday at least a week after the opening day.
		let saturday = Date.parse(`${opensOn}T00:00:00Z`) + 7 * DAY;
		while (new Date(saturday).getUTCDay() !== 6) saturday += DAY;
		await page.getByLabel('表决标题').fill('日历测试：咨询性投票');
		await page.getByLabel('表决的议题').selectOption({ value: '' });
		await page.getByLabel('方案A').fill('同意');
		await page.locator('#f-closesOn').fill(iso(saturday));
		await page.getByRole('button', { name: '创建表决' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toContain('是法定休息日（星期六、星期日），按民法典第二百零三条顺延至');
		expect(await page.locator('#f-closesOn').inputValue()).toBe(iso(saturday + 2 * DAY));
		expect(await page.getByLabel('表决标题').inputValue()).toBe('日历测试：咨询性投票');
		await snap(page, 'ballot-form-rest-day');
		await page.getByRole('button', { name: '创建表决' }).click();
		await page.waitForURL(/\/manage\/ballots\/[a-z0-9]+$/);
		await context.close();
	});
});
