/**
 * 公示 end to end, on the real built server with the demo seeded: the 居委 publishes the gate
 * decision; anyone opens it without login at 360 px; the A4 notice carries a QR image of the
 * record's URL and its hash; an objection is filed and answered; the final record appears after
 * the window; a follow-through task is completed, rated and the item closes; the JSON API and the
 * Atom feed parse and verify; a tampered download fails verification.
 *
 * The dispute window is days long, so the step "after the window" runs the finalise service from
 * this process with the clock moved past the window, against the same database file.
 */
import { database, newAccount, newCluster, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Browser, Page } from 'playwright-core';
import { outcomeRecords } from '../../src/lib/server/db/schema/index.ts';
import { loadActor } from '../../src/lib/server/access.ts';
import { clock } from '../../src/lib/server/util/clock.ts';
import {
	closeBallot,
	confirmSettlement,
	createBallot,
	enterPaperBallot,
	mixedChoiceCasesOf,
	openBallot,
	proposeSettlement,
	publishNotice
} from '../../src/lib/server/voting/index.ts';
import { electorateUnits } from '../../src/lib/server/db/schema/index.ts';
import { createTask, finaliseRecord, publishPreliminaryRecord, signCount, updateTask } from '../../src/lib/server/records/index.ts';
import { QR_OPTIONS } from '../../src/lib/server/records/notice.ts';
import { checkRecordAgainstExport, chinaDateString, verifyChain } from '../../src/lib/domain/records/index.ts';
import { publishedAgendaItem } from '../helpers/agenda.ts';
import { lawfulSchedule } from '../../src/lib/domain/time/ballot-periods.ts';
import { loadCalendar } from '../../src/lib/server/scheduler/calendar.ts';
import { baseUrl, launch, phone, snap } from './browser.ts';
import { phoneAs } from './session.ts';

const DAY = 24 * 3600_000;
/** This file's compounds, under two 居委 of one 片区 of its own, as 爱建, 虹桥 and 仙霞 are in the demo. */
const AIJIAN = '公示爱建小区';
const HONGQIAO = '公示虹桥小区';
const GATE_TITLE = '公示爱建—虹桥侧门改造方案表决';
const LIFT_TITLE = `${HONGQIAO}3号楼加装电梯表决`;
let browser: Browser;
let liftFinalId = '';
let gateBallotId = '';
let compounds: { aijian: OwnCompound; hongqiao: OwnCompound; xianxia: OwnCompound };
type Person = 'juwei' | 'aijian_ywh' | 'aijian_ywh2' | 'hongqiao_ywh' | 'hongqiao_ywh2' | 'hongqiao_owner' | 'xianxia_owner';
let people: Record<Person, Account>;

const actorOf = (who: Person) => loadActor(database, people[who].id);

/** Runs `steps` with this process's clock at `start`, which `steps` moves on with the setter it is given. */
async function back<T>(start: number, steps: (set: (t: number) => void, now: () => number) => Promise<T>): Promise<T> {
	let t = start;
	vi.spyOn(clock, 'now').mockImplementation(() => t);
	try {
		return await steps(
			(next) => (t = next),
			() => t
		);
	} finally {
		vi.restoreAllMocks();
	}
}

/** A ballot of `compoundIds` created at `now()`, announced and opened; the clock is left inside its window. */
async function openedBallot(
	set: (t: number) => void,
	now: () => number,
	input: {
		title: string;
		ruleKind: 'major' | 'ordinary';
		motion: { id: string; title: string };
		compoundIds: string[];
		windowDays: number;
	}
) {
	const manager = await actorOf('juwei');
	// Dates valid under the period rules (notice period, a working closing day) whatever the weekday.
	const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), now(), 15, input.windowDays);
	const agendaItemId = await publishedAgendaItem(database, input.compoundIds, input.ruleKind, input.title);
	const { ballotId } = await createBallot(database, manager, {
		title: input.title,
		ruleKind: input.ruleKind,
		agendaItemId,
		motions: [input.motion],
		compounds: input.compoundIds.map((compoundId) => ({ compoundId })),
		noticeDays: 15,
		opensAt,
		closesAt
	});
	await publishNotice(database, manager, { ballotId });
	set(opensAt + 3600_000);
	await openBallot(database, manager, { ballotId });
	return { ballotId, closesAt };
}

async function electorateOf(ballotId: string, compoundId: string) {
	return (
		await database.db
			.select({ unitId: electorateUnits.unitId, compoundId: electorateUnits.compoundId })
			.from(electorateUnits)
			.where(eq(electorateUnits.ballotId, ballotId))
	).filter((u) => u.compoundId === compoundId);
}

/** The gate decision counted in both compounds (a major matter), closed weeks ago and signed by both 业委会. */
async function closedGateBallot(): Promise<string> {
	const entry = {
		[compounds.aijian.id]: [await actorOf('aijian_ywh'), await actorOf('aijian_ywh2')],
		[compounds.hongqiao.id]: [await actorOf('hongqiao_ywh'), await actorOf('hongqiao_ywh2')]
	};
	return back(Date.now() - 60 * DAY, async (set, now) => {
		const { ballotId, closesAt } = await openedBallot(set, now, {
			title: GATE_TITLE,
			ruleKind: 'major',
			motion: { id: 'B', title: '方案B：6:00–22:00 开放并改造共享空间' },
			compoundIds: [compounds.aijian.id, compounds.hongqiao.id],
			windowDays: 14
		});
		for (const compoundId of [compounds.aijian.id, compounds.hongqiao.id]) {
			const voting = (await electorateOf(ballotId, compoundId)).filter((_, i) => i % 10 !== 9);
			const choice = (i: number) => (i % 11 === 4 ? 'no' : i % 17 === 3 ? 'abstain' : 'yes');
			for (let i = 0; i < voting.length; i += 50) {
				const chunk = voting.slice(i, i + 50);
				for (const member of entry[compoundId]) {
					await Promise.all(
						chunk.map((u, j) =>
							enterPaperBallot(database, member, { ballotId, unitId: u.unitId, choices: { B: choice(i + j) } })
						)
					);
				}
			}
		}
		set(closesAt + 3600_000);
		// Owners with several flats whose paper ballots disagree: two members of their compound settle each
		// case before the close (here: the owner was not reached, so they count as abstaining).
		for (const [first, second] of Object.values(entry)) {
			for (const c of (await mixedChoiceCasesOf(database, first, { ballotId })).cases) {
				const proposal = { ballotId, caseKey: c.key, choice: 'abstain', basis: 'owner_unreachable', note: '' };
				const { settlementId } = await proposeSettlement(database, first, proposal);
				await confirmSettlement(database, second, { ballotId, settlementId });
			}
		}
		const [aijianSigner] = entry[compounds.aijian.id];
		const [hongqiaoSigner] = entry[compounds.hongqiao.id];
		await closeBallot(database, aijianSigner, { ballotId });
		await signCount(database, aijianSigner, { ballotId, compoundId: compounds.aijian.id });
		await signCount(database, hongqiaoSigner, { ballotId, compoundId: compounds.hongqiao.id, unitVotes: 'masked' });
		return ballotId;
	});
}

/**
 * An earlier decision of 虹桥 being followed through, as the demo's lift (records/demo.ts) is: counted
 * months ago, published, final, with one task done and 电梯安装与特种设备验收 in progress.
 */
async function followedLiftRecord(): Promise<string> {
	const [ywh, ywh2, juwei] = [await actorOf('hongqiao_ywh'), await actorOf('hongqiao_ywh2'), await actorOf('juwei')];
	const realNow = Date.now();
	return back(realNow - 150 * DAY, async (set, now) => {
		const start = now();
		const { ballotId, closesAt } = await openedBallot(set, now, {
			title: LIFT_TITLE,
			ruleKind: 'ordinary',
			motion: { id: 'A', title: '同意在3号楼加装电梯（费用由3号楼业主按楼层分摊）' },
			compoundIds: [compounds.hongqiao.id],
			windowDays: 10
		});
		const voting = (await electorateOf(ballotId, compounds.hongqiao.id)).filter((_, i) => i % 5 !== 4);
		const choiceOf = (i: number) => (i % 9 === 3 ? 'no' : i % 13 === 5 ? 'abstain' : 'yes');
		for (const member of [ywh, ywh2])
			await Promise.all(
				voting.map((u, i) => enterPaperBallot(database, member, { ballotId, unitId: u.unitId, choices: { A: choiceOf(i) } }))
			);
		set(closesAt + 2 * 3600_000);
		await closeBallot(database, ywh, { ballotId });
		await signCount(database, ywh, { ballotId, compoundId: compounds.hongqiao.id, unitVotes: 'masked' });
		set(closesAt + DAY);
		const { recordId, disputeEndsAt } = await publishPreliminaryRecord(database, juwei, {
			ballotId,
			question: `是否同意在${HONGQIAO}3号楼加装一部电梯，费用由3号楼业主按楼层分摊，公共维修资金不动用`,
			convenedBy: `${HONGQIAO}业主委员会`,
			minutes: [
				{ title: '3号楼加装电梯协调会', date: chinaDateString(start - 20 * DAY), summary: '3号楼业主、设计单位和物业到会。' }
			],
			dissent: [{ from: '3号楼一楼部分业主', summary: '担心电梯井遮挡采光、施工噪音。' }]
		});
		set(disputeEndsAt + DAY);
		const final = await finaliseRecord(database, juwei, { recordId });
		set(now() + DAY);
		const task = (title: string, dueDate: number) =>
			createTask(database, juwei, {
				itemId: recordId,
				title,
				organisation: `${HONGQIAO}业主委员会`,
				dueDate: chinaDateString(dueDate)
			});
		const review = await task('施工图审查与规划公示', now() + 30 * DAY);
		const build = await task('电梯安装与特种设备验收', realNow - 10 * DAY);
		set(now() + 25 * DAY);
		await updateTask(database, juwei, { taskId: review.taskId, status: 'done', note: '施工图已通过审查，规划公示期满无异议。' });
		set(now() + 10 * DAY);
		await updateTask(database, juwei, { taskId: build.taskId, status: 'in_progress', note: '电梯井道已完成，等待设备进场。' });
		return final.recordId;
	});
}

beforeAll(async () => {
	browser = await launch();
	const { clusterId } = await newCluster('公示');
	const aijian = await newCompound(AIJIAN, rosterOf(40, '公示爱建'), clusterId);
	const hongqiao = await newCompound(HONGQIAO, rosterOf(40, '公示虹桥'), clusterId);
	// A third compound under 虹桥's 居委, as 仙霞 is: its owners are owners elsewhere for the gate decision.
	const xianxia = await newCompound('公示仙霞小区', rosterOf(4, '公示仙霞'), clusterId);
	compounds = { aijian, hongqiao, xianxia };
	const committee = (compoundId: string) => [{ role: 'owners_committee' as const, scopeId: compoundId }];
	people = {
		// The 居委 worker covers both 居委: the gate decision is published by one office.
		juwei: await newAccount('公示居委小何', {
			grants: [aijian.committeeId, hongqiao.committeeId].map((scopeId) => ({ role: 'committee_staff' as const, scopeId }))
		}),
		aijian_ywh: await newAccount('公示爱建业委会甲', { grants: committee(aijian.id) }),
		aijian_ywh2: await newAccount('公示爱建业委会乙', { grants: committee(aijian.id) }),
		hongqiao_ywh: await newAccount('公示虹桥业委会甲', { grants: committee(hongqiao.id) }),
		hongqiao_ywh2: await newAccount('公示虹桥业委会乙', { grants: committee(hongqiao.id) }),
		hongqiao_owner: await newAccount('公示虹桥业主', { owns: [hongqiao.units[0]] }),
		xianxia_owner: await newAccount('公示仙霞业主', { owns: [xianxia.units[0]] })
	};
	liftFinalId = await followedLiftRecord();
	gateBallotId = await closedGateBallot();
}, 240_000);

afterAll(async () => {
	await browser?.close();
});

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

describe('published outcome records', () => {
	let prelimId = '';

	it('the 居委 publishes the gate decision from the closed, signed count', async () => {
		const { context, page } = await phoneAs(browser, people.juwei);
		await page.goto(`${baseUrl()}/manage/records`, { waitUntil: 'networkidle' });
		const card = page.locator('.card', { hasText: GATE_TITLE });
		await card.getByRole('link', { name: '发布公示' }).click();
		await page.getByLabel('表决事项说明').fill('是否按方案B重新开放爱建小区与虹桥小区之间的侧门（6:00–22:00，门禁，改造为共享空间）');
		await page.getByLabel('会议名称').fill('第三次联合协商会');
		await page.getByLabel('日期').fill('2026-01-18');
		await page.getByLabel('纪要摘要').fill('两小区居民代表、党支部和高校团队到会，确定开放时段与门禁方式。');
		await page.getByLabel('意见来源 1').fill('虹桥小区部分业主');
		await page.getByLabel('反对意见 1').fill('担心夜间噪音、外来人员和非机动车穿行。');
		// 发布公示 asks first: the record as it will be published, with nothing written yet.
		await page.getByRole('button', { name: '预览公示…' }).click();
		const confirm = page.locator('#confirm-publish');
		await confirm.waitFor();
		const shown = (await confirm.textContent())!;
		expect(shown).toContain('请核对：公示将这样发布');
		expect(shown).toMatch(/表决结果[\s\S]*：(通过|未通过|未达到参与门槛，不能通过)/);
		expect(shown).toContain(AIJIAN);
		expect(shown).toContain(HONGQIAO);
		expect(shown).toMatch(/询异期 7 天：\d+月\d+日至\d+月\d+日/);
		expect(shown).toContain('担心夜间噪音');
		expect(await confirm.locator('table').count()).toBeGreaterThanOrEqual(2);
		expect(
			await database.db.select({ id: outcomeRecords.id }).from(outcomeRecords).where(eq(outcomeRecords.ballotId, gateBallotId))
		).toEqual([]);
		// The form below keeps every word typed, for a correction before confirming.
		expect(await page.getByLabel('反对意见 1').inputValue()).toBe('担心夜间噪音、外来人员和非机动车穿行。');
		await snap(page, 'records-publish-confirm-360');
		await confirm.getByRole('button', { name: '确认发布公示' }).click();
		await page.waitForURL(/\/manage\/records\/[a-z0-9]+\?published=1/);
		prelimId = new URL(page.url()).pathname.split('/').pop()!;
		expect(await page.getByRole('status').textContent()).toContain('公示已发布');
		await context.close();
	});

	it('opens without login at 360 px, server-rendered, with SVG charts and tables, no names', async () => {
		const context = await phone(browser);
		const page = await context.newPage();
		const response = await page.goto(`${baseUrl()}/records/${prelimId}`, { waitUntil: 'networkidle' });
		expect(response?.status()).toBe(200);
		const html = await response!.text();
		expect(html).not.toMatch(/<script[^>]*type="module"|_app\/immutable\/entry/);
		expect(await page.locator('h1').textContent()).toContain(GATE_TITLE);
		expect(await page.locator('svg.chart').count()).toBe(2);
		expect(await page.locator('table caption').count()).toBeGreaterThanOrEqual(2);
		expect(await page.locator('body').textContent()).toContain('询异期');
		expect(html).not.toMatch(/孙七|周八|吴九|郑老师|张三|李四/);
		// Nor the names on this file's rosters or accounts.
		expect(html).not.toMatch(/公示爱建业主|公示虹桥业主|业委会甲|业委会乙|小何/);
		await noHorizontalScroll(page);
		await snap(page, 'records-public-360');
		await context.close();
	});

	it('prints on one A4 page with a QR image of the record URL and the record hash', async () => {
		const context = await browser.newContext({ viewport: { width: 794, height: 1123 }, locale: 'zh-CN' });
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/records/${prelimId}/notice`, { waitUntil: 'networkidle' });
		await page.emulateMedia({ media: 'print' });
		const img = page.locator('.foot img');
		const recordUrl = `${baseUrl()}/records/${prelimId}`;
		expect(await img.getAttribute('data-url')).toBe(recordUrl);
		expect(await img.getAttribute('src')).toBe(await QRCode.toDataURL(recordUrl, QR_OPTIONS));
		const hash = (await page.locator('code.hash').textContent())!.trim();
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
		expect(pages.length).toBe(1);
		writeFileSync('tests/e2e/artifacts/records-notice.pdf', pdf);
		await snap(page, 'records-notice-print');
		await context.close();
	});

	it('an owner files an objection; the 居委 answers it publicly', async () => {
		const { context: owner, page } = await phoneAs(browser, people.hongqiao_owner);
		// 长辈版 after signing in: the objection form at the larger size.
		await owner.addCookies([{ name: 'yishi_elder', value: '1', url: baseUrl() }]);
		await page.goto(`${baseUrl()}/records/${prelimId}`, { waitUntil: 'networkidle' });
		await page.getByLabel('对公示有异议？').fill('夜间22点后门禁是否完全关闭？请在公告中写明。');
		await page.getByRole('button', { name: '提交异议' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('异议已提交');
		await snap(page, 'records-objection-elder');
		await owner.close();

		const { context: staff, page: sp } = await phoneAs(browser, people.juwei);
		await sp.goto(`${baseUrl()}/manage/records/${prelimId}`, { waitUntil: 'networkidle' });
		await sp.getByLabel('公开答复').fill('22:00 至次日 6:00 门禁关闭，两小区居民凭卡通行，应急时由保安开门。');
		await sp.getByRole('button', { name: '公开答复' }).click();
		await expect.poll(() => sp.getByRole('status').textContent()).toContain('答复已公开');
		await staff.close();

		const anon = await (await phone(browser)).newPage();
		await anon.goto(`${baseUrl()}/records/${prelimId}`, { waitUntil: 'networkidle' });
		const objection = anon.locator('.objection');
		expect(await objection.textContent()).toContain(`${HONGQIAO}一位已核验的业主`);
		expect(await objection.locator('.answer').textContent()).toContain('门禁关闭');
		await anon.context().close();
	});

	it('the final record appears after the window, linked to the preliminary one', async () => {
		const [row] = await database.db.select().from(outcomeRecords).where(eq(outcomeRecords.id, prelimId));
		vi.spyOn(clock, 'now').mockReturnValue(row.disputeEndsAt! + 3600_000);
		let finalId: string;
		try {
			finalId = (await finaliseRecord(database, await actorOf('juwei'), { recordId: prelimId })).recordId;
		} finally {
			vi.restoreAllMocks();
		}
		const page = await (await phone(browser)).newPage();
		await page.goto(`${baseUrl()}/records/${prelimId}`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '查看最新版本' }).click();
		await page.waitForURL(new RegExp(`/records/${finalId}$`));
		expect(await page.locator('.tag').first().textContent()).toBe('正式公告');
		await page.goto(`${baseUrl()}/records`, { waitUntil: 'networkidle' });
		expect(await page.locator('.records').textContent()).toContain(GATE_TITLE);
		await page.context().close();
	});

	it('a task is completed with a photo, a resident rates, and the item closes', async () => {
		const { context: staff, page: sp } = await phoneAs(browser, people.juwei);
		await sp.goto(`${baseUrl()}/manage/records/${liftFinalId}`, { waitUntil: 'networkidle' });
		const task = sp.locator('.card', { hasText: '电梯安装与特种设备验收' });
		await task.getByLabel('状态').selectOption('done');
		await task.getByLabel('进展说明').fill('电梯已通过特种设备验收，投入使用。');
		const dir = mkdtempSync(join(tmpdir(), 'yishi-photo-'));
		const png = join(dir, '验收.png');
		writeFileSync(
			png,
			Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
		);
		await task.locator('input[type=file]').setInputFiles(png);
		await task.getByRole('button', { name: '更新进展' }).click();
		await expect.poll(() => sp.getByRole('status').textContent()).toContain('进展已更新');

		const { context: resident, page: rp } = await phoneAs(browser, people.hongqiao_owner);
		await rp.goto(`${baseUrl()}/records/${liftFinalId}`, { waitUntil: 'networkidle' });
		await rp.getByLabel('满意', { exact: true }).check();
		await rp.getByLabel('意见（可不填）').fill('上下楼方便多了。');
		await rp.getByRole('button', { name: '提交评议' }).click();
		await expect.poll(() => rp.getByRole('status').last().textContent()).toContain('谢谢您的评议');
		await resident.close();

		await sp.goto(`${baseUrl()}/manage/records/${liftFinalId}`, { waitUntil: 'networkidle' });
		await sp.getByRole('button', { name: '销项' }).click();
		await expect.poll(() => sp.getByRole('status').textContent()).toContain('已销项');
		await sp.goto(`${baseUrl()}/manage/records/dashboard`, { waitUntil: 'networkidle' });
		const panel = sp.locator('section.card', { hasText: '3号楼加装电梯' });
		expect(await panel.locator('.stats').textContent()).toMatch(/已销项\s*1/);
		expect(await panel.locator('.stats').textContent()).toMatch(/销项用时中位数\s*\d+(\.5)? 天/);
		await snap(sp, 'records-dashboard');
		await staff.close();

		const anon = await (await phone(browser)).newPage();
		await anon.goto(`${baseUrl()}/records/${liftFinalId}`, { waitUntil: 'networkidle' });
		expect(await anon.locator('body').textContent()).toContain('销项');
		expect(await anon.locator('.updates img').count()).toBeGreaterThanOrEqual(1);
		await noHorizontalScroll(anon);
		await snap(anon, 'records-lift-closed-360');
		await anon.context().close();
	});

	it('the JSON API and the Atom feed parse; the published export recounts; a tampered download fails', async () => {
		const list = await (await fetch(`${baseUrl()}/api/v1/records`)).json();
		expect(list.format).toBe('yishi-records');
		expect(list.records.length).toBeGreaterThanOrEqual(4);
		expect(verifyChain(list.records).problems).toEqual([]);
		for (const r of list.records) {
			const one = await (await fetch(r.api)).json();
			expect(one.hash).toBe(r.hash);
			// Record v2 and later (v3 now): aggregates only — no per-unit row, no vote time, no export in the public API.
			expect(one.document.version).toBe(3);
			expect(one.voteExport).toBeUndefined();
			expect(one.unitExport.url).toMatch(new RegExp(`/records/${r.id}/units\\.json$`));
			expect(one.document.content.unitVotes).toEqual([]);
			for (const perUnit of ['"rosters"', '"unitId"', '"castAt"', '"ownerKey"', '"voterKey"'])
				expect(JSON.stringify(one)).not.toContain(perUnit);
		}
		expect(JSON.stringify(list)).not.toContain('"castAt"');
		const gate = list.records.find((r: { title: string }) => r.title === GATE_TITLE);
		expect(gate.document.content.ballot.ballotId).toBe(gateBallotId);

		const page = await (await phone(browser)).newPage();
		await page.goto(`${baseUrl()}/records`, { waitUntil: 'networkidle' });
		const feed = await page.evaluate(async () => {
			const text = await (await fetch('/records/feed.xml')).text();
			const doc = new DOMParser().parseFromString(text, 'application/xml');
			return {
				error: doc.getElementsByTagName('parsererror').length,
				ns: doc.documentElement.namespaceURI,
				entries: [...doc.getElementsByTagName('entry')].map((e) => ({
					id: e.getElementsByTagName('id')[0]?.textContent,
					updated: e.getElementsByTagName('updated')[0]?.textContent,
					title: e.getElementsByTagName('title')[0]?.textContent
				}))
			};
		});
		expect(feed.error).toBe(0);
		expect(feed.ns).toBe('http://www.w3.org/2005/Atom');
		expect(feed.entries.length).toBe(list.records.length);
		for (const e of feed.entries) {
			expect(e.id).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/records\/[a-z0-9]+$/);
			expect(Number.isNaN(Date.parse(e.updated!))).toBe(false);
		}
		await page.context().close();

		const dir = mkdtempSync(join(tmpdir(), 'yishi-verify-'));
		const good = join(dir, 'records.json');
		writeFileSync(good, JSON.stringify(list));
		const run = (file: string) => {
			try {
				return {
					code: 0,
					out: execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/verify-records.ts', file], { encoding: 'utf8' })
				};
			} catch (e) {
				const err = e as { status: number; stdout: string };
				return { code: err.status, out: err.stdout };
			}
		};
		expect(run(good).code).toBe(0);
		const tampered = structuredClone(list);
		tampered.records[0].document.content.result.motions[0].compounds[0].yes.persons += 1;
		const bad = join(dir, 'records-tampered.json');
		writeFileSync(bad, JSON.stringify(tampered));
		const result = run(bad);
		expect(result.code).toBe(1);
		expect(result.out).toContain('校验码不符');

		const single = join(dir, 'record.json');
		writeFileSync(single, JSON.stringify(await (await fetch(`${baseUrl()}/api/v1/records/${gate.id}`)).json()));
		const singleRun = run(single);
		expect(singleRun.code).toBe(0);
		expect(singleRun.out).toContain('分户表决数据不公开');
	});

	it(
		'an owner of the compound downloads the per-unit export and recounts it with their ' +
			'receipt; an owner elsewhere and the public cannot',
		async () => {
			const list = await (await fetch(`${baseUrl()}/api/v1/records`)).json();
			const gate = list.records.find((r: { title: string; stage: string }) => r.title === GATE_TITLE);
			const anonymous = await fetch(`${baseUrl()}/records/${gate.id}/units.json`, { redirect: 'manual' });
			expect(anonymous.status).toBe(303);
			expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);

			const { page: outsider } = await phoneAs(browser, people.xianxia_owner);
			expect((await outsider.context().request.get(`${baseUrl()}/records/${gate.id}/units.json`)).status()).toBe(403);
			expect((await outsider.context().request.get(`${baseUrl()}/records/${gate.id}/receipt.json`)).status()).toBe(403);
			await outsider.context().close();

			const { page: owner } = await phoneAs(browser, people.hongqiao_owner);
			const download = await owner.context().request.get(`${baseUrl()}/records/${gate.id}/units.json`);
			expect(download.status()).toBe(200);
			expect(download.headers()['cache-control']).toContain('no-store');
			const unitsText = await download.text();
			expect(checkRecordAgainstExport(gate.document.content, JSON.parse(unitsText))).toEqual({ ok: true, problems: [] });
			const receipt = await (await owner.context().request.get(`${baseUrl()}/records/${gate.id}/receipt.json`)).json();
			expect(receipt.merkleRoot).toBe(gate.document.content.voteExport.merkleRoot);

			await owner.goto(`${baseUrl()}/records/${gate.id}/receipt`, { waitUntil: 'networkidle' });
			await expect.poll(() => owner.locator('h1').textContent()).toBe('核对我的票');
			expect(await owner.locator('tbody tr').count()).toBe(receipt.proofs.length);
			await snap(owner, 'records-receipt-360');
			await owner.context().close();

			const dir = mkdtempSync(join(tmpdir(), 'yishi-units-'));
			writeFileSync(join(dir, 'units.json'), unitsText);
			writeFileSync(join(dir, 'receipt.json'), JSON.stringify(receipt));
			const args = [
				'--import',
				'tsx',
				'src/cli/recount.ts',
				join(dir, 'units.json'),
				...(receipt.proofs.length ? ['--proof', join(dir, 'receipt.json')] : [])
			];
			const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
			expect(out).toContain('复核一致 / recount matches');
			if (receipt.proofs.length) expect(out).toContain('已计入 / counted');
		}
	);
});
