/**
 * The 爱建/虹桥 walk at 360×740, as each role meets it (issue #13, items 4, 5, 6, 8, 10):
 * - a visitor's objection survives logging in; a tenant is told why instead of losing the text;
 * - the home page says what needs this person now; visitors see live cases and latest records;
 * - a vote that missed quorum is headed by the reason, the dispute window reads as a sentence;
 * - an escalated concern belongs to the 片区 until it hands it back;
 * - 保存版本 on a slow connection waits for the author's own edits.
 *
 * This file makes its own data through seed.ts: a 片区 with two compounds (its 仙霞 and 爱建), their
 * 居委 worker, 片区 coordinator, 业委会, owners and a tenant, a deliberation session, ballots, a record,
 * a concern and draft sets; it only reads the demo (the live cases a visitor sees). People are signed
 * in by a session cookie (session.ts), except where logging in inside the objection form is the
 * subject. Service calls share the server's test clock (YISHI_TEST_CLOCK_FILE), so "now" means the
 * same to both.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { database, newAccount, newCluster, newCompound, rosterOf, type Account, type OwnCompound } from './seed.ts';
import { baseUrl, launch, phone, snap as snapPage } from './browser.ts';
import { signInContext } from './session.ts';

type Actor = import('../../src/lib/domain/access/policy.ts').Actor;
type Server = {
	access: typeof import('../../src/lib/server/access.ts');
	agenda: typeof import('../../src/lib/server/agenda/index.ts');
	concerns: typeof import('../../src/lib/server/concerns/index.ts');
	drafting: typeof import('../../src/lib/server/drafting/index.ts');
	voting: typeof import('../../src/lib/server/voting/index.ts');
	records: typeof import('../../src/lib/server/records/index.ts');
	schema: typeof import('../../src/lib/server/db/schema/index.ts');
	clock: typeof import('../../src/lib/server/util/clock.ts');
	orm: typeof import('drizzle-orm');
};

const DAY = 24 * 3600_000;
const XIANXIA = '走查仙霞小区';
const AIJIAN = '走查爱建小区';
const QUORUM_TITLE = '仙霞小区更换电梯维保单位（演练）';
/** The password of the two accounts that log in inside the objection form. */
const PASSWORD = 'bianmen-zoucha-2026-yiyi';
let browser: Browser;
let server: Server;
let compounds: { xianxia: OwnCompound; aijian: OwnCompound };
/** This file's deliberation session of both compounds, with its facilitator. */
let sessionId = '';
type Person = 'juwei' | 'pianqu' | 'facilitator' | 'xianxia_ywh' | 'xianxia_ywh2' | 'xianxia_owner' | 'aijian_owner' | 'tenant';
let people: Record<Person, Account>;
const contexts: BrowserContext[] = [];
let quorumRecordId = '';

const actorOf = (who: Person): Promise<Actor> => server.access.loadActor(database, people[who].id);

/**
 * A 仙霞 ordinary matter that closed last month with too few owners taking part, though most of
 * those who voted agreed; counted, signed and published today (its dispute window is open).
 */
async function publishQuorumRecord(): Promise<string> {
	const juwei = await actorOf('juwei');
	const members = [await actorOf('xianxia_ywh'), await actorOf('xianxia_ywh2')];
	const today = server.clock.clock.now();
	let t = today - 60 * DAY;
	const spy = vi.spyOn(server.clock.clock, 'now').mockImplementation(() => t);
	try {
		// Dates valid under the period rules (notice period, a working closing day) whatever the weekday.
		const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
		const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');
		const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), t, 15, 14);
		const { publishedAgendaItem } = await import('../helpers/agenda.ts');
		const agendaItemId = await publishedAgendaItem(database, [compounds.xianxia.id], 'ordinary', QUORUM_TITLE);
		const { ballotId } = await server.voting.createBallot(database, juwei, {
			title: QUORUM_TITLE,
			ruleKind: 'ordinary',
			agendaItemId,
			motions: [{ id: 'A', title: '更换电梯维保单位' }],
			compounds: [{ compoundId: compounds.xianxia.id }],
			noticeDays: 15,
			opensAt,
			closesAt
		});
		await server.voting.publishNotice(database, juwei, { ballotId });
		t = opensAt + 3600_000;
		await server.voting.openBallot(database, juwei, { ballotId });
		const units = await database.db
			.select({ unitId: server.schema.electorateUnits.unitId })
			.from(server.schema.electorateUnits)
			.where(server.orm.eq(server.schema.electorateUnits.ballotId, ballotId));
		// A third of the owners vote; about four in five of them agree.
		const voting = units.slice(0, Math.max(5, Math.floor(units.length / 3)));
		for (const member of members) {
			for (const [i, u] of voting.entries())
				await server.voting.enterPaperBallot(database, member, {
					ballotId,
					unitId: u.unitId,
					choices: { A: i % 5 === 4 ? 'no' : 'yes' }
				});
		}
		t = closesAt + 3600_000;
		// An owner with several flats whose paper ballots disagree is settled by two members before the close.
		for (const c of (await server.voting.mixedChoiceCasesOf(database, members[0], { ballotId })).cases) {
			const proposal = { ballotId, caseKey: c.key, choice: 'abstain', basis: 'owner_unreachable', note: '' };
			const { settlementId } = await server.voting.proposeSettlement(database, members[0], proposal);
			await server.voting.confirmSettlement(database, members[1], { ballotId, settlementId });
		}
		await server.voting.closeBallot(database, members[0], { ballotId });
		await server.records.signCount(database, members[0], { ballotId, compoundId: compounds.xianxia.id });
		t = today;
		const { recordId } = await server.records.publishPreliminaryRecord(database, juwei, { ballotId });
		return recordId;
	} finally {
		spy.mockRestore();
	}
}

/** A phone; signed in (by a session cookie) when someone is given. */
async function person(who: Person | null, options: { elder?: boolean } = {}): Promise<Page> {
	const context = await phone(browser, options);
	contexts.push(context);
	if (who) await signInContext(context, people[who]);
	return context.newPage();
}

/** Both sizes of every page touched, from the top. */
async function snapBoth(page: Page, name: string): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	await snapPage(page, `walk-${name}`);
	const elder = await browser.newContext({
		viewport: { width: 360, height: 740 },
		deviceScaleFactor: 1,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		storageState: await page.context().storageState()
	});
	contexts.push(elder);
	await elder.addCookies([{ name: 'yishi_elder', value: '1', url: baseUrl() }]);
	const copy = await elder.newPage();
	await copy.goto(page.url());
	await snapPage(copy, `walk-${name}-elder`);
	expect(await copy.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await copy.close();
}

beforeAll(async () => {
	server = {
		access: await import('../../src/lib/server/access.ts'),
		agenda: await import('../../src/lib/server/agenda/index.ts'),
		concerns: await import('../../src/lib/server/concerns/index.ts'),
		drafting: await import('../../src/lib/server/drafting/index.ts'),
		voting: await import('../../src/lib/server/voting/index.ts'),
		records: await import('../../src/lib/server/records/index.ts'),
		schema: await import('../../src/lib/server/db/schema/index.ts'),
		clock: await import('../../src/lib/server/util/clock.ts'),
		orm: await import('drizzle-orm')
	};
	browser = await launch();
	const { clusterId } = await newCluster('走查');
	const xianxia = await newCompound(XIANXIA, rosterOf(30, '走查仙霞'), clusterId);
	const aijian = await newCompound(AIJIAN, rosterOf(6, '走查爱建'), clusterId);
	compounds = { xianxia, aijian };
	const committee = [{ role: 'owners_committee' as const, scopeId: xianxia.id }];
	people = {
		juwei: await newAccount('走查居委小郑', {
			grants: [xianxia.committeeId, aijian.committeeId].map((scopeId) => ({ role: 'committee_staff' as const, scopeId }))
		}),
		pianqu: await newAccount('走查片区老冯', { grants: [{ role: 'cluster_coordinator', scopeId: clusterId }] }),
		facilitator: await newAccount('走查主持人'),
		xianxia_ywh: await newAccount('走查仙霞业委会甲', { grants: committee }),
		xianxia_ywh2: await newAccount('走查仙霞业委会乙', { grants: committee }),
		// These two log in inside the objection form: they have a password.
		xianxia_owner: await newAccount('走查仙霞王五', { owns: [xianxia.units[0]], password: PASSWORD }),
		tenant: await newAccount('走查爱建租户', { livesIn: [aijian.units[0]], password: PASSWORD }),
		aijian_owner: await newAccount('走查爱建业主', { owns: [aijian.units[1]] })
	};
	({ sessionId } = await server.agenda.createSession(database, await actorOf('pianqu'), {
		title: '边门走查协商会',
		kind: 'coordination',
		compoundIds: [xianxia.id, aijian.id],
		facilitatorLogin: people.facilitator.login
	}));
	quorumRecordId = await publishQuorumRecord();
}, 240_000);

afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
});

describe('item 6: a record says why before it says 未通过', () => {
	it('a visitor reads that too few owners took part, how many agreed, and the dispute window as a sentence', async () => {
		const page = await person(null);
		await page.goto(`${baseUrl()}/records/${quorumRecordId}`, { waitUntil: 'networkidle' });
		const result = page.locator('section.result');
		expect(await result.locator('.joint').textContent()).toContain('未达到参与门槛，不能通过');
		const reason = (await result.locator('.reason').first().textContent()) ?? '';
		expect(reason).toMatch(/走查仙霞小区参与表决的业主不够（面积只有 \d+%、人数只有 \d+%，需要三分之二以上）/);
		expect(reason).toMatch(/参与表决的 \d+ 人中 \d+ 人同意（(7|8)\d%）/);
		// A date carries its year only when it is not in this year (other files move the server's clock, into 2027 too).
		const line = (await page.locator('.dispute-line').textContent()) ?? '';
		expect(line).toMatch(/^公示期 (\d{4}年)?\d{1,2}月\d{1,2}日至(\d{4}年)?\d{1,2}月\d{1,2}日，还有 \d+ 天可以提出异议。$/);
		const thisYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
		for (const [, year] of line.matchAll(/(\d{4})年/g)) expect(Number(year)).not.toBe(thisYear);
		await snapBoth(page, 'record-quorum');
	});
});

describe('item 4: what a person typed is never lost', () => {
	const objection = '维保单位的报价没有公示，请补充三家报价的对比。';

	it('a visitor writes an objection, logs in inside the form with a wrong password first, and the text is filed', async () => {
		const page = await person(null);
		await page.goto(`${baseUrl()}/records/${quorumRecordId}`, { waitUntil: 'networkidle' });
		await page.getByLabel('对公示有异议？').fill(objection);
		await page.getByLabel('账号（手机号或用户名）').fill(people.xianxia_owner.login);
		await page.getByLabel('密码', { exact: true }).fill('not-the-password');
		await page.getByRole('button', { name: '登录并提交异议' }).click();
		await expect.poll(() => page.getByRole('alert').first().textContent()).toBeTruthy();
		expect(await page.getByLabel('对公示有异议？').inputValue()).toBe(objection);
		expect(await page.getByLabel('账号（手机号或用户名）').inputValue()).toBe(people.xianxia_owner.login);
		await snapBoth(page, 'record-objection-login-refused');
		await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
		await page.getByRole('button', { name: '登录并提交异议' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('您的异议已提交');
		expect(await page.locator('.objection').filter({ hasText: objection }).count()).toBe(1);
		// Now signed in: the form is the plain one, empty for a next objection.
		expect(await page.getByRole('button', { name: '提交异议', exact: true }).count()).toBe(1);
		expect(await page.getByLabel('对公示有异议？').inputValue()).toBe('');
	});

	it('a tenant of another compound who logs in inside the form is told who may object, and sees the text again', async () => {
		const page = await person(null);
		await page.goto(`${baseUrl()}/records/${quorumRecordId}`, { waitUntil: 'networkidle' });
		await page.getByLabel('对公示有异议？').fill('我也想提意见：电梯经常停。');
		await page.getByLabel('账号（手机号或用户名）').fill(people.tenant.login);
		await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
		await page.getByRole('button', { name: '登录并提交异议' }).click();
		await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('只有参与小区已核验的业主和居民可以提出异议');
		expect(await page.locator('body').textContent()).toContain('我也想提意见：电梯经常停。');
		// Signed in now: on the next visit the form is replaced by the reason and the way to get verified.
		await page.goto(`${baseUrl()}/records/${quorumRecordId}`, { waitUntil: 'networkidle' });
		expect(await page.getByLabel('对公示有异议？').count()).toBe(0);
		expect(
			await page
				.getByRole('note')
				.filter({ hasText: `只有${XIANXIA}已核验的业主和居民` })
				.getByRole('link', { name: '输入核验码' })
				.count()
		).toBe(1);
		await snapBoth(page, 'record-objection-not-member');
	});
});

describe('item 5: home says what is happening', () => {
	it('an owner with a vote open sees it first, with the days left; staff are not asked to verify a home', async () => {
		const owner = await person('xianxia_owner');
		// A 仙霞 vote open now (this file's own), so 王五 has something to cast.
		const juwei = await actorOf('juwei');
		const now = server.clock.clock.now();
		let t = now - 20 * DAY;
		// Dates valid under the period rules whatever the weekday: the notice period from 20 days ago,
		// and a closing day about 9 days from now moved to a working day if it is a rest day.
		const { noticePeriod } = await import('../../src/lib/domain/time/ballot-periods.ts');
		const { ruleLastDay } = await import('../../src/lib/domain/time/periods.ts');
		const { chinaDayNumber } = await import('../../src/lib/domain/time/china-date.ts');
		const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');
		const calendar = await loadCalendar(database.db);
		const opensAt = noticePeriod(calendar, t, 15).endsAt;
		const closesAt = ruleLastDay(calendar, chinaDayNumber(now + 9 * DAY)).endsAt;
		const spy = vi.spyOn(server.clock.clock, 'now').mockImplementation(() => t);
		let ballotId: string;
		try {
			const { publishedAgendaItem } = await import('../helpers/agenda.ts');
			const agendaItemId = await publishedAgendaItem(
				database,
				[compounds.xianxia.id],
				'ordinary',
				'仙霞小区加装非机动车充电桩（演练）'
			);
			({ ballotId } = await server.voting.createBallot(database, juwei, {
				title: '仙霞小区加装非机动车充电桩（演练）',
				ruleKind: 'ordinary',
				agendaItemId,
				motions: [{ id: 'A', title: '加装充电桩' }],
				compounds: [{ compoundId: compounds.xianxia.id }],
				noticeDays: 15,
				opensAt,
				closesAt
			}));
			await server.voting.publishNotice(database, juwei, { ballotId });
			t = opensAt + 3600_000;
			await server.voting.openBallot(database, juwei, { ballotId });
		} finally {
			spy.mockRestore();
		}
		await owner.goto(`${baseUrl()}/`, { waitUntil: 'networkidle' });
		const todo = owner.locator('section').filter({ has: owner.getByRole('heading', { name: '现在需要您办的事' }) });
		const { daysLeft } = await import('../../src/lib/domain/records/window.ts');
		const left = daysLeft(closesAt, server.clock.clock.now());
		expect(await todo.getByRole('link', { name: /您有一项表决待投：仙霞小区加装非机动车充电桩（演练）/ }).textContent()).toContain(
			`还剩 ${left} 天`
		);
		// It comes before the list of every function.
		const todoTop = (await todo.boundingBox())!.y;
		const tilesTop = (await owner.getByRole('navigation', { name: '全部功能' }).boundingBox())!.y;
		expect(todoTop).toBeLessThan(tilesTop);
		await snapBoth(owner, 'home-owner');

		const staff = await person('juwei');
		await staff.goto(`${baseUrl()}/`, { waitUntil: 'networkidle' });
		// What the page shows (innerText): the page's words for the browser also travel in an inline script.
		expect(await staff.locator('body').innerText()).not.toContain('您的账号还没有核验房屋');
		expect(await staff.getByRole('heading', { name: '现在需要您办的事' }).count()).toBe(1);
		await snapBoth(staff, 'home-staff');
	});

	it('a visitor sees the live cases and the latest records, and the records list shows results before the filters', async () => {
		const page = await person(null);
		await page.goto(`${baseUrl()}/`, { waitUntil: 'networkidle' });
		const cases = page.locator('section').filter({ has: page.getByRole('heading', { name: '正在进行的协商' }) });
		expect(await cases.locator('li').count()).toBeGreaterThan(0);
		expect(await cases.textContent()).toMatch(/进行中/);
		const latest = page.locator('section').filter({ has: page.getByRole('heading', { name: '最新公示' }) });
		expect(await latest.getByRole('link', { name: QUORUM_TITLE }).count()).toBe(1);
		await snapBoth(page, 'home-visitor');

		await page.goto(`${baseUrl()}/records`, { waitUntil: 'networkidle' });
		const firstResult = (await page.locator('ul.records li').first().boundingBox())!.y;
		const search = (await page.getByText('查找公示（按关键词、街道、小区、年份）').boundingBox())!.y;
		expect(firstResult).toBeLessThan(search);
		expect(firstResult).toBeLessThan(740);
		await snapBoth(page, 'records-list');
	});

	it("a session's page links to its drafts", async () => {
		const { set } = await server.drafting.createDraft(database, await actorOf('facilitator'), {
			title: '边门方案（走查）',
			compoundIds: [compounds.xianxia.id, compounds.aijian.id],
			sessionId,
			alternatives: [{ title: '全天开放' }, { title: '维持关闭' }]
		});
		const page = await person('facilitator');
		await page.goto(`${baseUrl()}/sessions/${sessionId}`, { waitUntil: 'networkidle' });
		const drafts = page.locator('section').filter({ has: page.getByRole('heading', { name: '方案起草' }) });
		await drafts.getByRole('link', { name: '边门方案（走查）' }).click();
		await page.waitForURL(`**/drafts/${set.id}`);
		await page.goto(`${baseUrl()}/sessions/${sessionId}`, { waitUntil: 'networkidle' });
		await snapBoth(page, 'session-drafts');
	});
});

describe('item 8: an escalated concern belongs to the 片区 until it hands it back', () => {
	it('the 居委 escalates, can no longer answer; the 片区 hands it back with a reason; the 居委 answers', async () => {
		const owner = await actorOf('aijian_owner');
		const title = `${AIJIAN}东门夜间照明不足`;
		const { concernId } = await server.concerns.raiseConcern(database, owner, {
			title,
			body: '东门到3号楼一段路没有路灯，老人晚上不敢走。',
			category: 'safety',
			compoundId: compounds.aijian.id,
			alsoAffects: []
		});
		// Enough households co-signed (set directly: this story starts at the 居委's queue).
		await database.write((tx) =>
			tx
				.update(server.schema.concerns)
				.set({ status: 'queued', queuedAt: Date.now() })
				.where(server.orm.eq(server.schema.concerns.id, concernId))
		);

		const juwei = await person('juwei');
		await juwei.goto(`${baseUrl()}/concerns/${concernId}`, { waitUntil: 'networkidle' });
		const options = () =>
			juwei
				.locator('form[action="?/triage"] input[name="outcome"]')
				.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(await options()).toEqual(['accept', 'answer', 'merge', 'reject', 'escalate']);
		await juwei.getByLabel('上报片区').check();
		await juwei.getByLabel('理由（提出人会看到）').fill('路灯改造需要片区协调经费');
		await juwei.getByRole('button', { name: '确认处理' }).click();
		await expect.poll(() => juwei.locator('h1 + p .tag').first().textContent()).toBe('已上报片区');
		// The 居委 now sees no triage form: the 片区 owns it.
		await juwei.reload();
		expect(await juwei.getByRole('heading', { name: '处理这个议题' }).count()).toBe(0);
		await snapBoth(juwei, 'concern-escalated-juwei');

		const pianqu = await person('pianqu');
		await pianqu.goto(`${baseUrl()}/concerns/${concernId}`, { waitUntil: 'networkidle' });
		await pianqu.getByLabel('退回居委处理').check();
		await pianqu.getByLabel('理由（提出人会看到）').fill('路灯属于小区公共设施，请居委协调物业解决');
		await snapBoth(pianqu, 'concern-hand-back');
		await pianqu.getByRole('button', { name: '确认处理' }).click();
		await expect.poll(() => pianqu.locator('h1 + p .tag').first().textContent()).toBe('待处理');

		await juwei.goto(`${baseUrl()}/inbox`, { waitUntil: 'networkidle' });
		expect(await juwei.locator('body').textContent()).toContain(`片区退回的议题：${title}`);
		await juwei.goto(`${baseUrl()}/concerns/${concernId}`, { waitUntil: 'networkidle' });
		await juwei.getByLabel('直接答复').check();
		await juwei.getByLabel('理由（提出人会看到）').fill('物业本周内加装两盏路灯');
		await juwei.getByRole('button', { name: '确认处理' }).click();
		await expect.poll(() => juwei.locator('h1 + p .tag').first().textContent()).toBe('已答复');
		const history = await juwei.locator('.history li strong').allTextContents();
		expect(history).toEqual(['上报片区', '退回居委处理', '直接答复']);
		await snapBoth(juwei, 'concern-history');
	});
});

describe('item 10: 保存版本 on a slow connection', () => {
	it(
		'the author types a paragraph while her edits are held back, presses 保存版本 at once: it ' +
			'says 正在保存… and the version holds the paragraph',
		async () => {
			const { set, alternatives } = await server.drafting.createDraft(database, await actorOf('facilitator'), {
				title: '边门方案（慢网络）',
				compoundIds: [compounds.xianxia.id, compounds.aijian.id],
				sessionId,
				alternatives: [{ title: '全天开放' }, { title: '维持关闭' }]
			});
			const alt = alternatives[0];
			const page = await person('aijian_owner');
			// Every message from this phone to /collab passes through here; while `hold` is set they wait.
			let hold = false;
			const held: (string | Buffer)[] = [];
			let toServer: ((message: string | Buffer) => void) | null = null;
			await page.routeWebSocket(/\/collab/, (ws) => {
				const upstream = ws.connectToServer();
				toServer = (message) => upstream.send(message);
				ws.onMessage((message) => (hold ? held.push(message) : upstream.send(message)));
				upstream.onMessage((message) => ws.send(message));
			});
			await page.goto(`${baseUrl()}/drafts/${set.id}/${alt.id}`, { waitUntil: 'networkidle' });
			const status = page.getByTestId('draft-status');
			await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('已保存');

			hold = true;
			const paragraph = '夜间22点后由保安值守边门。';
			const body = page.locator('.ProseMirror');
			await body.click();
			await page.keyboard.type(paragraph);
			await expect.poll(() => held.length).toBeGreaterThan(0);
			await page.getByLabel('保存一个版本').fill('慢网络下的一稿');
			await page.getByRole('button', { name: '保存版本' }).click();
			await expect.poll(() => page.getByRole('status').allTextContents()).toContainEqual(expect.stringContaining('正在保存…'));
			await snapBoth(page, 'draft-saving');

			hold = false;
			for (const message of held.splice(0)) toServer!(message);
			await expect
				.poll(() => page.getByRole('status').allTextContents(), { timeout: 15_000 })
				.toContain('已保存版本“慢网络下的一稿”（第 1 版）。');
			const [version] = await database.db
				.select()
				.from(server.schema.draftVersions)
				.where(server.orm.eq(server.schema.draftVersions.alternativeId, alt.id));
			const doc = new Y.Doc();
			Y.applyUpdate(doc, new Uint8Array(version.state as Buffer));
			expect(doc.getXmlFragment('content').toString()).toContain(paragraph);
		}
	);
});
