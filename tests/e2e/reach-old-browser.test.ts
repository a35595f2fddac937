/**
 * Issue #14: an owner on an old Android phone opens Yishi inside WeChat. The pages here lack every
 * API newer than the floor (Chrome 89 / iOS 15, see reach-floor.ts) and must still work: the
 * resident's whole path from the letter's code to the vote receipt, co-editing an alternative, and
 * the editor coming back after WeChat was in the background and its socket was cut. Its compounds,
 * vote, draft set and people are its own (seed.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, browserForThisFile, snap } from './browser.ts';
import { oldPhone } from './reach-floor.ts';
import { newDraftingCase, openOwnVote } from './seed.ts';
import { signInContext } from './session.ts';

const { browser, track } = browserForThisFile();

async function oldPage(errors: string[], options: { elder?: boolean } = {}): Promise<Page> {
	return track(await oldPhone(browser(), errors, options)).newPage();
}

describe('the WeChat floor: Chrome 89 / iOS 15 without newer APIs', () => {
	it('a resident claims a unit from the letter, reads the proposal, votes and gets a receipt', async () => {
		const errors: string[] = [];
		const { ballotId, unit, code } = await openOwnVote('旧手机小区', '楼道声控灯表决（旧浏览器）', {
			title: '方案A：楼道加装声控灯',
			text: '在每个楼道加装声控灯，费用从公共收益中列支。'
		});
		const page = await oldPage(errors, { elder: true });
		// A page without JavaScript shows the floor as it is: the newer APIs are really gone.
		await page.goto(`${baseUrl()}/records`);
		expect(await page.evaluate(() => [typeof structuredClone, typeof [].at, typeof Object.hasOwn, typeof [].findLast])).toEqual([
			'undefined',
			'undefined',
			'undefined',
			'undefined'
		]);
		// The QR code on the letter opens the claim page with the code in the link.
		await page.goto(`${baseUrl()}/claim?c=${code.replace('-', '')}`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '注册新账号' }).click();
		await page.waitForURL(/\/register/);
		await page.waitForLoadState('networkidle');
		await page.getByLabel('手机号或用户名').fill('13800138089');
		await page.getByLabel('称呼').fill('孙阿婆');
		await page.getByLabel('密码').fill('sun-apo-bianmen-2026');
		await page.getByRole('button', { name: '注册' }).click();
		// Sign-up does not sign in (its answer must not tell whether the number was new): log in with the new password.
		await expect.poll(() => page.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		await page.getByLabel('密码').fill('sun-apo-bianmen-2026');
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL(/\/claim\?c=/);
		await page.waitForLoadState('networkidle');
		await page.getByRole('button', { name: '核验' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('核验成功');
		expect(await page.getByRole('status').textContent()).toContain(unit.room);

		await page.goto(`${baseUrl()}/vote`, { waitUntil: 'networkidle' });
		await page.locator(`a[href="/vote/${ballotId}"]`).click();
		await page.waitForURL(new RegExp(`/vote/${ballotId}$`));
		await page.waitForLoadState('networkidle');
		await page.getByText('查看方案全文（定稿）').click();
		await expect.poll(() => page.locator('pre.frozen').isVisible()).toBe(true);
		expect(await page.locator('pre.frozen').textContent()).toContain('声控灯');

		await page.getByText('同意', { exact: true }).click();
		// The chosen answer is marked without CSS :has() (Chrome 105).
		await expect.poll(() => page.locator('label.choice.chosen').textContent()).toContain('同意');
		await page.getByRole('button', { name: '下一步：核对' }).click();
		await expect.poll(() => page.locator('.review-line').first().textContent()).toContain('您选择：同意');
		await page.getByRole('button', { name: '确认投票' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('投票成功');
		expect((await page.locator('.receipt').textContent())!.trim()).toMatch(/\S{6,}/);
		await snap(page, 'reach-old-browser-receipt');
		expect(errors).toEqual([]);
	});

	it('two old phones co-edit one alternative; the editor comes back after the socket is cut', async () => {
		const errors: string[] = [];
		const gate = await newDraftingCase('旧手机');
		const { set, alternatives } = await gate.newDraft('边门方案（旧浏览器）', [{ title: '全天开放' }, { title: '维持关闭' }]);
		const url = `${baseUrl()}/drafts/${set.id}/${alternatives[0].id}`;
		const zhang = await oldPage(errors);
		const li = await oldPage(errors);
		await signInContext(zhang.context(), gate.zhang);
		await signInContext(li.context(), gate.li);
		const status = (page: Page) => page.getByTestId('draft-status');
		const body = (page: Page) => page.locator('.ProseMirror');
		for (const page of [zhang, li]) {
			await page.goto(url);
			await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toContain('已保存');
		}

		await body(zhang).click();
		await zhang.keyboard.type('爱建：边门白天开放。');
		await expect.poll(() => body(li).innerText()).toContain('爱建：边门白天开放。');
		await body(li).click();
		await li.keyboard.press('End');
		await li.keyboard.type('虹桥：夜里要关。');
		await expect.poll(() => body(zhang).innerText()).toContain('虹桥：夜里要关。');
		await expect.poll(() => status(li).textContent()).toContain('已保存');

		// WeChat in the background: the socket dies. The editor says so, keeps what is typed, and
		// stores it when the connection is back.
		const cut = () =>
			zhang.evaluate(() => {
				const sockets = (window as unknown as { __yishiSockets: WebSocket[] }).__yishiSockets;
				for (const socket of sockets) if (socket.readyState === WebSocket.OPEN) socket.close();
			});
		await cut();
		await expect.poll(() => status(zhang).textContent()).toMatch(/离线|正在同步/);
		await body(zhang).click();
		await zhang.keyboard.press('End');
		await zhang.keyboard.type('断线时写的一句。');
		await zhang.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
		await expect.poll(() => status(zhang).textContent(), { timeout: 30_000 }).toContain('已保存');
		await expect.poll(() => body(li).innerText(), { timeout: 15_000 }).toContain('断线时写的一句。');
		await zhang.reload();
		await expect.poll(() => status(zhang).textContent(), { timeout: 15_000 }).toContain('已保存');
		expect(await body(zhang).innerText()).toContain('断线时写的一句。');
		expect(errors).toEqual([]);
	});
});
