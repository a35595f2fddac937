/**
 * A 受托人 who lives in another compound (民法典 art. 161: a proxy may be anyone the owner trusts): the
 * 业委会 of 虹桥 records a 委托书 for one of its flats naming the 仙霞 owner, who signs in on a phone,
 * finds the ballot on the home page and in 投票, opens it, casts as instructed and sees the receipt.
 * The 委托书 is revoked at the end, so the ballot leaves the 仙霞 owner's pages for the files after this.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, phone, signIn, snap } from './browser.ts';
import { actorOf, database, openHongqiaoVote } from './seed.ts';

const voting = await import('../../src/lib/server/voting/index.ts');

const TITLE = '外小区受托人代投测试';
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ballotId: string;
let proxyId: string;

beforeAll(async () => {
	const opened = await openHongqiaoVote(
		TITLE,
		{ title: '更换小区大门门禁', text: '大门门禁改为刷卡和人脸识别两种方式，费用由公共收益支付。' },
		(units) => units[units.length - 2]
	);
	ballotId = opened.ballotId;
	const outsider = await actorOf('xianxia_owner');
	({ proxyId } = await voting.recordProxy(database, await actorOf('hongqiao_ywh'), {
		ballotId,
		unitIds: [opened.unit.unitId],
		principalName: '李阿伯',
		proxyUserId: outsider.userId,
		instructions: { A: 'yes' }
	}));
	browser = await launch();
	context = await phone(browser);
	page = await context.newPage();
	await signIn(page, 'xianxia_owner');
});

afterAll(async () => {
	await voting.revokeProxy(database, await actorOf('hongqiao_ywh'), { proxyId }).catch(() => undefined);
	await browser?.close();
});

describe('a 受托人 from another compound', () => {
	it('finds the ballot on the home page and under 投票', async () => {
		await page.goto(`${baseUrl()}/`);
		await expect(page.getByRole('link', { name: new RegExp(`您有一项表决待投：${TITLE}`) }).count()).resolves.toBe(1);
		await page.goto(`${baseUrl()}/vote`);
		await page.getByRole('link', { name: new RegExp(TITLE) }).click();
		await page.waitForURL(new RegExp(`/vote/${ballotId}$`));
	});

	it('opens it, reads the motion, casts for the owner as instructed and gets the receipt', async () => {
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(TITLE);
		await expect(page.getByText('更换小区大门门禁').first().isVisible()).resolves.toBe(true);
		await page.getByText('查看方案全文（定稿）').click();
		await expect(page.getByText('大门门禁改为刷卡和人脸识别两种方式').isVisible()).resolves.toBe(true);
		await expect(page.getByText('委托人：李阿伯').isVisible()).resolves.toBe(true);
		// Not an owner here, and not told so: the 委托书 is what they came for.
		await expect(page.getByText('只有参与小区已核验的业主可以投票').count()).resolves.toBe(0);
		await page.getByRole('button', { name: '按委托书代为投票' }).click();
		const status = page.getByRole('status').filter({ hasText: '已代李阿伯投票' });
		await status.waitFor();
		await expect(status.textContent()).resolves.toContain('更换小区大门门禁：代李阿伯投：同意');
		expect(await status.locator('.receipt').textContent()).toMatch(/^\S{6,}$/);
		await snap(page, 'proxy-cross-receipt');
	});

	it('is refused the ballot once the 委托书 is revoked, and it leaves their list', async () => {
		await voting.revokeProxy(database, await actorOf('hongqiao_ywh'), { proxyId });
		const response = await page.goto(`${baseUrl()}/vote/${ballotId}`);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('您不是这个小区的居民').count()).resolves.toBeGreaterThan(0);
		await page.goto(`${baseUrl()}/vote`);
		await expect(page.getByRole('link', { name: new RegExp(TITLE) }).count()).resolves.toBe(0);
	});
});
