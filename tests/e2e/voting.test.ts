import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { advanceServerClock, baseUrl, launch, phone, snap } from './browser.ts';
import { database, newAccount, newCluster, newCompound, type Account, type OwnCompound } from './seed.ts';
import { phoneAs } from './session.ts';

// The services below run in this process against the server's database file and share the
// server's test clock, so bulk ballots (hundreds of owners) need not be clicked one by one.
process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const { generateDemoData } = await import('../../src/lib/domain/demo/index.ts');
const { publishedAgendaItem } = await import('../helpers/agenda.ts');
const voting = await import('../../src/lib/server/voting/index.ts');
const { electorateUnits, electorateVoters } = await import('../../src/lib/server/db/schema/index.ts');
const { eq } = await import('drizzle-orm');
const { clock } = await import('../../src/lib/server/util/clock.ts');

/**
 * Moves the server's clock to an hour after `at` (the ballot's opening or close). The form's dates
 * follow the period rules, so how far that is depends on the weekday the walk reached.
 */
function advanceServerClockPast(at: number): void {
	advanceServerClock(Math.max(0, at + 3600_000 - clock.now()));
}

/**
 * This file's gate case: two compounds on the demo's 爱建 and 虹桥 rosters (so the bulk shares give
 * the same results) under two 居委 of a 片区 of its own, their published gate item, and people who
 * hold the flats the demo's people hold.
 */
const AIJIAN = '表决爱建小区';
const HONGQIAO = '表决虹桥小区';
const GATE_ITEM = '边门是否重新开放并改造为共享空间（表决走查）';
let compounds: { aijian: OwnCompound; hongqiao: OwnCompound };
type Person = 'juwei' | 'aijian_owner' | 'hongqiao_owner' | 'aijian_ywh' | 'hongqiao_ywh' | 'hongqiao_ywh2';
let people: Record<Person, Account>;

let browser: Browser;

beforeAll(async () => {
	browser = await launch();
	const demo = generateDemoData().compounds;
	const rosterOf = (id: string) => demo.find((c) => c.id === id)!.units;
	const { clusterId } = await newCluster('表决');
	const aijian = await newCompound(AIJIAN, rosterOf('aijian'), clusterId);
	const hongqiao = await newCompound(HONGQIAO, rosterOf('hongqiao'), clusterId);
	compounds = { aijian, hongqiao };
	const flats = (compound: OwnCompound, ...rooms: string[]) =>
		rooms.map((r) => compound.rooms.find((u) => `${u.buildingName} ${u.room}` === r)!.unitId);
	const committee = (compound: OwnCompound) => [{ role: 'owners_committee' as const, scopeId: compound.id }];
	people = {
		juwei: await newAccount('表决居委', {
			grants: [aijian.committeeId, hongqiao.committeeId].map((scopeId) => ({ role: 'committee_staff' as const, scopeId }))
		}),
		aijian_owner: await newAccount('表决张三', { owns: flats(aijian, '3号楼 502', '5号楼 201') }),
		hongqiao_owner: await newAccount('表决李四', { owns: flats(hongqiao, '2号楼 401') }),
		aijian_ywh: await newAccount('表决孙七', { owns: flats(aijian, '1号楼 301'), grants: committee(aijian) }),
		hongqiao_ywh: await newAccount('表决周八', { owns: flats(hongqiao, '6号楼 102'), grants: committee(hongqiao) }),
		hongqiao_ywh2: await newAccount('表决吴九', { owns: flats(hongqiao, '8号楼 503'), grants: committee(hongqiao) })
	};
	await publishedAgendaItem(database, [aijian.id, hongqiao.id], 'major', GATE_ITEM);
});
afterAll(async () => {
	await browser?.close();
});

/**
 * A stand-in owner for bulk ballots: the roster's owners who are not clicking in the browser. A unit
 * whose voter was fixed when the ballot opened (a verified demo account) is voted by that account.
 */
function ownerActor(unitId: string, compoundId: string, voter: string | undefined) {
	return { userId: voter ?? `bulk-${unitId}`, grants: [], memberships: [{ unitId, compoundId, relation: 'owner' as const }] };
}

/**
 * Casts bulk electronic ballots: `share` of each compound's owned units (skipping `skip`), the
 * first `yesShare` of them yes, the rest no, each owner's flats alike. Deterministic (roster order).
 */
async function castBulk(ballotId: string, compoundId: string, share: number, yesShare: number, skip: Set<string>) {
	const units = (await database.db.select().from(electorateUnits).where(eq(electorateUnits.ballotId, ballotId))).filter(
		(u) => u.compoundId === compoundId && u.status === 'owned' && !skip.has(u.unitId)
	);
	const voters = units.slice(0, Math.floor(units.length * share));
	const yes = Math.floor(voters.length * yesShare);
	const fixed = new Map(
		(await database.db.select().from(electorateVoters).where(eq(electorateVoters.ballotId, ballotId))).map((v) => [v.unitId, v.userId])
	);
	// An owner of several flats votes the same way for each (as on /vote): a flat's choice is that of its owner's first flat.
	const firstOfOwner = new Map<string, number>();
	voters.forEach((u, i) => firstOfOwner.set(u.ownerKey, firstOfOwner.get(u.ownerKey) ?? i));
	await Promise.all(
		voters.map((u) => {
			const choices = { A: firstOfOwner.get(u.ownerKey)! < yes ? 'yes' : 'no' };
			const actor = ownerActor(u.unitId, compoundId, fixed.get(u.unitId));
			return voting.castElectronicBallot(database, actor, { ballotId, choices, unitIds: [u.unitId] });
		})
	);
}

async function createGateBallot(page: Page, title: string): Promise<string> {
	await page.goto(`${baseUrl()}/manage/ballots/new`, { waitUntil: 'networkidle' });
	await page.getByLabel('表决标题').fill(title);
	// The file's published gate item; its rule (重大事项) comes with it.
	const item = page.getByLabel('表决的议题').locator('option', { hasText: GATE_ITEM });
	expect(await item.textContent()).toContain('（重大事项 (民法典第二百七十八条第一款第六至八项)）');
	await page.getByLabel('表决的议题').selectOption((await item.getAttribute('value'))!);
	// Only the two gate compounds take part.
	for (const box of await page.locator('input[name=compound]').all()) {
		const value = await box.getAttribute('value');
		if (value !== compounds.aijian.id && value !== compounds.hongqiao.id) await box.uncheck();
	}
	await page.getByLabel('方案A').fill('拆除边门，改造为两小区共享空间');
	await page.getByRole('button', { name: '创建表决' }).click();
	await page.waitForURL(/\/manage\/ballots\/[a-z0-9]+$/);
	const ballotId = page.url().split('/').pop()!;
	await snap(page, 'voting-manage-new');
	await page.getByRole('button', { name: '发布公告' }).click();
	await expect.poll(() => page.getByRole('status').textContent()).toContain('公告已发布');
	advanceServerClockPast((await voting.loadBallot(database.db, ballotId)).opensAt);
	await page.reload();
	await page.getByRole('button', { name: /开始投票/ }).click();
	await expect.poll(() => page.getByRole('status').textContent()).toContain('业主名单已冻结');
	return ballotId;
}

async function voteOnline(who: Person, ballotId: string, choice: '同意' | '反对') {
	const { context, page } = await phoneAs(browser, people[who]);
	await page.goto(`${baseUrl()}/vote`, { waitUntil: 'networkidle' });
	await page.locator(`a[href="/vote/${ballotId}"]`).click();
	await page.getByText(choice, { exact: true }).click();
	await page.getByRole('button', { name: '下一步：核对' }).click();
	await expect.poll(() => page.locator('.review-line').first().textContent()).toContain(`您选择：${choice}`);
	await page.getByRole('button', { name: '确认投票' }).click();
	await expect.poll(() => page.getByRole('status').textContent()).toContain('投票成功');
	const receipt = (await page.locator('.receipt').textContent())!.trim();
	await snap(page, `voting-receipt-${who}`);
	await context.close();
	return receipt;
}

async function enterPaper(who: Person, ballotId: string, building: string, room: string, choice: '同意' | '反对') {
	const { context, page } = await phoneAs(browser, people[who]);
	await page.goto(`${baseUrl()}/manage/ballots/${ballotId}`, { waitUntil: 'networkidle' });
	await page.locator('#p-building').selectOption({ label: `${HONGQIAO} ${building}` });
	await page.locator('#p-room').fill(room);
	await page.locator('fieldset', { hasText: '方案A' }).first().getByLabel(choice).check();
	await page.getByRole('button', { name: '录入', exact: true }).click();
	const message = await expect
		.poll(() => page.getByRole('status').textContent())
		.toContain(`${building} ${room}`)
		.then(() => page.getByRole('status').textContent());
	await context.close();
	return message!;
}

async function closeAndRead(ballotId: string) {
	advanceServerClockPast((await voting.loadBallot(database.db, ballotId)).closesAt);
	const { context, page } = await phoneAs(browser, people.hongqiao_ywh);
	await page.goto(`${baseUrl()}/manage/ballots/${ballotId}`, { waitUntil: 'networkidle' });
	// Two steps: the first shows what closing leaves out, only the second closes.
	await page.getByRole('link', { name: /结束计票/ }).click();
	await page.getByRole('button', { name: '确认结束计票' }).click();
	await expect.poll(() => page.getByRole('status').textContent()).toContain('计票已结束');
	await context.close();
	// The result is public: a fresh context without login reads it.
	const anon = await phone(browser);
	const pub = await anon.newPage();
	await pub.goto(`${baseUrl()}/ballots/${ballotId}`, { waitUntil: 'networkidle' });
	const text = (await pub.textContent('main'))!;
	await snap(pub, `voting-result-${ballotId}`);
	await anon.close();
	return text;
}

describe('the 爱建/虹桥 gate motion as a major matter', () => {
	it('爱建 passes and 虹桥 fails, so the joint decision fails', async () => {
		const { context, page } = await phoneAs(browser, people.juwei);
		const ballotId = await createGateBallot(page, '边门改造表决（第一次）');
		await context.close();

		const receipt = await voteOnline('aijian_owner', ballotId, '同意');
		await voteOnline('hongqiao_owner', ballotId, '反对');

		// Door-to-door paper ballot in 虹桥: two members enter the same signed ballot.
		const first = await enterPaper('hongqiao_ywh', ballotId, '7号楼', '301', '反对');
		expect(first).toContain('需另一位业委会成员复核');
		const second = await enterPaper('hongqiao_ywh2', ballotId, '7号楼', '301', '反对');
		expect(second).toContain('这张纸质票已计入');
		// A second entry by the same member is refused.
		const { context: context2, page: page2 } = await phoneAs(browser, people.hongqiao_ywh);
		await page2.goto(`${baseUrl()}/manage/ballots/${ballotId}`, { waitUntil: 'networkidle' });
		await page2.locator('#p-building').selectOption({ label: `${HONGQIAO} 8号楼` });
		await page2.locator('#p-room').fill('101');
		await page2.locator('fieldset', { hasText: '方案A' }).first().getByLabel('同意').check();
		await page2.getByRole('button', { name: '录入', exact: true }).click();
		await expect.poll(() => page2.getByRole('status').textContent()).toContain('8号楼 101');
		// The form starts fresh after each entry; typing the same ballot again is refused.
		await page2.locator('#p-room').fill('101');
		await page2.locator('fieldset', { hasText: '方案A' }).first().getByLabel('同意').check();
		await page2.getByRole('button', { name: '录入', exact: true }).click();
		await expect.poll(() => page2.getByRole('alert').textContent()).toMatch(/已经录入|已录入/);
		await snap(page2, 'voting-paper-entry');
		await context2.close();

		const skip = new Set<string>();
		for (const u of await database.db.select().from(electorateUnits).where(eq(electorateUnits.ballotId, ballotId))) {
			if (
				(u.buildingName === '3号楼' && u.room === '502') ||
				(u.buildingName === '5号楼' && u.room === '201') ||
				(u.buildingName === '2号楼' && u.room === '401') ||
				(u.buildingName === '7号楼' && u.room === '301') ||
				(u.buildingName === '8号楼' && u.room === '101')
			)
				skip.add(u.unitId);
		}
		await castBulk(ballotId, compounds.aijian.id, 0.85, 0.9, skip);
		await castBulk(ballotId, compounds.hongqiao.id, 0.8, 0.6, skip);

		const text = await closeAndRead(ballotId);
		expect(text).toMatch(new RegExp(`${AIJIAN}：\\s*通过`));
		expect(text).toMatch(new RegExp(`${HONGQIAO}：\\s*未通过`));
		expect(text).toContain('未通过');
		expect(text).toContain('本结果已用冻结的原始数据重新计算核对');
		// The voter finds their receipt in the public list.
		const anon = await phone(browser);
		const pub = await anon.newPage();
		await pub.goto(`${baseUrl()}/ballots/${ballotId}?receipt=${receipt}`, { waitUntil: 'networkidle' });
		expect(await pub.locator('#receipts tbody').textContent()).toContain(`${receipt}方案A：拆除边门，改造为两小区共享空间：同意`);
		await anon.close();
	});

	it('with 虹桥 passing too, the joint decision passes', async () => {
		const { context, page } = await phoneAs(browser, people.juwei);
		const ballotId = await createGateBallot(page, '边门改造表决（第二次）');
		await context.close();
		await voteOnline('hongqiao_owner', ballotId, '同意');
		await castBulk(ballotId, compounds.aijian.id, 0.85, 0.9, new Set());
		await castBulk(ballotId, compounds.hongqiao.id, 0.85, 0.9, new Set());
		const text = await closeAndRead(ballotId);
		expect(text).toMatch(new RegExp(`${AIJIAN}：\\s*通过`));
		expect(text).toMatch(new RegExp(`${HONGQIAO}：\\s*通过`));
		expect(text).not.toMatch(new RegExp(`${HONGQIAO}：\\s*未通过`));
	});
});
