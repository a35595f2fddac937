/**
 * The flow bench sends what a browser sends (issue #17): a real Chromium votes on the ballot page while every request
 * it makes to the app is recorded, and the record must equal tests/bench/vote-requests.ts — the sequence the bench
 * sends. The page must still be right with those requests alone (the receipt, the turnout counting the vote, the
 * "already voted" view on the next visit), in elder mode too, and without JavaScript as plain posts.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { baseUrl, browserForThisFile, phone, serverNow, advanceServerClock } from './browser.ts';
import { database, newAccount, newBallot, newCompound, rosterOf, type Account } from './seed.ts';
import { signInContext } from './session.ts';
import { browserVoteRequests, type VoteRequest } from '../bench/vote-requests.ts';

process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const voting = await import('../../src/lib/server/voting/index.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');

const files = browserForThisFile();

/**
 * A compound of six flats, an owner account for each of the first `owners` (with its flat as the pages name it), and an
 * open ballot (motion A) on it.
 */
async function openBallotWithOwners(tag: string, owners: number): Promise<{ ballotId: string; people: (Account & { flat: string })[] }> {
	const compound = await newCompound(`${tag}小区`, rosterOf(6, tag));
	const people: (Account & { flat: string })[] = [];
	for (let i = 0; i < owners; i++) {
		const flat = `${compound.rooms[i].buildingName} ${compound.rooms[i].room}`;
		people.push({ ...(await newAccount(`${tag}业主${i + 1}`, { owns: [compound.units[i]] })), flat });
	}
	const member = await newAccount(`${tag}业委会`, { grants: [{ role: 'owners_committee', scopeId: compound.id }] });
	const ywh = await loadActor(database, member.id);
	const now = serverNow();
	const { ballotId, opensAt } = await newBallot(ywh, [compound.id], `${tag}：是否更换电梯`, { title: '方案A 更换电梯' }, now, 14);
	await voting.publishNotice(database, ywh, { ballotId });
	advanceServerClock(opensAt - now + 3600_000);
	await voting.openBallot(database, ywh, { ballotId });
	return { ballotId, people };
}

/** The requests the page sends to the app (documents and fetches; the cached static files under /_app/ aside). */
function recordAppRequests(page: Page): VoteRequest[] {
	const seen: VoteRequest[] = [];
	const origin = new URL(baseUrl()).origin;
	page.on('request', (r: Request) => {
		const url = new URL(r.url());
		if (url.origin !== origin || url.pathname.startsWith('/_app/')) return;
		if (!['document', 'fetch', 'xhr'].includes(r.resourceType())) return;
		const method = r.method() as VoteRequest['method'];
		const request: VoteRequest = { method, path: url.pathname + url.search, answer: 'page' };
		if (method === 'POST') request.body = r.postData() ?? '';
		seen.push(request);
	});
	return seen;
}

const shape = (requests: VoteRequest[]) => requests.map(({ method, path, body }) => ({ method, path, body }));
const turnoutBar = (page: Page) =>
	page
		.getByRole('img', { name: /参与面积/ })
		.first()
		.getAttribute('aria-label');

async function voteInBrowser(page: Page, ballotId: string, unit: string): Promise<void> {
	await page.goto(`${baseUrl()}/vote/${ballotId}`, { waitUntil: 'networkidle' });
	expect(await turnoutBar(page)).toContain('参与面积 0%');
	await page.locator('fieldset', { hasText: '方案A' }).getByText('反对', { exact: true }).click();
	await page.getByRole('button', { name: '下一步：核对' }).click();
	// The check step, shown by the page itself: the unit this owner votes for and the choice, as the server words them.
	await expect.poll(() => page.getByRole('heading', { name: '请核对您的选择' }).count()).toBe(1);
	expect(await page.locator('.review-line').allTextContents()).toEqual(['方案A 更换电梯：您选择：反对']);
	expect(await page.locator('section.card', { hasText: '请核对您的选择' }).textContent()).toContain(unit);
	// 返回修改 keeps what was chosen; the second check is of the changed choice.
	await page.getByRole('link', { name: '返回修改' }).click();
	await expect.poll(() => page.locator('fieldset', { hasText: '方案A' }).locator('input[value="no"]').isChecked()).toBe(true);
	await page.locator('fieldset', { hasText: '方案A' }).getByText('同意', { exact: true }).click();
	await page.getByRole('button', { name: '下一步：核对' }).click();
	await expect.poll(() => page.locator('.review-line').allTextContents()).toEqual(['方案A 更换电梯：您选择：同意']);
	await page.getByRole('button', { name: '确认投票' }).click();
	await expect.poll(() => page.getByRole('status').first().textContent()).toContain('投票成功');
}

describe('the ballot page sends exactly the requests the flow bench sends', () => {
	for (const elder of [false, true]) {
		it(`check, then cast${elder ? ' (elder mode)' : ''}: the page, then ?/cast alone`, async () => {
			const { ballotId, people } = await openBallotWithOwners(elder ? '请求长者' : '请求核对', 1);
			const context = files.track(await signInContext(await phone(files.browser(), { elder }), people[0]));
			const page = await context.newPage();
			const seen = recordAppRequests(page);
			await voteInBrowser(page, ballotId, people[0].flat);
			// The receipt is the cast's answer, shown once it came: every request has been sent by now.
			expect(shape(seen)).toEqual(shape(browserVoteRequests(ballotId, { A: 'yes' })));
			// What the cast's answer brought: the turnout counts the vote (one flat of six).
			expect(await turnoutBar(page)).not.toContain('参与面积 0%');
			expect(await page.locator('.receipt').first().textContent()).toMatch(/\S/);
			// Coming back: the page shows the vote cast, not the form.
			await page.goto(`${baseUrl()}/vote/${ballotId}`, { waitUntil: 'networkidle' });
			await expect.poll(() => page.locator('#my-vote').textContent()).toContain('您选择：同意');
			expect(await page.getByRole('button', { name: '下一步：核对' }).count()).toBe(0);
		});
	}

	it('without JavaScript the check and the cast still work as plain posts', async () => {
		const { ballotId, people } = await openBallotWithOwners('请求无脚本', 1);
		const plain = files.track(await signInContext(await files.browser().newContext({ javaScriptEnabled: false }), people[0]));
		const noScript = await plain.newPage();
		await noScript.goto(`${baseUrl()}/vote/${ballotId}`);
		await noScript.locator('fieldset', { hasText: '方案A' }).getByText('反对', { exact: true }).click();
		await noScript.getByRole('button', { name: '下一步：核对' }).click();
		await noScript.waitForURL(/\?\/review/);
		await noScript.getByRole('button', { name: '确认投票' }).click();
		await noScript.waitForURL(/\?\/cast/);
		expect(await noScript.getByRole('status').first().textContent()).toContain('投票成功');
		await noScript.goto(`${baseUrl()}/vote/${ballotId}`);
		expect(await noScript.locator('#my-vote').textContent()).toContain('您选择：反对');
	});
});
