/**
 * `npm run screens` (after `npm run build`): every main page as a person would see it, on a
 * 360×740 phone and a 1280×800 screen, in the standard and the elder mode (长辈版), as full-page
 * PNGs in tests/screens/out/ (ignored by git) with an index.html to look through them.
 * The built server runs on a fresh database with the demo, as for the browser tests; each page is
 * opened by the demo login who would use it (tests/e2e/reach-pages.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { mainPages } from '../e2e/reach-pages.ts';
import { answersOk, freePort, untilServing } from '../helpers/process.ts';

const OUT = 'tests/screens/out';
const SIZES = [
	{ name: 'phone-360', viewport: { width: 360, height: 740 } },
	{ name: 'desktop-1280', viewport: { width: 1280, height: 800 } }
];

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
	const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl };
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
		for (const size of SIZES) {
			for (const elder of [false, true]) {
				const folder = `${size.name}-${elder ? 'elder' : 'standard'}`;
				mkdirSync(join(OUT, folder), { recursive: true });
				for (const login of [...new Set(pages.map((p) => p.login))]) {
					const context = await browser.newContext({ viewport: size.viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
					if (elder) await context.addCookies([{ name: 'yishi_elder', value: '1', url: base }]);
					const page = await context.newPage();
					if (login) await signIn(page, base, login);
					for (const { path } of pages.filter((p) => p.login === login)) {
						await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
						const file = `${String(pages.findIndex((p) => p.path === path)).padStart(2, '0')}${path.replace(/[^a-z0-9]+/gi, '-')}.png`;
						await page.screenshot({ path: join(OUT, folder, file), fullPage: true });
						shots.push({ folder, file, path, login });
					}
					await context.close();
				}
				console.log(`${folder}: ${pages.length} pages`);
			}
		}
		const rows = shots
			.map((s) => `<figure><figcaption>${s.folder} · ${s.path} · ${s.login || '未登录'}</figcaption><img src="${s.folder}/${s.file}" loading="lazy" alt=""></figure>`)
			.join('\n');
		writeFileSync(
			join(OUT, 'index.html'),
			`<!doctype html><meta charset="utf-8"><title>议事 screens</title><style>body{font-family:sans-serif}figure{display:inline-block;vertical-align:top;margin:8px;max-width:420px}img{max-width:100%;border:1px solid #ccc}</style>\n${rows}\n`
		);
		console.log(`${shots.length} screenshots in ${OUT}/ (open ${OUT}/index.html)`);
	} finally {
		await browser.close();
		server.kill('SIGTERM');
		await exited;
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
