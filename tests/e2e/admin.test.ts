/**
 * First run and administration on a phone (360×740), against a server of its own started the way
 * a 居委 installs Yishi for real: an empty database WITHOUT the demo (YISHI_DEMO=0). The walk:
 * the printed one-time link → the first administrator → 街道/片区/居委/小区/楼栋 → a 业委会
 * member (an account registered here) with a term → who then finds the compound's management page,
 * imports a 20,000-unit roster and prints letters → a resident claims one and posts a concern with a
 * 4 MB phone photo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, PHONE, snap } from './browser.ts';
import { largeRosterCsv } from '../fixtures/roster/large.ts';
import { phonePhoto } from '../fixtures/photos/phone-photo.ts';
import { freePort } from '../helpers/process.ts';

let browser: Browser;
let server: ChildProcess;
let output = '';
let origin = '';
let dir = '';
let buildCopy = '';

beforeAll(async () => {
	if (!existsSync('build/handler.js')) throw new Error('build/ is missing: run `npm run build` before the browser tests');
	dir = mkdtempSync(join(tmpdir(), 'yishi-admin-e2e-'));
	buildCopy = mkdtempSync(join('tests', 'e2e', '.build-admin-'));
	cpSync('build', buildCopy, { recursive: true });
	const port = await freePort();
	origin = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.ORIGIN;
	delete env.PROTOCOL_HEADER;
	delete env.YISHI_TEST_CLOCK_FILE;
	delete env.YISHI_ALLOW_DEMO_ACCOUNTS;
	// The production start: the bundled entry with plain node, no --demo.
	server = spawn(process.execPath, [join(buildCopy, 'server.js')], {
		env: {
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: `file:${join(dir, 'fresh.db')}`,
			YISHI_DEMO: '0',
			YISHI_BUILD_DIR: buildCopy
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const started = new Promise<void>((resolve, reject) => {
		const onData = (d: Buffer) => {
			output += d;
			if (/\/setup\?t=\S+/.test(output) && output.includes('已启动')) resolve();
		};
		server.stdout!.on('data', onData);
		server.stderr!.on('data', onData);
		server.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
	});
	await started;
	browser = await launch();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	if (dir) rmSync(dir, { recursive: true, force: true });
	if (buildCopy) rmSync(buildCopy, { recursive: true, force: true });
});

async function phoneContext(options: { elder?: boolean } = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	if (options.elder) await context.addCookies([{ name: 'yishi_elder', value: '1', url: origin }]);
	return context;
}

async function logIn(page: Page, login: string, password: string) {
	await page.goto(`${origin}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('手机号或用户名').fill(login);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Adds a child under a node's section of the tree and waits for its own section to appear. */
async function addChild(page: Page, parent: string, childKind: string, name: string) {
	const section = page.getByRole('region', { name: parent, exact: true });
	await section.locator('summary', { hasText: `添加${childKind}` }).click();
	await section.getByLabel(`${childKind}名称`).fill(name);
	await section.getByRole('button', { name: `添加${childKind}` }).click();
	await page.getByRole('region', { name: `${childKind} ${name}`, exact: true }).waitFor();
}

const ADMIN = { login: 'juwei_it', name: '居委小王', password: 'xinhua-juwei-2026!' };
const MEMBER = { login: '13800138000', name: '李阿姨', password: 'liayi-yeweihui-88' };
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

describe('first run without the demo', () => {
	it('prints a one-time setup link and seeds nothing', () => {
		expect(output).toContain('还没有管理员');
		expect(output).not.toContain('演示账号');
	});

	it('the setup link creates the administrator, who builds the tree and appoints a 业委会 member', async () => {
		const link = /(http:\/\/\S+\/setup\?t=\S+)/.exec(output)![1];
		const context = await phoneContext();
		const page = await context.newPage();
		await page.goto(link, { waitUntil: 'networkidle' });
		await page.getByLabel('管理员的手机号或用户名').fill(ADMIN.login);
		await page.getByLabel('称呼').fill(ADMIN.name);
		await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
		await page.getByLabel('再输入一次密码').fill('not the same');
		await page.getByRole('button', { name: '创建管理员并登录' }).click();
		await expect.poll(() => page.locator('.field-error').allTextContents()).toContain('两次输入的密码不一样');
		expect(await page.getByLabel('管理员的手机号或用户名').inputValue()).toBe(ADMIN.login);
		await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
		await page.getByLabel('再输入一次密码').fill(ADMIN.password);
		await page.getByRole('button', { name: '创建管理员并登录' }).click();
		await page.waitForURL(/\/admin\?welcome=1/);
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('管理员账号已创建');

		await page.getByLabel('街道名称').fill('新华街道');
		await page.getByRole('button', { name: '添加街道' }).click();
		await page.getByRole('region', { name: '街道 新华街道', exact: true }).waitFor();
		await addChild(page, '街道 新华街道', '片区', '第一片区');
		await addChild(page, '片区 第一片区', '居委', '幸福居民区');
		await addChild(page, '居委 幸福居民区', '小区', '幸福小区');
		await addChild(page, '小区 幸福小区', '楼栋', '1号楼');
		// A duplicate name is refused on the same page, with what was typed kept.
		const compound = page.getByRole('region', { name: '小区 幸福小区', exact: true });
		await compound.getByLabel('楼栋名称').fill('1号楼');
		await compound.getByRole('button', { name: '添加楼栋' }).click();
		await expect.poll(() => compound.getByRole('alert').textContent()).toContain('已经有这个名字');
		expect(await compound.getByLabel('楼栋名称').inputValue()).toBe('1号楼');
		await snap(page, 'admin-tree');

		// The 业委会 member registers on their own phone.
		const memberContext = await phoneContext();
		const memberPage = await memberContext.newPage();
		await memberPage.goto(`${origin}/register`, { waitUntil: 'networkidle' });
		await memberPage.getByLabel('手机号或用户名').fill(MEMBER.login);
		await memberPage.getByLabel('称呼').fill(MEMBER.name);
		await memberPage.getByLabel('密码').fill(MEMBER.password);
		await memberPage.getByRole('button', { name: '注册' }).click();
		// Sign-up does not sign in (its answer must not tell whether the login was new): log in with the new password.
		await expect.poll(() => memberPage.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		await memberPage.getByLabel('密码').fill(MEMBER.password);
		await memberPage.getByRole('button', { name: '登录' }).click();
		await memberPage.waitForURL((url) => !url.pathname.startsWith('/register') && !url.pathname.startsWith('/login'));

		await page.getByRole('link', { name: '角色授权' }).click();
		await page.waitForURL(/\/admin\/grants/);
		await page.waitForLoadState('networkidle');
		await page.getByLabel('对方的手机号或用户名').fill(MEMBER.login);
		await page.getByLabel('角色').selectOption({ label: '业委会成员' });
		await page.getByLabel('范围').selectOption({ label: '小区 · 幸福小区（幸福居民区）' });
		await page.getByLabel('开始日期').fill(day(-30));
		await page.getByLabel('结束日期（含这一天）').fill(day(3 * 365));
		await page.getByRole('button', { name: '授权', exact: true }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已授权');
		const row = page.locator('li', { hasText: MEMBER.name });
		await expect.poll(() => row.textContent()).toContain('在任');
		expect(await row.textContent()).toContain('幸福小区');
		await snap(page, 'admin-grants');

		// The member now manages 幸福小区: roster import and letters are there.
		await memberPage.goto(`${origin}/manage`, { waitUntil: 'networkidle' });
		await memberPage.getByRole('link', { name: /幸福小区/ }).click();
		await memberPage.waitForURL(/\/manage\/compounds\//);
		await memberPage.getByRole('link', { name: '导入房屋清册' }).waitFor();
		await snap(memberPage, 'admin-member-manage');

		// The link is spent: it now says the system is set up and offers the login.
		await page.goto(link, { waitUntil: 'networkidle' });
		expect(await page.getByRole('status').textContent()).toContain('系统已经设置好了');
		await page.getByRole('link', { name: '管理员登录' }).waitFor();
		await memberContext.close();
		await context.close();
	});

	it(
		'the 业委会 member imports a 20,000-unit roster and prints letters; a resident claims one ' +
			'and posts a concern with a 4 MB phone photo',
		async () => {
			// Continues the walk above on the same fresh installation: the member was appointed there.
			const context = await phoneContext();
			const page = await context.newPage();
			await logIn(page, MEMBER.login, MEMBER.password);
			await page.goto(`${origin}/manage`, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: /幸福小区/ }).click();
			await page.waitForURL(/\/manage\/compounds\/[^/]+$/);
			const compoundPath = new URL(page.url()).pathname;
			await page.getByRole('link', { name: '导入房屋清册' }).click();
			await page.waitForURL(/\/import$/);
			await page.waitForLoadState('networkidle');
			// As the 业委会 has it: a GB18030 CSV saved from Excel, 20,000 units over 50 buildings.
			await page.setInputFiles('input[type=file]', {
				name: '幸福小区房屋清册.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from(largeRosterCsv())
			});
			await page.getByRole('button', { name: '预览' }).click();
			const preview = page.locator('section[aria-live]');
			await expect.poll(() => preview.textContent(), { timeout: 90_000 }).toContain('共读到 20000 行，其中 20000 户没有问题');
			await page.getByRole('button', { name: /确认导入/ }).click();
			await page.waitForURL(/imported=1/, { timeout: 90_000 });
			await snap(page, 'install-roster-imported');

			await page.goto(`${origin}${compoundPath}/letters`, { waitUntil: 'networkidle' });
			await page.getByLabel('楼栋').selectOption({ label: '1号楼' });
			// 400 letters with their QR codes: the answer may take longer than a click's usual 30 s on a busy machine.
			await page.getByRole('button', { name: '生成核验信' }).click({ timeout: 90_000 });
			await expect.poll(() => page.getByRole('status').textContent(), { timeout: 60_000 }).toContain('已生成');
			const letter = page.locator('article.letter').first();
			expect(await letter.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
			const code = (await letter.locator('.code').textContent())!.trim().replace('-', '');
			await context.close();

			// A resident scans the letter, signs up, logs in and claims the unit.
			const resident = { login: '13700137000', name: '1号楼王伯伯', password: 'wang-bobo-bianmen-2026' };
			const residentContext = await phoneContext();
			const residentPage = await residentContext.newPage();
			await residentPage.goto(`${origin}/claim?c=${code}`, { waitUntil: 'networkidle' });
			await residentPage.getByRole('link', { name: '注册新账号' }).click();
			await residentPage.getByLabel('手机号或用户名').fill(resident.login);
			await residentPage.getByLabel('称呼').fill(resident.name);
			await residentPage.getByLabel('密码').fill(resident.password);
			await residentPage.getByRole('button', { name: '注册' }).click();
			await expect.poll(() => residentPage.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
			await residentPage.getByLabel('密码').fill(resident.password);
			await residentPage.getByRole('button', { name: '登录' }).click();
			await residentPage.waitForURL(/\/claim\?c=/);
			await residentPage.getByRole('button', { name: '核验' }).click();
			await expect.poll(() => residentPage.getByRole('status').textContent()).toContain('核验成功');

			// …and raises a concern with a photo straight from the phone (4 MB, taken sideways).
			const photo = await phonePhoto({ width: 4000, height: 3000, minBytes: 4 * 1024 * 1024 });
			await residentPage.goto(`${origin}/concerns/new`, { waitUntil: 'networkidle' });
			const title = '1号楼门口的路灯不亮';
			await residentPage.getByLabel('标题').fill(title);
			await residentPage.getByLabel('详细说明').fill('晚上回家看不清台阶，老人容易摔跤。');
			await residentPage.getByLabel('类别').selectOption({ label: '公共设施' });
			await residentPage.setInputFiles('#f-photos', [{ name: 'IMG_2026.jpg', mimeType: 'image/jpeg', buffer: photo }]);
			await residentPage.getByRole('button', { name: '提交议题' }).click();
			await residentPage.waitForURL(/\/concerns\/(?!new$)[^/]+$/, { timeout: 60_000 });
			await expect.poll(() => residentPage.locator('h1').textContent()).toBe(title);
			expect(await residentPage.locator('.photos img').count()).toBe(1);
			// The photo is served and shown (upright: taller than wide, as the phone held it).
			await expect
				.poll(() =>
					residentPage
						.locator('.photos img')
						.evaluate(
							(img) =>
								(img as HTMLImageElement).complete &&
								(img as HTMLImageElement).naturalHeight > (img as HTMLImageElement).naturalWidth
						)
				)
				.toBe(true);
			await snap(residentPage, 'install-resident-concern');
			await residentContext.close();
		},
		300_000
	);

	it('居委 staff manage the 小区 of their own 居委 only', async () => {
		const staff = { login: 'laozhang', name: '居委老张', password: 'laozhang-juwei-66' };
		const staffContext = await phoneContext();
		const staffPage = await staffContext.newPage();
		await staffPage.goto(`${origin}/register`, { waitUntil: 'networkidle' });
		await staffPage.getByLabel('手机号或用户名').fill(staff.login);
		await staffPage.getByLabel('称呼').fill(staff.name);
		await staffPage.getByLabel('密码').fill(staff.password);
		await staffPage.getByRole('button', { name: '注册' }).click();
		// Sign-up does not sign in (its answer must not tell whether the login was new): log in with the new password.
		await expect.poll(() => staffPage.getByRole('status').textContent()).toContain('请用刚设置的密码登录');
		await staffPage.getByLabel('密码').fill(staff.password);
		await staffPage.getByRole('button', { name: '登录' }).click();
		await staffPage.waitForURL((url) => !url.pathname.startsWith('/register') && !url.pathname.startsWith('/login'));

		const context = await phoneContext();
		const page = await context.newPage();
		await logIn(page, ADMIN.login, ADMIN.password);
		await page.goto(`${origin}/admin/grants`, { waitUntil: 'networkidle' });
		await page.getByLabel('对方的手机号或用户名').fill(staff.login);
		await page.getByLabel('角色').selectOption({ label: '居委工作人员' });
		await page.getByLabel('范围').selectOption({ label: '居委 · 幸福居民区' });
		await page.getByRole('button', { name: '授权', exact: true }).click();
		await expect.poll(() => page.locator('li', { hasText: staff.name }).textContent()).toContain('幸福居民区');
		await context.close();

		await staffPage.goto(`${origin}/`, { waitUntil: 'networkidle' });
		await staffPage.getByRole('link', { name: '管理后台' }).first().click();
		await staffPage.waitForURL(/\/admin$/);
		expect(await staffPage.getByRole('button', { name: '添加街道' }).count()).toBe(0);
		expect(await staffPage.getByRole('region', { name: '街道 新华街道', exact: true }).count()).toBe(0);
		await addChild(staffPage, '居委 幸福居民区', '小区', '幸福二村');
		await staffPage.goto(`${origin}/admin/grants`, { waitUntil: 'networkidle' });
		expect(await staffPage.getByLabel('角色').locator('option').allTextContents()).toEqual(['业委会成员']);
		expect(await staffPage.getByLabel('范围').locator('option').allTextContents()).toEqual([
			'小区 · 幸福二村（幸福居民区）',
			'小区 · 幸福小区（幸福居民区）'
		]);
		await staffContext.close();
	});

	it('the administration page in elder mode fits a phone', async () => {
		const context = await phoneContext({ elder: true });
		const page = await context.newPage();
		await logIn(page, ADMIN.login, ADMIN.password);
		await page.goto(`${origin}/admin`, { waitUntil: 'networkidle' });
		expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);
		await page.getByRole('region', { name: '楼栋 1号楼', exact: true }).waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
		await snap(page, 'admin-elder');
		await context.close();
	});
});
