/**
 * The 爱建/虹桥 vote walked at 360×740 as each role would (issue #13, items 1, 2, 3, 7, 9).
 *
 * Its compound, 居委 worker, 业委会 members, ballots, owners and proxy are its own, made through the
 * real services in this process on the server's database file and clock (seed.ts), "earlier" on this
 * process's clock so that one ballot is inside its window and the other has just ended — the server's
 * clock is never moved. Everyone is signed in by a session cookie (session.ts), not the login form.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, snap } from './browser.ts';
import { database, newAccount, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { phoneAs } from './session.ts';
import { lawfulSchedule } from '../../src/lib/domain/time/ballot-periods.ts';
import { loadCalendar } from '../../src/lib/server/scheduler/calendar.ts';

process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const { loadActor } = await import('../../src/lib/server/access.ts');
const { clock } = await import('../../src/lib/server/util/clock.ts');
const schema = await import('../../src/lib/server/db/schema/index.ts');
const voting = await import('../../src/lib/server/voting/index.ts');
const { publishedAgendaItem } = await import('../helpers/agenda.ts');
const { eq } = await import('drizzle-orm');

const DAY = 24 * 3600_000;
const PRINCIPAL = '钱阿婆';

let browser: Browser;
const contexts: BrowserContext[] = [];

type Unit = { unitId: string; buildingName: string; room: string };
let openBallot = '';
let endedBallot = '';
let ownerUnit: Unit;
let principalUnit: Unit;
let paperUnits: Unit[] = [];
let compound: OwnCompound;
let owner: Account;
let proxy: Account;
let ywh: Account;
let ywh2: Account;
let juwei: Account;
/** The paper form's building choice for a unit of this file's compound. */
const buildingValue = (unit: Unit) => `${compound.id}|${unit.buildingName}`;

async function at<T>(t: number, fn: () => Promise<T>): Promise<T> {
	const realNow = clock.now;
	clock.now = () => t;
	try {
		return await fn();
	} finally {
		clock.now = realNow;
	}
}

/** A ballot of the file's compound created `ago` before now with a window of `windowDays`, announced and opened. */
async function ballotOpenedAgo(title: string, ago: number, windowDays: number, allowChange: boolean) {
	const manager = await loadActor(database, juwei.id);
	const agendaItemId = await publishedAgendaItem(database, [compound.id], 'ordinary', title);
	const createdAt = clock.now() - ago;
	// Dates valid under the period rules (notice period, a working closing day) whatever the weekday.
	const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), createdAt, 15, windowDays);
	const { ballotId } = await at(createdAt, () =>
		voting.createBallot(database, manager, {
			title,
			ruleKind: 'ordinary',
			agendaItemId,
			motions: [
				{ id: 'A', title: '方案A 边门全天开放' },
				{ id: 'B', title: '方案B 边门6:00–22:00开放' }
			],
			compounds: [{ compoundId: compound.id }],
			allowChange,
			noticeDays: 15,
			opensAt,
			closesAt
		})
	);
	await at(createdAt, () => voting.publishNotice(database, manager, { ballotId }));
	await at(opensAt + 3600_000, () => voting.openBallot(database, manager, { ballotId }));
	return { ballotId, opensAt };
}

beforeAll(async () => {
	browser = await launch();
	compound = await newCompound('回访小区', rosterOf(12, '回访'));
	[ownerUnit, principalUnit, ...paperUnits] = compound.rooms;
	const committee = (compoundId: string) => [{ role: 'owners_committee' as const, scopeId: compoundId }];
	juwei = await newAccount('回访居委小陈', { grants: [{ role: 'committee_staff', scopeId: compound.committeeId }] });
	ywh = await newAccount('回访业委会甲', { grants: committee(compound.id), owns: [paperUnits[5].unitId] });
	ywh2 = await newAccount('回访业委会乙', { grants: committee(compound.id), owns: [paperUnits[6].unitId] });
	owner = await newAccount('孙老伯', { owns: [ownerUnit.unitId] });
	// The principal's daughter lives with her (居民, not an owner): she votes only through the 委托书.
	proxy = await newAccount('钱家女儿', { livesIn: [principalUnit.unitId] });
	openBallot = (await ballotOpenedAgo('边门表决（回访测试）', 20 * DAY, 20, true)).ballotId;
	const committeeMember = await loadActor(database, ywh.id);
	await voting.recordProxy(database, committeeMember, {
		ballotId: openBallot,
		unitIds: [principalUnit.unitId],
		principalName: PRINCIPAL,
		proxyUserId: proxy.id,
		instructions: { A: 'no', B: 'yes' }
	});

	// A ballot whose window has just ended, with one paper ballot typed once and never checked.
	const ended = await ballotOpenedAgo('边门表决（结束确认测试）', 30 * DAY, 10, false);
	endedBallot = ended.ballotId;
	await at(ended.opensAt + 2 * 3600_000, () =>
		voting.enterPaperBallot(database, committeeMember, {
			ballotId: endedBallot,
			unitId: paperUnits[0].unitId,
			choices: { A: 'yes', B: 'yes' }
		})
	);
});

afterAll(async () => {
	for (const c of contexts) await c.close();
	await browser?.close();
});

async function pageAs(account: Account, elder = false): Promise<Page> {
	const { context, page } = await phoneAs(browser, account, { elder });
	contexts.push(context);
	return page;
}

describe('item 1: an owner who voted sees it every time they come back', () => {
	it(
		'an owner votes, closes the browser, comes back the next day and sees their choices and ' + 'receipt; then changes the vote',
		async () => {
			const page = await pageAs(owner);
			await page.goto(`${baseUrl()}/vote`, { waitUntil: 'networkidle' });
			const tile = page.locator(`a[href="/vote/${openBallot}"]`);
			await expect.poll(() => tile.textContent()).toContain('您还没有投票');
			await tile.click();
			await page.waitForURL(`**/vote/${openBallot}`);
			await page.locator('fieldset', { hasText: '方案A' }).getByText('同意', { exact: true }).click();
			await page.locator('fieldset', { hasText: '方案B' }).getByText('反对', { exact: true }).click();
			await page.getByRole('button', { name: '下一步：核对' }).click();
			await page.getByRole('button', { name: '确认投票' }).click();
			await expect.poll(() => page.getByRole('status').first().textContent()).toContain('投票成功');
			const receipt = (await page.locator('.receipt').first().textContent())!.trim();
			await page.context().close();

			// The next day, a new browser: the vote is still there, on the list and on the ballot page.
			const again = await pageAs(owner);
			await again.goto(`${baseUrl()}/vote`, { waitUntil: 'networkidle' });
			await expect.poll(() => again.locator(`a[href="/vote/${openBallot}"]`).textContent()).toContain('已投票');
			await snap(again, 'walk-vote-list');
			await again.locator(`a[href="/vote/${openBallot}"]`).click();
			await again.waitForURL(`**/vote/${openBallot}`);
			const mine = again.locator('#my-vote');
			await expect.poll(() => mine.textContent()).toContain('您已投票');
			expect(await mine.textContent()).toContain('方案A 边门全天开放：您选择：同意');
			expect(await mine.textContent()).toContain('方案B 边门6:00–22:00开放：您选择：反对');
			expect(await mine.locator('.receipt').textContent()).toBe(receipt);
			expect(await again.getByRole('button', { name: '下一步：核对' }).count()).toBe(0);
			await snap(again, 'walk-vote-remembered');

			// 改票 starts from the previous choices: only B is tapped.
			await again.getByRole('link', { name: '改票' }).click();
			await again.waitForURL(/change=1/);
			expect(await again.locator('fieldset', { hasText: '方案A' }).getByLabel('同意').isChecked()).toBe(true);
			await again.locator('fieldset', { hasText: '方案B' }).getByText('同意', { exact: true }).click();
			await again.getByRole('button', { name: '下一步：核对' }).click();
			await again.getByRole('button', { name: '确认投票' }).click();
			await expect.poll(() => again.getByRole('status').first().textContent()).toContain('已替换之前的投票');
			await again.goto(`${baseUrl()}/vote/${openBallot}`);
			await expect.poll(() => again.locator('#my-vote').textContent()).toContain('方案B 边门6:00–22:00开放：您选择：同意');
			expect(await again.locator('#my-vote').textContent()).toContain('共改过 1 次');

			const elder = await pageAs(owner, true);
			await elder.goto(`${baseUrl()}/vote/${openBallot}`, { waitUntil: 'networkidle' });
			await expect.poll(() => elder.locator('#my-vote').textContent()).toContain('您已投票');
			await snap(elder, 'walk-vote-remembered-elder');
		}
	);
});

describe('item 7: a proxy votes for the principal and every page names her', () => {
	it('the daughter votes for 钱阿婆 as the 委托书 says; the receipt and the 业委会 list name both', async () => {
		const page = await pageAs(proxy);
		await page.goto(`${baseUrl()}/vote/${openBallot}`, { waitUntil: 'networkidle' });
		await expect.poll(() => page.locator('form.proxy').textContent()).toContain(`委托人：${PRINCIPAL}`);
		await page.getByRole('button', { name: '按委托书代为投票' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`已代${PRINCIPAL}投票`);
		expect(await page.getByRole('status').first().textContent()).toContain(`方案A 边门全天开放：代${PRINCIPAL}投：反对`);
		await snap(page, 'walk-proxy-receipt');
		await page.reload();
		await expect.poll(() => page.locator('#my-proxy-votes').textContent()).toContain(`已代${PRINCIPAL}投票`);

		const staff = await pageAs(ywh);
		await staff.goto(`${baseUrl()}/manage/ballots/${openBallot}`, { waitUntil: 'networkidle' });
		const listed = staff.locator('ul.proxies li', { hasText: PRINCIPAL });
		await expect.poll(() => listed.textContent()).toContain('受托人 钱家女儿');
		expect(await listed.textContent()).toContain(`${principalUnit.buildingName} ${principalUnit.room}`);
		expect(await listed.textContent()).toContain('方案A 边门全天开放：反对');
	});
});

describe('#15: a paper ballot the 受托人 signed names the 委托书 under double entry', () => {
	it('two members each pick 钱阿婆’s 委托书 below the choices; the second typing confirms it as a proxy ballot', async () => {
		const enter = async (member: Account) => {
			const page = await pageAs(member);
			await page.goto(`${baseUrl()}/manage/ballots/${openBallot}`, { waitUntil: 'networkidle' });
			await page.locator('#p-building').selectOption({ value: buildingValue(principalUnit) });
			await page.locator('#p-room').fill(principalUnit.room);
			await page.locator('#paper-form fieldset', { hasText: '方案A' }).getByLabel('反对').check();
			await page.locator('#paper-form fieldset', { hasText: '方案B' }).getByLabel('同意').check();
			const letter = await page.locator('#p-proxy option', { hasText: PRINCIPAL }).getAttribute('value');
			await page.locator('#p-proxy').selectOption(letter!);
			await page.getByRole('button', { name: '录入', exact: true }).click();
			return page;
		};
		const first = await enter(ywh);
		const recent = first.locator('ul.recent li', { hasText: `${principalUnit.buildingName} ${principalUnit.room}` });
		await expect.poll(() => recent.textContent()).toContain(`受托人代签（委托人：${PRINCIPAL}）`);
		// A fresh form for the next ballot: back to the owner's own signature.
		await expect.poll(() => first.locator('#p-proxy').inputValue()).toBe('');

		const second = await enter(ywh2);
		await expect.poll(() => second.locator('#paper-form .entry-message').textContent()).toContain('两位成员录入一致');
		await snap(second, 'walk-paper-proxy');
	});
});

describe('items 2 and 9: 扫楼 entry answers where the member looks and starts fresh', () => {
	it(
		'a member types ５０２室-style rooms by keyboard only; the answer shows beside 录入, the form ' +
			'clears, the entry is listed with an undo',
		async () => {
			const page = await pageAs(ywh);
			await page.goto(`${baseUrl()}/manage/ballots/${openBallot}`, { waitUntil: 'networkidle' });
			const target = paperUnits[1];
			await page.locator('#p-building').selectOption({ value: buildingValue(target) });

			// An empty room is asked for by name, beside the field.
			await page.locator('#paper-form fieldset', { hasText: '方案A' }).getByLabel('同意').check();
			await page.locator('#paper-form fieldset', { hasText: '方案B' }).getByLabel('同意').check();
			await page.locator('#p-room').press('Enter');
			await expect.poll(() => page.locator('#paper-form .field-error').textContent()).toBe('请填写室号');
			// What was chosen stays chosen.
			expect(await page.locator('#paper-form input[type=radio]:checked').count()).toBe(2);

			// Keyboard only: room (full-width digits and 室) → Tab to the first choice → Space → Enter.
			const fullWidth = target.room.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) + '室';
			await page.locator('#p-room').focus();
			await page.keyboard.type(fullWidth);
			await page.keyboard.press('Tab');
			await page.keyboard.press('Space');
			await page.keyboard.press('Tab');
			await page.keyboard.press('Space');
			await page.keyboard.press('Enter');
			const besideButton = page.locator('#paper-form .entry-message');
			await expect.poll(() => besideButton.textContent()).toContain(`${target.buildingName} ${target.room}：已录入`);
			// Fresh for the next ballot: room empty, nothing chosen, the building kept, the cursor in 室号.
			expect(await page.locator('#p-room').inputValue()).toBe('');
			expect(await page.locator('#paper-form input[type=radio]:checked').count()).toBe(0);
			expect(await page.locator('#p-building').inputValue()).toBe(buildingValue(target));
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('p-room');
			await snap(page, 'walk-paper-entered');

			const recent = page.locator('ul.recent li', { hasText: `${target.buildingName} ${target.room}` });
			await expect.poll(() => recent.textContent()).toContain('待另一位成员复核');
			expect(await recent.textContent()).toContain('方案A 边门全天开放 同意');
			await recent.getByRole('button', { name: '撤回' }).click();
			await expect
				.poll(() => page.locator('ul.recent li', { hasText: `${target.buildingName} ${target.room}` }).textContent())
				.toContain('已撤回');

			const elder = await pageAs(ywh, true);
			await elder.goto(`${baseUrl()}/manage/ballots/${openBallot}`, { waitUntil: 'networkidle' });
			await snap(elder, 'walk-paper-elder');
		}
	);
});

describe('item 2: printed ballots per unit, scanned then chosen', () => {
	it(
		'a member prints the ballots of one building; each sheet carries the fingerprint and a QR ' +
			'code that opens the form with the unit filled in',
		async () => {
			const page = await pageAs(ywh);
			await page.goto(`${baseUrl()}/manage/ballots/${openBallot}`, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: /打印每户纸质票/ }).click();
			await page.waitForURL(/\/print$/);
			const target = paperUnits[2];
			await page.locator('#print-building').selectOption({ value: buildingValue(target) });
			await page.getByRole('button', { name: '显示这栋楼的纸质票' }).click();
			await page.waitForURL(/building=/);
			await page.waitForLoadState('networkidle');
			await snap(page, 'walk-print-chosen');
			const sheet = page.locator('article.sheet', { hasText: `${target.buildingName} ${target.room}` });
			await expect.poll(() => sheet.count()).toBe(1);
			expect(await sheet.textContent()).toContain('方案A 边门全天开放');
			expect(await sheet.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
			await snap(page, 'walk-print-ballots');

			// The QR code's address: the entry form opens with this unit filled in; choose and press Enter.
			await sheet.getByRole('link', { name: '录入这户的纸质票' }).click();
			await page.waitForURL(/room=/);
			await page.waitForLoadState('networkidle');
			expect(await page.locator('#p-room').inputValue()).toBe(target.room);
			expect(await page.locator('#p-building').inputValue()).toBe(buildingValue(target));
			await page.locator('#paper-form fieldset', { hasText: '方案A' }).getByLabel('反对').check();
			await page.locator('#paper-form fieldset', { hasText: '方案B' }).getByLabel('弃权').check();
			await page.locator('#p-room').press('Enter');
			await expect
				.poll(() => page.locator('#paper-form .entry-message').textContent())
				.toContain(`${target.buildingName} ${target.room}：已录入`);
		}
	);
});

describe('item 3: 结束计票 shows what will be left out before anything is closed', () => {
	it('the member asked to close sees the unchecked paper ballot first, and only the second step closes', async () => {
		const page = await pageAs(ywh);
		await page.goto(`${baseUrl()}/manage/ballots/${endedBallot}`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /结束计票/ }).click();
		await page.waitForURL(/step=close/);
		const confirm = page.locator('#confirm-close');
		await expect.poll(() => confirm.textContent()).toContain('还有 1 户的纸质票没有完成两人录入');
		expect(await confirm.textContent()).toContain('不计入');
		await snap(page, 'walk-close-confirm');
		// Nothing closed yet: going back leaves the ballot as it was.
		const [row] = await database.db
			.select({ closedAt: schema.ballots.closedAt })
			.from(schema.ballots)
			.where(eq(schema.ballots.id, endedBallot));
		expect(row.closedAt).toBeNull();

		await page.getByRole('button', { name: '确认结束计票' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('计票已结束。有 1 张纸质票未完成复核，未计入');
	});
});
