/**
 * Issue #13 item 4: no path through the app loses what a person typed. Every form a resident or a
 * staff member fills in is walked twice — once with JavaScript off (the plain form post WeChat
 * falls back to) and once with it on (SvelteKit's enhanced forms) — as the person who would use it:
 * type into every field, tick the boxes, choose in the selects, submit something the server
 * refuses (too long, an unknown account, a room that does not exist …), and find every field still
 * filled beside the message. Password fields are typed but deliberately not given back.
 *
 * Refused input writes nothing; still, every form is walked on this file's own world (seed.ts
 * `newCast`: its own 爱建 / 虹桥 / 仙霞 and one account per role, a session in debate, an open
 * ballot), never on the demo. Forms that cannot be refused without first changing something
 * (publishing, closing, signing, triage of a queued concern) are covered where those steps are
 * walked (records, voting, agenda tests).
 */
import { newAccount, newCast, newDeliberation, openOwnVote, type Account, type CastRole } from './seed.ts';
import { signInContext } from './session.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PHONE, baseUrl, launch, snap } from './browser.ts';

let browser: Browser;
let ids: { session: string; item: string; hongqiao: string; ownBallot: string };
/**
 * The paper-entry and 委托书 forms need a ballot that is open whatever day other files moved the server's clock
 * to: this file opens its own, run by a 业委会 member of its own compound.
 */
const OWN_COMMITTEE = 'own_committee';
let people: Record<CastRole | typeof OWN_COMMITTEE, Account>;

beforeAll(async () => {
	browser = await launch();
	const cast = await newCast('走查');
	const { sessionId, itemId } = await newDeliberation(cast.people.juwei, {
		title: '走查边门协商会',
		compoundIds: [cast.aijian.id, cast.hongqiao.id],
		convenorId: cast.hongqiao.committeeId,
		facilitatorLogin: cast.people.facilitator.login,
		item: { title: '走查边门议题', question: '边门晚上是否关闭？' }
	});
	const own = await openOwnVote('走查自建小区', '走查自建表决', { title: '走查事项' });
	const member = await newAccount('走查业委会委员', { grants: [{ role: 'owners_committee', scopeId: own.unit.compoundId }] });
	people = { ...cast.people, [OWN_COMMITTEE]: member };
	ids = { session: sessionId, item: itemId, hongqiao: cast.hongqiao.id, ownBallot: own.ballotId };
}, 60_000);

afterAll(async () => {
	await browser?.close();
});

/**
 * One field: its CSS inside the form and what to do — a string is typed; SECRET(x) is typed and
 * never given back (a password); SELECT chooses the last option (never the default); CHECK and
 * UNCHECK tick or clear a box or radio.
 */
const SELECT = { select: true } as const;
const CHECK = { check: true } as const;
const UNCHECK = { check: false } as const;
const SECRET = (value: string) => ({ secret: value });
type Action = string | typeof SELECT | typeof CHECK | typeof UNCHECK | ReturnType<typeof SECRET>;
type FieldSpec = [css: string, action: Action];

interface FormCase {
	name: string;
	/** Who fills it in ('' = nobody signed in). */
	login: CastRole | typeof OWN_COMMITTEE | '';
	path: () => string;
	/** The form, as CSS, and its submit button. */
	form: string;
	submit: string;
	/** What the server refuses (for the reader; the message itself is awaited as role=alert). */
	refused: string;
	fields: FieldSpec[];
	/** A folded section to open first (a <summary>), as CSS. */
	open?: string;
}

const LONG = (n: number) => '这是一段很长的文字'.repeat(Math.ceil(n / 9)).slice(0, n);
const named = (name: string) => `[name="${name}"]`;

// prettier-ignore
const CASES: FormCase[] = [
	{ name: '登录', login: '', path: () => '/login', form: 'form:has([name="password"])', submit: '登录', refused: 'no such account',
		fields: [[named('login'), 'ux_walk_nobody'], [named('password'), SECRET('wrong-password-1')]] },
	{ name: '注册', login: '', path: () => '/register', form: 'form:has([name="displayName"])', submit: '注册', refused: 'a guessable password',
		fields: [[named('login'), 'ux_walk_13'], [named('displayName'), '走查的王阿姨'], [named('password'), SECRET('12345678')]] },
	{ name: '核验房屋', login: 'hongqiao_owner', path: () => '/claim', form: 'form:has([name="code"])', submit: '核验', refused: 'a short code',
		fields: [[named('code'), 'ABCD-12']] },
	{ name: '提出议题', login: 'hongqiao_owner', path: () => '/concerns/new', form: 'form:has([name="body"])', submit: '提交议题',
		refused: 'a title over 60 characters',
		fields: [[named('title'), LONG(80)], [named('body'), '晚上十点以后侧门还开着，外来电动车穿行很多。'], [named('category'), SELECT],
			[`${named('alsoAffects')} >> nth=0`, CHECK], [named('location'), '侧门北侧']] },
	{ name: '发表意见', login: 'hongqiao_owner', path: () => `/sessions/${ids.session}/items/${ids.item}`,
		form: 'form[action="?/argue"]',
		submit: '发表', refused: 'a post over the session’s length limit',
		fields: [['[name="stance"][value="con"]', CHECK], [named('body'), LONG(5100)]] },
	{ name: '发起征询', login: 'facilitator', path: () => `/sessions/${ids.session}/polls`, form: 'form[action="?/create"]', submit: '发起',
		refused: 'a single option', fields: [[named('question'), '侧门晚上几点关？'], [named('options'), '只有一个选项']] },
	{ name: '发起协商会', login: 'juwei', path: () => '/sessions/new', form: 'form:has([name="facilitatorLogin"])', submit: '创建',
		refused: 'an unknown facilitator',
		fields: [[named('title'), '走查：停车位协商会'], [named('kind'), SELECT], [`${named('compoundIds')} >> nth=0`, CHECK],
			[`${named('compoundIds')} >> nth=1`, CHECK], [named('facilitatorLogin'), 'ux_walk_no_such_teacher']] },
	{ name: '发起表决', login: 'hongqiao_ywh', path: () => '/manage/ballots/new', form: 'form:has([name="motionA"])', submit: '创建表决',
		refused: 'a title far too long',
		fields: [[named('title'), LONG(300)], ['[name^="nonVoter-"]', CHECK], [named('motionA'), '更换电梯'], [named('motionB'), '大修电梯'],
			[named('bothChannelsRule'), SELECT], [named('countsVisibility'), SELECT], [named('allowChange'), UNCHECK]] },
	{ name: '补发核验信', login: 'hongqiao_ywh', path: () => `/manage/compounds/${ids.hongqiao}/letters`, form: 'form[action="?/reissue"]',
		submit: '补发核验信', refused: 'a room not in the roster',
		fields: [[named('building'), SELECT], [named('room'), '９９０１室'], [named('reason'), '原信遗失']] },
	{ name: '纸质票录入', login: OWN_COMMITTEE, path: () => `/manage/ballots/${ids.ownBallot}`, form: 'form[action="?/paper"]', submit: '录入',
		refused: 'a room not in the electorate',
		fields: [[named('building'), SELECT], [named('room'), '9901'], ['input[type="radio"][value="no"] >> nth=0', CHECK]] },
	{ name: '委托书', login: OWN_COMMITTEE, path: () => `/manage/ballots/${ids.ownBallot}`, form: 'form[action="?/proxy"]', submit: '登记委托书',
		refused: 'a room not in the electorate',
		fields: [[named('building'), SELECT], [named('room'), '9901'], [named('principalName'), '王阿姨'],
			[named('proxyLogin'), 'ux_walk_nobody'],
			['input[type="radio"][value="yes"] >> nth=0', CHECK]] },
	// The role stays as offered: without JavaScript the scope list is the one of the role shown first.
	{ name: '角色授权', login: 'admin', path: () => '/admin/grants', form: 'form[action="?/grant"]', submit: '授权',
		refused: 'an unknown account',
		fields: [[named('login'), 'ux_walk_nobody'], [named('scopeId'), SELECT]] },
	{ name: '节假日安排', login: 'admin', path: () => '/admin/calendar', form: 'form[action="?/enter"]', submit: '保存这一年',
		refused: 'a day that does not exist', fields: [[named('text'), '来源：走查\n2031-13-01 休 不存在的日子']] },
	{ name: '添加街道', login: 'admin', path: () => '/admin', form: 'form:has(#name-root)', submit: '添加街道',
		refused: 'a name over 40 characters',
		open: 'summary:has-text("添加街道")', fields: [[named('name'), LONG(50)]] }
];

async function contextFor(as: FormCase['login'], javaScriptEnabled: boolean): Promise<BrowserContext> {
	const context = await browser.newContext({
		viewport: PHONE,
		deviceScaleFactor: 1,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		javaScriptEnabled
	});
	return as ? signInContext(context, people[as]) : context;
}

async function fillIn(form: Locator, [css, action]: FieldSpec): Promise<string | boolean | null> {
	const field = form.locator(css);
	if (typeof action === 'string') return field.fill(action).then(() => action);
	if ('secret' in action) return field.fill(action.secret).then(() => null);
	if ('select' in action) {
		const value = (await field.locator('option').last().getAttribute('value')) ?? '';
		await field.selectOption(value);
		return value;
	}
	await (action.check ? field.check() : field.uncheck());
	return action.check;
}

async function readBack(form: Locator, [css, action]: FieldSpec): Promise<string | boolean> {
	const field = form.locator(css);
	return typeof action === 'object' && 'check' in action ? field.isChecked() : field.inputValue();
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
		const mode = javaScript ? 'JavaScript' : 'no JavaScript';
		expect(await readBack(page.locator(c.form), spec), `${c.name} (${mode}): ${spec[0]} after “${c.refused}”`).toEqual(value);
	}
}

describe.each([
	['without JavaScript', false],
	['with JavaScript', true]
])('every typed field survives a refusal, %s', (_, javaScript) => {
	it.each(CASES.map((c) => [c.name, c] as const))(
		'%s',
		async (_name, c) => {
			const context = await contextFor(c.login, javaScript);
			try {
				await walk(await context.newPage(), c, javaScript);
			} finally {
				await context.close();
			}
		},
		60_000
	);
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
