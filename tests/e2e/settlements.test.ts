/**
 * 核对不一致的投票 on a phone (360×740): a 虹桥 owner with two flats handed in two paper ballots
 * that disagree. After the deadline one 业委会 member records what the owner said, a second member
 * confirms, and only then does the count close — with the owner counted once, as settled.
 * The compound, its 业委会 members and the ballot are this file's own (seed.ts).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { advanceServerClock, baseUrl, launch, snap } from './browser.ts';
import { database, newAccount, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { phoneAs } from './session.ts';

// The services run in this process against the server's database file and share its test clock.
process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const voting = await import('../../src/lib/server/voting/index.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');
const schema = await import('../../src/lib/server/db/schema/index.ts');
const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');
const { clock } = await import('../../src/lib/server/util/clock.ts');
const { eq } = await import('drizzle-orm');

let browser: Browser;
let compound: OwnCompound;
let members: [Account, Account];

beforeAll(async () => {
	browser = await launch();
	// One owner (the same name on the roster) holds the first two flats.
	const roster = rosterOf(8, '核对');
	roster[1] = { ...roster[1], owners: roster[0].owners };
	compound = await newCompound('核对小区', roster);
	const committee = [{ role: 'owners_committee' as const, scopeId: compound.id }];
	members = [await newAccount('核对业委会甲', { grants: committee }), await newAccount('核对业委会乙', { grants: committee })];
});
afterAll(async () => {
	await browser?.close();
});

/** Moves the server's clock to an hour after `at`. */
function advancePast(at: number): void {
	advanceServerClock(Math.max(0, at + 3600_000 - clock.now()));
}

describe('a person whose two flats voted differently', () => {
	it('is settled by two 业委会 members on the phone before the count closes', async () => {
		const [first, second] = [await loadActor(database, members[0].id), await loadActor(database, members[1].id)];
		// An advisory poll of the compound (no agenda item needed), with dates valid under the period rules.
		const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), clock.now(), 15, 7);
		const { ballotId } = await voting.createBallot(database, first, {
			title: '快递柜位置征询（核对不一致的投票）',
			ruleKind: 'advisory',
			motions: [{ id: 'A', title: '快递柜放在3号楼北侧' }],
			compounds: [{ compoundId: compound.id }],
			noticeDays: 15,
			opensAt,
			closesAt
		});
		await voting.publishNotice(database, first, { ballotId });
		advancePast(opensAt);
		await voting.openBallot(database, first, { ballotId });

		// The compound's owner of several flats: the first owner key on two delivered units.
		const electorate = await database.db.select().from(schema.electorateUnits).where(eq(schema.electorateUnits.ballotId, ballotId));
		const units = electorate.filter((u) => u.status === 'owned');
		const byOwner = new Map<string, typeof units>();
		for (const u of units) byOwner.set(u.ownerKey, [...(byOwner.get(u.ownerKey) ?? []), u]);
		const [flatA, flatB] = [...byOwner.values()].find((list) => list.length >= 2)!;
		for (const [unit, choice] of [
			[flatA, 'yes'],
			[flatB, 'no']
		] as const) {
			await voting.enterPaperBallot(database, first, { ballotId, unitId: unit.unitId, choices: { A: choice } });
			await voting.enterPaperBallot(database, second, { ballotId, unitId: unit.unitId, choices: { A: choice } });
		}
		advancePast(closesAt);

		// First member: sees both flats with their choices, forgets to choose, keeps the note typed, then proposes.
		const { context: one, page } = await phoneAs(browser, members[0]);
		await page.goto(`${baseUrl()}/manage/ballots/${ballotId}`);
		await page.getByRole('link', { name: /核对不一致的投票/ }).click();
		await page.waitForURL(/\/settle$/);
		const card = page.locator('section.case').first();
		await expect.poll(() => card.textContent()).toContain(`${flatA.buildingName} ${flatA.room}`);
		expect(await card.textContent()).toContain(`${flatB.buildingName} ${flatB.room}`);
		expect(await card.textContent()).toMatch(/投了同意[\s\S]*投了反对|投了反对[\s\S]*投了同意/);
		await card.getByLabel('问过了，业主本人说按这个意见算').check();
		await card.getByLabel(/说明/).fill('电话问过本人，按反对算');
		await card.getByRole('button', { name: '提出处理意见' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('请选择这位业主按哪个意见计人数');
		await expect.poll(() => card.getByLabel(/说明/).inputValue()).toBe('电话问过本人，按反对算');
		await card.getByLabel('反对', { exact: true }).check();
		await card.getByRole('button', { name: '提出处理意见' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('须由另一位业委会成员确认');
		await expect.poll(() => page.locator('section.case').first().textContent()).toContain('等待另一位业委会成员确认');
		expect(await page.getByRole('button', { name: '确认这项处理' }).count()).toBe(0);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await snap(page, 'settle-proposed');
		// Closing now is refused, saying why.
		await expect(voting.closeBallot(database, first, { ballotId })).rejects.toThrow('投票意见不一致');
		await one.close();

		// Second member confirms.
		const { context: two, page: page2 } = await phoneAs(browser, members[1]);
		await page2.goto(`${baseUrl()}/manage/ballots/${ballotId}/settle`);
		await page2.getByRole('button', { name: '确认这项处理' }).click();
		await expect.poll(() => page2.getByRole('status').textContent()).toContain('这一项处理完毕');
		await expect.poll(() => page2.locator('section.case').first().textContent()).toContain('已处理完');
		await snap(page2, 'settle-confirmed');
		await two.close();

		await voting.closeBallot(database, second, { ballotId });
		const { doc } = await voting.exportBallot(database, second, { ballotId });
		expect(doc.personSettlements?.map((s) => [s.choice, s.basis])).toEqual([['no', 'owner_stated']]);
	});
});
