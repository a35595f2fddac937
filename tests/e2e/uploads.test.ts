/**
 * Uploads that fit real files, and nothing typed is ever lost: phone photos of 4 and 8 MB on a
 * concern (with and without JavaScript), an 11 MB photo refused on the same page with the text
 * kept, a draft that survives a session running out, and 20,000-unit rosters as a GB18030 CSV and
 * an XLSX imported through the page. All at 360×740, screenshots in normal and elder mode.
 * The compounds and accounts are this file's own (seed.ts), signed in by a session cookie except
 * where logging in again after the session ran out is the subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch, phone, PHONE, snap } from './browser.ts';
import { newAccount, newCompound, rosterOf, type Account } from './seed.ts';
import { signInContext } from './session.ts';
import { phonePhoto, redSide } from '../fixtures/photos/phone-photo.ts';
import { largeRosterCsv, largeRosterXlsx } from '../fixtures/roster/large.ts';

const MB = 1024 * 1024;
let browser: Browser;
let photos: { four: Buffer; eight: Buffer; eleven: Buffer };
const contexts: BrowserContext[] = [];
/** The owner who raises the concerns; she logs in with the form once, after her session ran out. */
const PASSWORD = 'shangchuan-zhaopian-2026-laoli';
let owner: Account;

beforeAll(async () => {
	const compound = await newCompound('上传照片小区', rosterOf(4, '上传照片'));
	owner = await newAccount('上传照片的李阿姨', { owns: [compound.units[0]], password: PASSWORD });
	// A phone held upright stores its photo sideways with EXIF orientation 6, GPS and the camera's make.
	photos = {
		four: await phonePhoto({ width: 3000, height: 2000, minBytes: 4 * MB }),
		eight: await phonePhoto({ width: 4000, height: 3000, minBytes: 8 * MB }),
		eleven: await phonePhoto({ width: 4000, height: 3000, minBytes: 11 * MB })
	};
	browser = await launch();
});
afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
});

async function resident(options: { elder?: boolean; javaScript?: boolean } = {}): Promise<Page> {
	const context =
		options.javaScript === false
			? await browser.newContext({
					viewport: PHONE,
					deviceScaleFactor: 1,
					locale: 'zh-CN',
					timezoneId: 'Asia/Shanghai',
					javaScriptEnabled: false
				})
			: await phone(browser, { elder: options.elder });
	contexts.push(context);
	await signInContext(context, owner);
	return context.newPage();
}

const jpeg = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });

async function fillConcern(page: Page, title: string, body: string) {
	await page.goto(`${baseUrl()}/concerns/new`, { waitUntil: 'networkidle' });
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('详细说明').fill(body);
	await page.getByLabel('类别').selectOption({ label: '公共设施' });
}

/** Every photo of the concern now shown: served upright (red on the right of a portrait), with no EXIF and so no GPS. */
async function expectUprightWithoutMetadata(page: Page, count: number) {
	const sources = await page.locator('.photos img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));
	expect(sources).toHaveLength(count);
	for (const src of sources) {
		const response = await page.request.get(src);
		expect(response.headers()['content-type']).toBe('image/jpeg');
		const bytes = await response.body();
		const meta = await sharp(bytes).metadata();
		expect(meta.exif).toBeUndefined();
		expect(meta.orientation).toBeUndefined();
		expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2560);
		expect(bytes.includes(Buffer.from('YishiPhone'))).toBe(false);
		const side = await redSide(bytes);
		expect(side.height).toBeGreaterThan(side.width);
		expect(side.red).toBe('right');
	}
	// The browser shows them upright too (nothing left for it to turn).
	await expect
		.poll(() =>
			page
				.locator('.photos img')
				.evaluateAll((imgs) =>
					imgs.every(
						(img) =>
							(img as HTMLImageElement).complete &&
							(img as HTMLImageElement).naturalHeight > (img as HTMLImageElement).naturalWidth
					)
				)
		)
		.toBe(true);
}

describe('uploads: phone photos on a concern', () => {
	it('a resident attaches a 4 MB and an 8 MB phone photo; the concern shows them upright and the stored files carry no GPS', async () => {
		for (const elder of [false, true]) {
			const page = await resident({ elder });
			const title = `上传测试：楼道灯坏了${elder ? '（长辈版）' : ''}`;
			await fillConcern(page, title, '3号楼楼道灯坏了一个星期，晚上看不见台阶。');
			expect(await page.getByText('每张不超过 10 MB，最多 4 张').count()).toBe(1);
			await page.setInputFiles('#f-photos', [jpeg('IMG_0001.jpg', photos.four), jpeg('IMG_0002.jpg', photos.eight)]);
			await snap(page, `uploads-concern-photos${elder ? '-elder' : ''}`);
			const [post] = await Promise.all([
				page.waitForRequest((r) => r.method() === 'POST'),
				page.getByRole('button', { name: '提交议题' }).click()
			]);
			await page.waitForURL(/\/concerns\/(?!new$)[^/]+$/, { timeout: 60_000 });
			await expect.poll(() => page.locator('h1').textContent()).toBe(title);
			// The browser sent the photos shrunk to 2560 px: far less than the 12 MB chosen.
			expect((await post.sizes()).requestBodySize).toBeLessThan(6 * MB);
			await expectUprightWithoutMetadata(page, 2);
			await snap(page, `uploads-concern-shown${elder ? '-elder' : ''}`);
		}
	});

	it(
		'where the browser refuses imageOrientation "from-image" (older WebViews), the <img> ' +
			'fallback still sends the photo upright and shrunk',
		async () => {
			const page = await resident();
			await page.addInitScript(() => {
				const original = window.createImageBitmap.bind(window);
				const w = window as unknown as { refusedFromImage: number };
				w.refusedFromImage = 0;
				window.createImageBitmap = ((source: ImageBitmapSource, ...rest: unknown[]) => {
					const options = rest.at(-1) as ImageBitmapOptions | undefined;
					if (options?.imageOrientation === 'from-image') {
						w.refusedFromImage++;
						return Promise.reject(
							new TypeError("The provided value 'from-image' is not a valid enum value of type ImageOrientation.")
						);
					}
					return (original as (...args: unknown[]) => Promise<ImageBitmap>)(source, ...rest);
				}) as typeof window.createImageBitmap;
			});
			await fillConcern(page, '上传测试：旧手机浏览器', '旧的微信浏览器不认识 from-image。');
			await page.setInputFiles('#f-photos', [jpeg('IMG_0002.jpg', photos.eight)]);
			await expect.poll(() => page.evaluate(() => (window as unknown as { refusedFromImage: number }).refusedFromImage)).toBe(1);
			const [post] = await Promise.all([
				page.waitForRequest((r) => r.method() === 'POST'),
				page.getByRole('button', { name: '提交议题' }).click()
			]);
			await page.waitForURL(/\/concerns\/(?!new$)[^/]+$/, { timeout: 60_000 });
			expect((await post.sizes()).requestBodySize).toBeLessThan(4 * MB);
			// Without EXIF in what the browser sent, the server could not have turned it: the <img> drew it upright.
			await expectUprightWithoutMetadata(page, 1);
		}
	);

	it('an 11 MB photo is refused beside the field before anything is sent, and everything typed stays', async () => {
		const page = await resident();
		const posts: string[] = [];
		page.on('request', (request) => {
			if (request.method() === 'POST') posts.push(request.url());
		});
		await fillConcern(page, '上传测试：太大的照片', '这张照片超过了 10 MB。');
		await page.setInputFiles('#f-photos', [jpeg('IMG_0011.jpg', photos.eleven)]);
		const error = page.locator('#f-photos-err');
		await expect.poll(() => error.textContent()).toContain('每张不能超过 10 MB');
		expect(await error.textContent()).toContain('11.0 MB');
		await page.getByRole('button', { name: '提交议题' }).click();
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-photos');
		expect(posts).toEqual([]);
		expect(new URL(page.url()).pathname).toBe('/concerns/new');
		expect(await page.getByLabel('标题').inputValue()).toBe('上传测试：太大的照片');
		expect(await page.getByLabel('详细说明').inputValue()).toBe('这张照片超过了 10 MB。');
		await snap(page, 'uploads-concern-too-large');

		// Choosing a photo that fits clears the message, and the concern goes through.
		await page.setInputFiles('#f-photos', [jpeg('IMG_0001.jpg', photos.four)]);
		await expect.poll(() => error.count()).toBe(0);
		await page.getByRole('button', { name: '提交议题' }).click();
		await page.waitForURL(/\/concerns\/(?!new$)[^/]+$/, { timeout: 60_000 });
		await expectUprightWithoutMetadata(page, 1);
	});

	it(
		'without JavaScript a 4 MB photo posts and the server turns it upright; an 11 MB one ' +
			'comes back with the text and 请重新选择照片',
		async () => {
			const page = await resident({ javaScript: false });
			await fillConcern(page, '上传测试：没有脚本的手机', '老手机的浏览器不运行脚本，也能上传照片。');
			await page.setInputFiles('#f-photos', [jpeg('IMG_0011.jpg', photos.eleven)]);
			await page.getByRole('button', { name: '提交议题' }).click();
			await page.waitForLoadState('load');
			expect(new URL(page.url()).pathname).toBe('/concerns/new');
			expect(await page.getByRole('alert').first().textContent()).toContain('每张照片不能超过 10 MB');
			expect(await page.getByText('请重新选择照片后再提交').count()).toBe(1);
			expect(await page.getByLabel('标题').inputValue()).toBe('上传测试：没有脚本的手机');
			expect(await page.getByLabel('详细说明').inputValue()).toBe('老手机的浏览器不运行脚本，也能上传照片。');
			expect(await page.getByLabel('类别').inputValue()).toBe('facilities');
			await snap(page, 'uploads-concern-nojs-refused');

			await page.setInputFiles('#f-photos', [jpeg('IMG_0001.jpg', photos.four)]);
			await page.getByRole('button', { name: '提交议题' }).click();
			await page.waitForURL(/\/concerns\/(?!new$)[^/]+$/, { timeout: 60_000 });
			expect(await page.locator('h1').textContent()).toBe('上传测试：没有脚本的手机');
			await expectUprightWithoutMetadata(page, 1);
			await snap(page, 'uploads-concern-nojs-shown');
		}
	);

	it(
		'without JavaScript, a post over the server’s 48 MB body limit gets a Chinese page that ' + 'says what to do, not an error page',
		async () => {
			const page = await resident({ javaScript: false });
			await fillConcern(page, '上传测试：五张大照片', '一次选了五张将近 10 MB 的照片。');
			const almostTen = await phonePhoto({ width: 4000, height: 3000, minBytes: 10 * MB - 1000 });
			await page.setInputFiles(
				'#f-photos',
				[1, 2, 3, 4, 5].map((n) => jpeg(`IMG_010${n}.jpg`, almostTen))
			);
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				page.getByRole('button', { name: '提交议题' }).click()
			]);
			expect(response.status()).toBe(413);
			await page.waitForLoadState('load');
			expect(await page.getByRole('alert').first().textContent()).toContain('上传的文件太大，没有提交成功');
			expect(await page.getByRole('button', { name: '提交议题' }).count()).toBe(1);
			await snap(page, 'uploads-concern-nojs-body-limit');
		}
	);

	it('a title that is too long comes back with every field kept, without JavaScript too', async () => {
		const page = await resident({ javaScript: false });
		const long = '上传测试'.repeat(16);
		await fillConcern(page, long, '标题太长了，其他内容不能丢。');
		await page.getByLabel('具体位置（可不填）').fill('3号楼门口');
		await page.getByRole('button', { name: '提交议题' }).click();
		await page.waitForLoadState('load');
		expect(await page.locator('#f-title-err').textContent()).toContain('标题不超过 60 字');
		expect(await page.getByLabel('标题').inputValue()).toBe(long);
		expect(await page.getByLabel('详细说明').inputValue()).toBe('标题太长了，其他内容不能丢。');
		expect(await page.getByLabel('具体位置（可不填）').inputValue()).toBe('3号楼门口');
		expect(await page.getByLabel('类别').inputValue()).toBe('facilities');
	});

	it('a resident whose session ran out while writing logs in again and finds the text where it was', async () => {
		const page = await resident();
		await fillConcern(page, '上传测试：写到一半掉线了', '写了很久的内容，登录过期也不能丢。');
		await page.context().clearCookies();
		await page.getByRole('button', { name: '提交议题' }).click();
		await page.waitForURL(/\/login/);
		await page.getByLabel('手机号或用户名').fill(owner.login);
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL(/\/concerns\/new$/);
		await expect.poll(() => page.getByLabel('标题').inputValue()).toBe('上传测试：写到一半掉线了');
		expect(await page.getByLabel('详细说明').inputValue()).toBe('写了很久的内容，登录过期也不能丢。');
		expect(await page.getByLabel('类别').inputValue()).toBe('facilities');
		await page.getByRole('button', { name: '提交议题' }).click();
		await page.waitForURL(/\/concerns\/(?!new$)[^/]+$/);
		// Once accepted, the draft is gone: a new form starts empty.
		await page.goto(`${baseUrl()}/concerns/new`, { waitUntil: 'networkidle' });
		expect(await page.getByLabel('标题').inputValue()).toBe('');
	});
});

describe('uploads: rosters of 20,000 units through the import page', () => {
	let compoundId = '';
	let member: Account;

	beforeAll(async () => {
		// A compound and 业委会 member of its own, so the demo compounds other tests walk stay as they are.
		process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
		const { openDatabase } = await import('../../src/lib/server/db/client.ts');
		const { insertNode } = await import('../../src/lib/server/communities/tree.ts');
		const database = openDatabase(inject('databaseUrl'));
		try {
			compoundId = await database.write(async (tx) => {
				const committee = await insertNode(tx, { kind: 'committee', name: '上传测试居委', parentId: null });
				return insertNode(tx, { kind: 'compound', name: '上传测试小区', parentId: committee });
			});
			member = await newAccount('上传测试业委会', { grants: [{ role: 'owners_committee', scopeId: compoundId }] });
		} finally {
			database.close();
		}
	});

	it('a file over 8 MB (the server’s roster limit) is refused beside the field before it is sent', async () => {
		const context = await signInContext(await phone(browser), member);
		contexts.push(context);
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/manage/compounds/${compoundId}/import`, { waitUntil: 'networkidle' });
		expect(await page.getByText('文件不超过 8 MB').count()).toBe(1);
		const posts: string[] = [];
		page.on('request', (request) => {
			if (request.method() === 'POST') posts.push(request.url());
		});
		await page.setInputFiles('input[type=file]', {
			name: '全部照片和清册.csv',
			mimeType: 'text/csv',
			buffer: Buffer.alloc(9 * MB, 0x41)
		});
		await expect.poll(() => page.locator('#file-err').textContent()).toContain('9.0 MB，超过 8 MB');
		await page.getByRole('button', { name: '预览' }).click();
		await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('file');
		expect(await page.locator('#file-err').count()).toBe(1);
		expect(posts).toEqual([]);
		await snap(page, 'uploads-roster-too-large');
	});

	it('a 业委会 member previews and confirms a GB18030 CSV, then an XLSX with a title row, of 20,000 units each', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'yishi-large-roster-'));
		const csvPath = join(dir, '上传测试小区房屋清册.csv');
		const xlsxPath = join(dir, '上传测试小区房屋清册（复核）.xlsx');
		writeFileSync(csvPath, largeRosterCsv());
		writeFileSync(xlsxPath, largeRosterXlsx('上传测试小区房屋清册（2026年复核）', { areaChange: 100 }));

		for (const [step, path, elder] of [
			[1, csvPath, false],
			[2, xlsxPath, true]
		] as const) {
			const context = await signInContext(await phone(browser, { elder }), member);
			contexts.push(context);
			const page = await context.newPage();
			await page.goto(`${baseUrl()}/manage/compounds/${compoundId}/import`, { waitUntil: 'networkidle' });
			await page.setInputFiles('input[type=file]', path);
			await page.getByRole('button', { name: '预览' }).click();
			const preview = page.locator('section[aria-live]');
			await expect.poll(() => preview.textContent(), { timeout: 90_000 }).toContain('共读到 20000 行，其中 20000 户没有问题');
			if (step === 2) expect(await preview.textContent()).toContain('变更 20 户');
			await snap(page, `uploads-roster-preview-${step}${elder ? '-elder' : ''}`);
			await page.getByRole('button', { name: /确认导入/ }).click();
			await page.waitForURL(new RegExp(`imported=${step}`), { timeout: 90_000 });
			expect(await page.locator('.versions').textContent()).toContain(`第 ${step} 版`);
		}
	});
});
