/**
 * `npm run screens` (after `npm run build`): every main page as a person would see it, on a
 * 360×740 phone and a 1280×800 screen, in the standard and the elder mode (长辈版), in 简体中文 and English, as full-page
 * PNGs in tests/screens/out/ (ignored by git) with an index.html to look through them.
 * The built server runs on a fresh database with the demo, as for the browser tests; each page is
 * opened by the demo login who would use it (tests/e2e/reach-pages.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { and, desc, eq } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { DEMO_RENEWAL_TITLE } from '../../src/lib/server/voting/demo.ts';
import { mainPages } from '../e2e/reach-pages.ts';
import { answersOk, freePort, untilServing } from '../helpers/process.ts';

const OUT = 'tests/screens/out';
const SIZES = [
	{ name: 'phone-360', viewport: { width: 360, height: 740 } },
	{ name: 'desktop-1280', viewport: { width: 1280, height: 800 } }
];
/** The language cookie the server renders with (src/lib/server/i18n.ts). */
const LANGUAGES = ['zh-CN', 'en'] as const;

async function signIn(page: Page, base: string, login: string): Promise<void> {
	await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('手机号或用户名').fill(login);
	await page.getByLabel('密码').fill('yishi2026');
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

async function main(): Promise<void> {
	if (!existsSync('build/server.js')) throw new Error('build/ is missing: run `npm run build` first');
	const dir = mkdtempSync(join(tmpdir(), 'yishi-screens-'));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const databaseUrl = `file:${join(dir, 'screens.db')}`;
	// The server's clock can be moved forward (as for the browser tests) to show a ballot whose deadline
	// has passed; the scheduler is off so that ballot waits for 结束计票 instead of closing by itself.
	const clockFile = join(dir, 'clock');
	writeFileSync(clockFile, '0');
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATABASE_URL: databaseUrl,
		YISHI_TEST_CLOCK_FILE: clockFile,
		YISHI_SCHEDULER: '0'
	};
	delete env.ORIGIN;
	const server = spawn(process.execPath, ['build/server.js', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	server.stdout!.on('data', (d) => (log += d));
	server.stderr!.on('data', (d) => (log += d));
	const exited = new Promise((resolve) => server.once('exit', resolve));
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage']
	});
	try {
		await untilServing(server, answersOk(base), () => log);
		const database = openDatabase(databaseUrl);
		const pages = await mainPages(database);
		database.close();
		rmSync(OUT, { recursive: true, force: true });
		const shots: { folder: string; file: string; path: string; login: string }[] = [];
		for (const language of LANGUAGES) {
			for (const size of SIZES) {
				for (const elder of [false, true]) {
					const folder = `${language}-${size.name}-${elder ? 'elder' : 'standard'}`;
					mkdirSync(join(OUT, folder), { recursive: true });
					for (const login of [...new Set(pages.map((p) => p.login))]) {
						const context = await browser.newContext({
							viewport: size.viewport,
							locale: language,
							timezoneId: 'Asia/Shanghai'
						});
						if (elder) await context.addCookies([{ name: 'yishi_elder', value: '1', url: base }]);
						const page = await context.newPage();
						if (login) await signIn(page, base, login);
						// After signing in on the Chinese form: the language is the reader's choice, remembered in a cookie.
						await context.addCookies([{ name: 'yishi_lang', value: language, url: base }]);
						for (const { path } of pages.filter((p) => p.login === login)) {
							await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
							const index = String(pages.findIndex((p) => p.path === path)).padStart(2, '0');
							const file = `${index}${path.replace(/[^a-z0-9]+/gi, '-')}.png`;
							await page.screenshot({ path: join(OUT, folder, file), fullPage: true });
							shots.push({ folder, file, path, login });
						}
						await context.close();
					}
					console.log(`${folder}: ${pages.length} pages`);
				}
			}
		}
		shots.push(...(await ballotStaffScreens(browser, base, databaseUrl, clockFile)));
		const rows = shots
			.map(
				(s) =>
					`<figure><figcaption>${s.folder} · ${s.path} · ${s.login || '未登录'}</figcaption><img ` +
					`src="${s.folder}/${s.file}" loading="lazy" alt=""></figure>`
			)
			.join('\n');
		writeFileSync(
			join(OUT, 'index.html'),
			'<!doctype html><meta charset="utf-8"><title>议事 screens</title><style>body{font-family:sans-serif}' +
				'figure{display:inline-block;vertical-align:top;margin:8px;max-width:420px}img{max-width:100%;border:1px solid #ccc}' +
				`</style>\n${rows}\n`
		);
		console.log(`${shots.length} screenshots in ${OUT}/ (open ${OUT}/index.html)`);
	} finally {
		await browser.close();
		server.kill('SIGTERM');
		await exited;
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The 业委会's ballot pages that the main walk cannot reach as seeded, at phone size in both modes:
 * the printable paper ballots of a building, a 委托书 being registered and the proxy's own ballot,
 * and the 结束计票 confirmation (the clock moved past the deadline, last, as it changes every page).
 */
async function ballotStaffScreens(browser: import('playwright-core').Browser, base: string, databaseUrl: string, clockFile: string) {
	const database = openDatabase(databaseUrl);
	const [ballot] = await database.db.select().from(schema.ballots).where(eq(schema.ballots.title, DEMO_RENEWAL_TITLE)).limit(1);
	const [unit] = await database.db
		.select({ buildingName: schema.electorateUnits.buildingName, room: schema.electorateUnits.room })
		.from(schema.electorateUnits)
		.where(and(eq(schema.electorateUnits.ballotId, ballot.id), eq(schema.electorateUnits.compoundId, 'hongqiao')))
		.orderBy(desc(schema.electorateUnits.room))
		.limit(1);
	database.close();
	const building = `hongqiao|${unit.buildingName}`;
	const manage = `/manage/ballots/${ballot.id}`;
	const steps: { name: string; login: string; path: string; before?: (page: Page) => Promise<void> }[] = [
		{ name: 'ballot-print', login: 'hongqiao_ywh', path: `${manage}/print?building=${encodeURIComponent(building)}` },
		{
			name: 'ballot-proxy-form',
			login: 'hongqiao_ywh',
			path: `${manage}#x-building`,
			before: async (page) => {
				await page.goto(`${base}${manage}`, { waitUntil: 'networkidle' });
				await page.locator('#x-building').selectOption(building);
				await page.locator('#x-room').fill(unit.room);
				await page.locator('#x-name').fill('王阿姨');
				await page.locator('#x-proxy').fill('tenant');
				// The 委托书 states the owner's instruction on every motion (同意 here).
				const form = page.locator('form', { has: page.locator('#x-name') });
				for (const radio of await form.locator('input[type="radio"][value="yes"]').all()) await radio.check({ force: true });
			}
		},
		{ name: 'ballot-proxy-vote', login: 'tenant', path: `/vote/${ballot.id}` },
		{ name: 'ballot-close-confirm', login: 'hongqiao_ywh', path: `${manage}?step=close#confirm-close` }
	];
	const shots: { folder: string; file: string; path: string; login: string }[] = [];
	let proxyRegistered = false;
	for (const step of steps) {
		if (step.name === 'ballot-close-confirm') writeFileSync(clockFile, String(ballot.closesAt - Date.now() + 3600_000));
		for (const elder of [false, true]) {
			const folder = `zh-CN-phone-360-${elder ? 'elder' : 'standard'}`;
			const context = await browser.newContext({ viewport: SIZES[0].viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
			if (elder) await context.addCookies([{ name: 'yishi_elder', value: '1', url: base }]);
			const page = await context.newPage();
			await signIn(page, base, step.login);
			if (step.before) await step.before(page);
			else await page.goto(`${base}${step.path}`, { waitUntil: 'networkidle' });
			const file = `zz-${step.name}.png`;
			await page.screenshot({ path: join(OUT, folder, file), fullPage: true });
			shots.push({ folder, file, path: step.path, login: step.login });
			// The proxy's own ballot needs the 委托书 registered once (as the form above was filled).
			if (step.name === 'ballot-proxy-form' && !proxyRegistered) {
				await page.getByRole('button', { name: '登记委托书' }).click();
				await page.getByText('已登记').first().waitFor();
				proxyRegistered = true;
			}
			await context.close();
		}
	}
	console.log(`ballot staff pages: ${steps.length} pages × 2 modes`);
	return shots;
}

await main();
