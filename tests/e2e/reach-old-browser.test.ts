/**
 * Issue #14: an owner on an old Android phone opens Yishi inside WeChat. The pages here lack every
 * API newer than the floor (Chrome 89 / iOS 15, see reach-floor.ts) and must still work: the
 * resident's whole path from the letter's code to the vote receipt, co-editing an alternative, and
 * the editor coming back after WeChat was in the background and its socket was cut.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, advanceServerClock, baseUrl, launch, snap } from './browser.ts';
import { oldPhone } from './reach-floor.ts';

process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const { openDatabase } = await import('../../src/lib/server/db/client.ts');
const voting = await import('../../src/lib/server/voting/index.ts');
const drafting = await import('../../src/lib/server/drafting/index.ts');
const verification = await import('../../src/lib/server/communities/verification.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');
const schema = await import('../../src/lib/server/db/schema/index.ts');
const { publishedAgendaItem } = await import('../helpers/agenda.ts');
const { eq } = await import('drizzle-orm');

const DAY = 24 * 3600_000;
const database = openDatabase(inject('databaseUrl'));
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	browser = await launch();
});
afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
	database.close();
});

async function actorOf(login: string) {
	const [user] = await database.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.login, login));
	return loadActor(database, user.id);
}

async function oldPage(errors: string[], options: { elder?: boolean } = {}): Promise<Page> {
	const context = await oldPhone(browser, errors, options);
	contexts.push(context);
	return context.newPage();
}

async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto(`${baseUrl()}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('手机号或用户名').fill(login);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

/** A 虹桥 vote opened for this file: a fresh unit nobody has claimed, and its letter code. */
async function openHongqiaoVote(title: string) {
	const ywh = await actorOf('hongqiao_ywh');
	const agendaItemId = await publishedAgendaItem(database, ['hongqiao'], 'ordinary', title);
	const now = Date.now() + Number((await import('node:fs')).readFileSync(inject('clockFile'), 'utf8').trim() || 0);
	const { ballotId } = await voting.createBallot(database, ywh, {
		title,
		ruleKind: 'ordinary',
		agendaItemId,
		motions: [{ id: 'A', title: '方案A：楼道加装声控灯', text: '在每个楼道加装声控灯，费用从公共收益中列支。' }],
		compounds: [{ compoundId: 'hongqiao' }],
		opensAt: now + 16 * DAY,
		closesAt: now + 30 * DAY
	});
	await voting.publishNotice(database, ywh, { ballotId });
	advanceServerClock(16 * DAY + 3600_000);
	await voting.openBallot(database, ywh, { ballotId });
	const electorate = await database.db.select().from(schema.electorateUnits).where(eq(schema.electorateUnits.ballotId, ballotId));
	const claimed = new Set((await database.db.select({ unitId: schema.memberships.unitId }).from(schema.memberships)).map((m) => m.unitId));
	const unit = electorate.filter((u) => u.status === 'owned' && !claimed.has(u.unitId)).reverse()[0];
	const [issued] = await verification.issueCodes(database, ywh, 'hongqiao', [unit.unitId]);
	return { ballotId, unit, code: issued.code };
}

describe('the WeChat floor: Chrome 89 / iOS 15 without newer APIs', () => {
	it('a resident claims a unit from the letter, reads the proposal, votes and gets a receipt', async () => {
		const errors: string[] = [];
		const { ballotId, unit, code } = await openHongqiaoVote('楼道声控灯表决（旧浏览器）');
		const page = await oldPage(errors, { elder: true });
		// A page without JavaScript shows the floor as it is: the newer APIs are really gone.
		await page.goto(`${baseUrl()}/records`);
		expect(await page.evaluate(() => [typeof structuredClone, typeof [].at, typeof Object.hasOwn, typeof [].findLast])).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
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
		const { set, alternatives } = await drafting.createDraft(database, await actorOf('facilitator'), {
			title: '边门方案（旧浏览器）',
			compoundIds: ['aijian', 'hongqiao'],
			sessionId: 'gate-case',
			alternatives: [{ title: '全天开放' }, { title: '维持关闭' }]
		});
		const url = `${baseUrl()}/drafts/${set.id}/${alternatives[0].id}`;
		const zhang = await oldPage(errors);
		const li = await oldPage(errors);
		await signIn(zhang, 'aijian_owner');
		await signIn(li, 'hongqiao_owner');
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
