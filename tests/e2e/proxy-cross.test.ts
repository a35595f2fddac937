/**
 * A 受托人 who lives in another compound (民法典 art. 161: a proxy may be anyone the owner trusts): the
 * 业委会 of this file's compound records a 委托书 for one of its flats naming an owner of another compound,
 * who signs in on a phone, finds the ballot on the home page and in 投票, opens it, casts as instructed and
 * sees the receipt. Revoked, the 委托书 no longer opens the ballot. All data is this file's own (seed.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, snap } from './browser.ts';
import { database, newAccount, newCompound, openOwnVote, rosterOf } from './seed.ts';
import { phoneAs } from './session.ts';

const voting = await import('../../src/lib/server/voting/index.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');

const TITLE = '外小区受托人代投测试';
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ballotId: string;
let proxyId: string;

let committee: Awaited<ReturnType<typeof loadActor>>;

beforeAll(async () => {
	const opened = await openOwnVote('代投花园', TITLE, {
		title: '更换小区大门门禁',
		text: '大门门禁改为刷卡和人脸识别两种方式，费用由公共收益支付。'
	});
	ballotId = opened.ballotId;
	const member = await newAccount('代投花园业委会委员', { grants: [{ role: 'owners_committee', scopeId: opened.unit.compoundId }] });
	committee = await loadActor(database, member.id);
	const elsewhere = await newCompound('外区小区', rosterOf(2, '外区'));
	const outsider = await newAccount('外小区受托人', { owns: [elsewhere.units[0]] });
	({ proxyId } = await voting.recordProxy(database, committee, {
		ballotId,
		unitIds: [opened.unit.unitId],
		principalName: '李阿伯',
		proxyUserId: outsider.id,
		instructions: { A: 'yes' }
	}));
	browser = await launch();
	({ context, page } = await phoneAs(browser, outsider));
});

afterAll(async () => {
	await context?.close();
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
		await voting.revokeProxy(database, committee, { proxyId });
		const response = await page.goto(`${baseUrl()}/vote/${ballotId}`);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('您不是这个小区的居民').count()).resolves.toBeGreaterThan(0);
		await page.goto(`${baseUrl()}/vote`);
		await expect(page.getByRole('link', { name: new RegExp(TITLE) }).count()).resolves.toBe(0);
	});
});
