import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { generateDemoData, rosterToCsv } from '../../src/lib/domain/demo/index.ts';
import { baseUrl, launch, phone, snap } from './browser.ts';
import { newAccount, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { phoneAs } from './session.ts';

let browser: Browser;
/** This file's compound, on 爱建's demo roster, and a second one whose management pages its owner may not open. */
let compound: OwnCompound;
let neighbour: OwnCompound;
let ywh: Account;
beforeAll(async () => {
	browser = await launch();
	compound = await newCompound('奠基小区', aijianRoster());
	neighbour = await newCompound('奠基邻里小区', rosterOf(4, '邻里'));
	ywh = await newAccount('奠基业委会委员', { grants: [{ role: 'owners_committee', scopeId: compound.id }] });
});
afterAll(async () => {
	await browser?.close();
});

const aijianRoster = () => generateDemoData().compounds.find((c) => c.id === 'aijian')!.units;

/** The compound's roster (爱建's demo roster) as the 业委会 would have it in Excel's CSV, with one changed and one broken row. */
function rosterFiles() {
	const units = aijianRoster().map((u) => ({ ...u }));
	const target = units.findIndex((u) => u.building === '1号楼' && u.status === 'owned');
	units[target] = { ...units[target], areaHundredths: units[target].areaHundredths + 100 };
	const good = rosterToCsv(units);
	const lines = good.split(/\r?\n/);
	// Row 6 of the sheet (header is row 1): its area becomes words, as a careless clerk might type.
	const cells = lines[5].split(',');
	cells[2] = '八十';
	const bad = [...lines.slice(0, 5), cells.join(','), ...lines.slice(6)].join('\r\n');
	const dir = mkdtempSync(join(tmpdir(), 'yishi-roster-'));
	writeFileSync(join(dir, '爱建房屋清册.csv'), bad);
	writeFileSync(join(dir, '爱建房屋清册-改正.csv'), good);
	return { bad: join(dir, '爱建房屋清册.csv'), good: join(dir, '爱建房屋清册-改正.csv') };
}

describe('foundation: roster, letters, verification', () => {
	let code = '';

	it('a 业委会 member imports a roster with a bad row, fixes it, and prints letters', async () => {
		const { context, page } = await phoneAs(browser, ywh);
		await page.goto(baseUrl());
		await page.getByRole('link', { name: '管理' }).click();
		await page.getByRole('link', { name: /奠基小区/ }).click();
		await page.getByRole('link', { name: '导入房屋清册' }).click();

		const files = rosterFiles();
		await page.setInputFiles('input[type=file]', files.bad);
		await page.getByRole('button', { name: '预览' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('发现 1 处问题');
		await expect.poll(() => page.locator('table').textContent()).toContain('八十');
		await snap(page, 'foundation-import-problem');
		expect(await page.getByRole('button', { name: /确认导入/ }).count()).toBe(0);

		await page.setInputFiles('input[type=file]', files.good);
		await page.getByRole('button', { name: '预览' }).click();
		await expect.poll(() => page.locator('section[aria-live]').textContent()).toContain('变更 1 户');
		await page.getByRole('button', { name: /确认导入/ }).click();
		await page.waitForURL(/imported=2/);
		expect(await page.locator('.versions').textContent()).toContain('第 2 版');
		await snap(page, 'foundation-roster');

		await page.getByRole('link', { name: '打印核验信' }).click();
		// The roster page has a 楼栋 filter too: wait for the letters page before choosing.
		await page.waitForURL(/\/letters$/);
		await page.getByLabel('楼栋').selectOption({ label: '2号楼' });
		await page.getByRole('button', { name: '生成核验信' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('已生成');
		const first = page.locator('article.letter').first();
		expect(await first.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
		code = (await first.locator('.code').textContent())!.trim();
		expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		await snap(page, 'foundation-letters');
		await context.close();
	});

	it('a resident opens the QR link, registers, claims the code and sees the unit', async () => {
		const context = await phone(browser, { elder: true });
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/claim?c=${code.replace('-', '')}`);
		await page.getByRole('link', { name: '注册新账号' }).click();
		await page.getByLabel('手机号或用户名').fill('13912345678');
		await page.getByLabel('称呼').fill('2号楼钱阿姨');
		await page.getByLabel('密码').fill('qian-ayi-2026');
		await page.getByRole('button', { name: '注册' }).click();
		// Sign-up does not sign in (its answer must not tell whether the number was new): log in with the new password.
		await expect.poll(() => page.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		expect(await page.getByLabel('手机号或用户名').inputValue()).toBe('13912345678');
		await page.getByLabel('密码').fill('qian-ayi-2026');
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL(/\/claim\?c=/);
		expect(await page.getByLabel('核验码').inputValue()).toBe(code.replace('-', ''));
		await page.getByRole('button', { name: '核验' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('核验成功');
		await snap(page, 'foundation-claimed-elder');
		await page.getByRole('link', { name: '查看我的房屋' }).click();
		expect(await page.locator('.units').textContent()).toContain('奠基小区 2号楼');
		await context.close();
	});

	it('a second claim of the same code fails with a clear message', async () => {
		const { context, page } = await phoneAs(browser, await newAccount('邻里业主', { owns: [neighbour.units[0]] }));
		await page.goto(`${baseUrl()}/claim?c=${code}`);
		await page.getByRole('button', { name: '核验' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('已经被使用过了');
		await context.close();
	});

	it("an owner of one compound cannot open another compound's management pages", async () => {
		const { context, page } = await phoneAs(browser, await newAccount('奠基业主', { owns: [compound.units[0]] }));
		const response = await page.goto(`${baseUrl()}/manage/compounds/${neighbour.id}`);
		expect(response?.status()).toBe(403);
		expect(await page.textContent('body')).toContain('房屋清册只有业委会、居委和监票人可以查看');
		await context.close();
	});
});
