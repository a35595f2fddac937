/**
 * Issue #13 item 4: no path through the app loses what a person typed. Every form a resident or a
 * staff member fills in is walked twice — once with JavaScript off (the plain form post WeChat
 * falls back to) and once with it on (SvelteKit's enhanced forms) — as the person who would use it:
 * type into every field, tick the boxes, choose in the selects, submit something the server
 * refuses (too long, an unknown account, a room that does not exist …), and find every field still
 * filled beside the message. Password fields are typed but deliberately not given back.
 *
 * Refused input writes nothing, so the walk leaves the demo as seeded. Forms that cannot be
 * refused without first changing the demo (publishing, closing, signing, triage of a queued
 * concern) are covered where those steps are walked (records, voting, agenda tests).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { and, asc, eq, like } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { DEMO_RENEWAL_TITLE } from '../../src/lib/server/voting/demo.ts';
import { GATE_ITEM_ID, GATE_SESSION_ID } from '../../src/lib/server/agenda/demo.ts';
import { DEMO_PASSWORD, PHONE, baseUrl, launch, snap } from './browser.ts';

const database = openDatabase(inject('databaseUrl'));
let browser: Browser;
/** Signed-in browser state per login, made once (a login hashes a password). */
const states = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
let ids: { openBallot: string; concern: string };

beforeAll(async () => {
	browser = await launch();
	const [open] = await database.db.select({ id: schema.ballots.id }).from(schema.ballots).where(eq(schema.ballots.title, DEMO_RENEWAL_TITLE)).limit(1);
	const [concern] = await database.db
		.select({ id: schema.concerns.id })
		.from(schema.concerns)
		.where(and(eq(schema.concerns.isDemo, true), like(schema.concerns.compoundIds, '%"hongqiao"%')))
		.orderBy(asc(schema.concerns.raisedAt))
		.limit(1);
	ids = { openBallot: open.id, concern: concern.id };
}, 60_000);

afterAll(async () => {
	await browser?.close();
	database.close();
});

type FieldSpec =
	| { css: string; kind: 'text'; value: string }
	/** Typed but never given back (a password). */
	| { css: string; kind: 'secret'; value: string }
	/** Chooses the last option, which is never the default. */
	| { css: string; kind: 'select' }
	| { css: string; kind: 'check' }
	| { css: string; kind: 'uncheck' };

interface FormCase {
	name: string;
	login: string;
	path: () => string;
	/** The form, as CSS. */
	form: string;
	/** A folded section to open first (a <summary>), as CSS. */
	open?: string;
	fields: FieldSpec[];
	submit: string;
	/** What the server refuses (for the reader; the message itself is awaited as role=alert). */
	refused: string;
}

const LONG = (n: number) => '这是一段很长的文字'.repeat(Math.ceil(n / 9)).slice(0, n);

const CASES: FormCase[] = [
	{
		name: '登录',
		login: '',
		path: () => '/login',
		form: 'form:has([name="password"])',
		fields: [
			{ css: '[name="login"]', kind: 'text', value: 'ux_walk_nobody' },
			{ css: '[name="password"]', kind: 'secret', value: 'wrong-password-1' }
		],
		submit: '登录',
		refused: 'no such account'
	},
	{
		name: '注册',
		login: '',
		path: () => '/register',
		form: 'form:has([name="displayName"])',
		fields: [
			{ css: '[name="login"]', kind: 'text', value: 'ux_walk_13' },
			{ css: '[name="displayName"]', kind: 'text', value: '走查的王阿姨' },
			{ css: '[name="password"]', kind: 'secret', value: '12345678' }
		],
		submit: '注册',
		refused: 'a password anyone could guess'
	},
	{
		name: '核验房屋',
		login: 'hongqiao_owner',
		path: () => '/claim',
		form: 'form:has([name="code"])',
		fields: [{ css: '[name="code"]', kind: 'text', value: 'ABCD-12' }],
		submit: '核验',
		refused: 'a code of the wrong length'
	},
	{
		name: '提出议题',
		login: 'hongqiao_owner',
		path: () => '/concerns/new',
		form: 'form:has([name="body"])',
		fields: [
			{ css: '[name="title"]', kind: 'text', value: LONG(80) },
			{ css: '[name="body"]', kind: 'text', value: '晚上十点以后侧门还开着，外来电动车穿行很多。' },
			{ css: '[name="category"]', kind: 'select' },
			{ css: '[name="alsoAffects"] >> nth=0', kind: 'check' },
			{ css: '[name="location"]', kind: 'text', value: '侧门北侧' }
		],
		submit: '提交议题',
		refused: 'a title over 60 characters'
	},
	{
		name: '发表意见',
		login: 'hongqiao_owner',
		path: () => `/sessions/${GATE_SESSION_ID}/items/${GATE_ITEM_ID}`,
		form: 'form[action="?/argue"]',
		fields: [
			{ css: '[name="stance"][value="con"]', kind: 'check' },
			{ css: '[name="body"]', kind: 'text', value: LONG(5100) }
		],
		submit: '发表',
		refused: 'a post over the session’s length limit'
	},
	{
		name: '发起征询',
		login: 'facilitator',
		path: () => `/sessions/${GATE_SESSION_ID}/polls`,
		form: 'form[action="?/create"]',
		fields: [
			{ css: '[name="question"]', kind: 'text', value: '侧门晚上几点关？' },
			{ css: '[name="options"]', kind: 'text', value: '只有一个选项' }
		],
		submit: '发起',
		refused: 'a single option'
	},
	{
		name: '发起协商会',
		login: 'juwei',
		path: () => '/sessions/new',
		form: 'form:has([name="facilitatorLogin"])',
		fields: [
			{ css: '[name="title"]', kind: 'text', value: '走查：停车位协商会' },
			{ css: '[name="kind"]', kind: 'select' },
			{ css: '[name="compoundIds"] >> nth=0', kind: 'check' },
			{ css: '[name="compoundIds"] >> nth=1', kind: 'check' },
			{ css: '[name="facilitatorLogin"]', kind: 'text', value: 'ux_walk_no_such_teacher' }
		],
		submit: '创建',
		refused: 'an unknown facilitator'
	},
	{
		name: '发起表决',
		login: 'hongqiao_ywh',
		path: () => '/manage/ballots/new',
		form: 'form:has([name="motionA"])',
		fields: [
			{ css: '[name="title"]', kind: 'text', value: LONG(300) },
			{ css: '[name="nonVoter-hongqiao"]', kind: 'check' },
			{ css: '[name="motionA"]', kind: 'text', value: '更换电梯' },
			{ css: '[name="motionB"]', kind: 'text', value: '大修电梯' },
			{ css: '[name="bothChannelsRule"]', kind: 'select' },
			{ css: '[name="countsVisibility"]', kind: 'select' },
			{ css: '[name="allowChange"]', kind: 'uncheck' }
		],
		submit: '创建表决',
		refused: 'a title far too long'
	},
	{
		name: '补发核验信',
		login: 'hongqiao_ywh',
		path: () => '/manage/compounds/hongqiao/letters',
		form: 'form[action="?/reissue"]',
		fields: [
			{ css: '[name="building"]', kind: 'select' },
			{ css: '[name="room"]', kind: 'text', value: '９９０１室' },
			{ css: '[name="reason"]', kind: 'text', value: '原信遗失' }
		],
		submit: '补发核验信',
		refused: 'a room that is not in the roster'
	},
	{
		name: '纸质票录入',
		login: 'hongqiao_ywh',
		path: () => `/manage/ballots/${ids.openBallot}`,
		form: 'form[action="?/paper"]',
		fields: [
			{ css: '[name="building"]', kind: 'select' },
			{ css: '[name="room"]', kind: 'text', value: '9901' },
			{ css: 'input[type="radio"][value="no"] >> nth=0', kind: 'check' }
		],
		submit: '录入',
		refused: 'a room that is not in the electorate'
	},
	{
		name: '委托书',
		login: 'hongqiao_ywh',
		path: () => `/manage/ballots/${ids.openBallot}`,
		form: 'form[action="?/proxy"]',
		fields: [
			{ css: '[name="building"]', kind: 'select' },
			{ css: '[name="room"]', kind: 'text', value: '9901' },
			{ css: '[name="principalName"]', kind: 'text', value: '王阿姨' },
			{ css: '[name="proxyLogin"]', kind: 'text', value: 'ux_walk_nobody' }
		],
		submit: '登记委托书',
		refused: 'a room that is not in the electorate'
	},
	{
		name: '角色授权',
		login: 'admin',
		path: () => '/admin/grants',
		form: 'form[action="?/grant"]',
		fields: [
			// The role stays as offered: without JavaScript the scope list is the one of the role shown first.
			{ css: '[name="login"]', kind: 'text', value: 'ux_walk_nobody' },
			{ css: '[name="scopeId"]', kind: 'select' }
		],
		submit: '授权',
		refused: 'an account that does not exist'
	},
	{
		name: '节假日安排',
		login: 'admin',
		path: () => '/admin/calendar',
		form: 'form[action="?/enter"]',
		fields: [{ css: '[name="text"]', kind: 'text', value: '来源：走查\n2031-13-01 休 不存在的日子' }],
		submit: '保存这一年',
		refused: 'a day that does not exist'
	},
	{
		name: '添加街道',
		login: 'admin',
		path: () => '/admin',
		form: 'form:has(#name-root)',
		open: 'summary:has-text("添加街道")',
		fields: [{ css: '[name="name"]', kind: 'text', value: LONG(50) }],
		submit: '添加街道',
		refused: 'a name over 40 characters'
	}
];

async function contextFor(login: string, javaScriptEnabled: boolean): Promise<BrowserContext> {
	const options = { viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', javaScriptEnabled };
	if (!login) return browser.newContext(options);
	if (!states.has(login)) {
		const context = await browser.newContext({ ...options, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/login`);
		await page.locator('[name="login"]').fill(login);
		await page.locator('[name="password"]').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/login'));
		states.set(login, await context.storageState());
		await context.close();
	}
	return browser.newContext({ ...options, storageState: states.get(login) });
}

async function fillIn(form: Locator, spec: FieldSpec): Promise<string | boolean | null> {
	const field = form.locator(spec.css);
	switch (spec.kind) {
		case 'text':
		case 'secret':
			await field.fill(spec.value);
			return spec.kind === 'text' ? spec.value : null;
		case 'select': {
			const value = (await field.locator('option').last().getAttribute('value')) ?? '';
			await field.selectOption(value);
			return value;
		}
		case 'check':
			await field.check();
			return true;
		case 'uncheck':
			await field.uncheck();
			return false;
	}
}

async function readBack(form: Locator, spec: FieldSpec): Promise<string | boolean> {
	const field = form.locator(spec.css);
	return spec.kind === 'check' || spec.kind === 'uncheck' ? field.isChecked() : field.inputValue();
}

async function walk(page: Page, c: FormCase, javaScript: boolean): Promise<void> {
	await page.goto(`${baseUrl()}${c.path()}`, { waitUntil: javaScript ? 'networkidle' : 'load' });
	if (c.open) await page.locator(c.open).click();
	const form = page.locator(c.form);
	expect(await form.count(), `${c.name}: the form is on ${c.path()}`).toBe(1);
	const typed: { spec: FieldSpec; value: string | boolean }[] = [];
	for (const spec of c.fields) {
		const value = await fillIn(form, spec);
		if (value !== null) typed.push({ spec, value });
	}
	await form.getByRole('button', { name: c.submit, exact: true }).click();
	await page.locator('[role="alert"]').first().waitFor();
	await snap(page, `typed-text-${c.name}-${javaScript ? 'js' : 'nojs'}`);
	for (const { spec, value } of typed) {
		expect(await readBack(page.locator(c.form), spec), `${c.name} (${javaScript ? 'JavaScript' : 'no JavaScript'}): ${spec.css} after “${c.refused}”`).toEqual(value);
	}
}

describe.each([
	['without JavaScript', false],
	['with JavaScript', true]
])('every typed field survives a refusal, %s', (_, javaScript) => {
	it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const context = await contextFor(c.login, javaScript);
		try {
			await walk(await context.newPage(), c, javaScript);
		} finally {
			await context.close();
		}
	}, 60_000);
});

describe('other ways typed text used to get lost', () => {
	it('switching to 长辈版 halfway through a concern keeps every field', async () => {
		const context = await contextFor('hongqiao_owner', true);
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/concerns/new`, { waitUntil: 'networkidle' });
		await page.locator('[name="title"]').fill('侧门夜间噪音');
		await page.locator('[name="body"]').fill('晚上十点以后还有人进出。');
		await page.getByRole('button', { name: '长辈版（大字）' }).click();
		await page.locator('html.elder').waitFor({ state: 'attached' });
		expect(await page.locator('[name="title"]').inputValue()).toBe('侧门夜间噪音');
		expect(await page.locator('[name="body"]').inputValue()).toBe('晚上十点以后还有人进出。');
		await context.close();
	});
});
