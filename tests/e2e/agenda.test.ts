import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch, phone, snap } from './browser.ts';
import { newAccount, newCluster, newCompound, rosterOf, type Account } from './seed.ts';
import { signInContext } from './session.ts';

/**
 * The 爱建/虹桥 story, in the browser: concern → co-signs → triage → escalation → co-convened
 * agenda with both sign-offs → arguments from both compounds → a statement shared by both → a
 * meeting with minutes; with the refusals a resident or organiser would meet on the way.
 */
/** This file's two compounds, under two 居委 of one 片区 of its own, as 爱建 and 虹桥 are in the demo. */
const AIJIAN = '议程爱建小区';
const HONGQIAO = '议程虹桥小区';
type Person = 'aijian_owner' | 'tenant' | 'aijian_ywh' | 'hongqiao_owner' | 'hongqiao_ywh' | 'hongqiao_ywh2' | 'pianqu' | 'facilitator';
let people: Record<Person, Account>;
/** Their ids: the item form names its per-compound fields after them. */
let ids: { aijian: string; hongqiao: string };

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	const { clusterId } = await newCluster('议程');
	const aijian = await newCompound(AIJIAN, rosterOf(8, '议程爱建'), clusterId);
	const hongqiao = await newCompound(HONGQIAO, rosterOf(8, '议程虹桥'), clusterId);
	ids = { aijian: aijian.id, hongqiao: hongqiao.id };
	const ywh = (compoundId: string) => [{ role: 'owners_committee' as const, scopeId: compoundId }];
	people = {
		aijian_owner: await newAccount('爱建张阿姨', { owns: [aijian.units[0]] }),
		tenant: await newAccount('爱建租户小林', { livesIn: [aijian.units[1]] }),
		aijian_ywh: await newAccount('爱建业委会李主任', { grants: ywh(aijian.id), owns: [aijian.units[2]] }),
		hongqiao_owner: await newAccount('虹桥王老师', { owns: [hongqiao.units[0]] }),
		hongqiao_ywh: await newAccount('虹桥业委会赵主任', { grants: ywh(hongqiao.id), owns: [hongqiao.units[1]] }),
		hongqiao_ywh2: await newAccount('虹桥业委会孙委员', { grants: ywh(hongqiao.id), owns: [hongqiao.units[2]] }),
		pianqu: await newAccount('片区协调人周老师', { grants: [{ role: 'cluster_coordinator', scopeId: clusterId }] }),
		facilitator: await newAccount('主持人吴老师')
	};
});
afterAll(async () => {
	await browser?.close();
});

/**
 * Runs `steps` as `who` in a fresh phone-sized browser context, signed in. Its pages are opened
 * with waitUntil 'networkidle': a value typed before hydration can be wiped on a loaded machine.
 */
async function as<T>(who: Person, steps: (page: Page) => Promise<T>, options: { elder?: boolean } = {}): Promise<T> {
	const context = await signInContext(await phone(browser, options), people[who]);
	const page = await context.newPage();
	try {
		return await steps(page);
	} finally {
		await context.close();
	}
}

const TITLE = '重新开放两个小区之间的边门（测试）';
const alertText = (page: Page) => page.getByRole('alert').first().textContent();
const statusText = (page: Page) => page.locator('.notice.ok').first().textContent();

describe('agenda: the 爱建/虹桥 gate story', () => {
	let concernUrl = '';
	let sessionUrl = '';
	let minutesUrl = '';

	it('an 爱建 owner raises a concern touching 虹桥', async () => {
		concernUrl = await as('aijian_owner', async (page) => {
			await page.goto(`${baseUrl()}/concerns/new`, { waitUntil: 'networkidle' });
			await page.getByLabel('标题').fill(TITLE);
			await page.getByLabel('详细说明').fill('边门关了三年，去地铁10号线要多绕十分钟。');
			await page.getByLabel('类别').selectOption({ label: '交通出行' });
			await page.getByLabel(HONGQIAO).check();
			await snap(page, 'agenda-concern-new');
			await page.getByRole('button', { name: '提交议题' }).click();
			await page.waitForURL(/\/concerns\/(?!new)[a-z0-9]+$/);
			expect(await page.locator('h1').textContent()).toBe(TITLE);
			return page.url();
		});
	});

	it('neighbours from both compounds co-sign; co-signing twice is refused with a clear message', async () => {
		await as('tenant', async (page) => {
			const stale = await page.context().newPage();
			await stale.goto(concernUrl);
			await page.goto(concernUrl, { waitUntil: 'networkidle' });
			await page.getByRole('button', { name: '附议' }).click();
			await expect.poll(() => statusText(page)).toContain('已附议');
			// The second tab still shows the button: a second co-sign is refused, in words.
			await stale.getByRole('button', { name: '附议' }).click();
			await expect.poll(() => alertText(stale)).toContain('您已经附议过这个议题了');
			await snap(stale, 'agenda-cosign-twice');
		});
		for (const who of ['hongqiao_owner', 'hongqiao_ywh', 'hongqiao_ywh2'] as const) {
			await as(who, async (page) => {
				await page.goto(concernUrl, { waitUntil: 'networkidle' });
				await page.getByRole('button', { name: '附议' }).click();
				await expect.poll(() => statusText(page)).toContain('已附议');
			});
		}
	});

	it('the 爱建 业委会 finds it in the triage queue and escalates it to the 片区', async () => {
		await as('aijian_ywh', async (page) => {
			await page.goto(`${baseUrl()}/concerns/triage`, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: TITLE }).click();
			expect(await page.locator('.notice.warn').textContent()).toContain('请上报片区');
			await page.getByLabel('上报片区').check();
			await page.getByLabel('理由（提出人会看到）').fill('边门涉及两个小区、两个居委，上报片区协调。');
			await page.getByRole('button', { name: '确认处理' }).click();
			await page.waitForLoadState('networkidle');
			await snap(page, 'agenda-triage-done');
			await expect.poll(() => statusText(page)).toContain('已处理');
		});
	});

	it('the 片区 accepts it, frames a co-convened session, and cannot publish before both sign-offs', async () => {
		sessionUrl = await as('pianqu', async (page) => {
			await page.goto(concernUrl, { waitUntil: 'networkidle' });
			await page.getByLabel('列入议程').check();
			await page.getByLabel('理由（提出人会看到）').fill('片区受理，由两个小区业委会共同召集协商。');
			await page.getByRole('button', { name: '确认处理' }).click();
			await expect.poll(() => statusText(page)).toContain('已处理');

			await page.goto(`${baseUrl()}/sessions/new?concern=${concernUrl.split('/').pop()}`, { waitUntil: 'networkidle' });
			await page.getByLabel('协商会名称').fill('边门协商会（测试）');
			expect(await page.getByLabel(AIJIAN).isChecked()).toBe(true);
			expect(await page.getByLabel(HONGQIAO).isChecked()).toBe(true);
			await page.getByLabel('主持人登录名（可不填）').fill(people.facilitator.login);
			await page.getByRole('button', { name: '创建' }).click();
			await page.waitForURL(/\/sessions\/(?!new)[a-z0-9-]+$/);

			await page.getByLabel('议题名称').fill('边门是否拆除并改造为共享空间');
			await page
				.getByLabel('要决定的问题（原文，表决时照此提问）')
				.fill('是否拆除爱建与虹桥之间的边门，并将空间改造为两个小区共用的社区空间？');
			await page.getByLabel('表决规则').selectOption('major');
			await page.locator(`#i-costs-${ids.aijian}`).fill('分摊改造费用');
			await page.locator(`#i-benefits-${ids.aijian}`).fill('到地铁站近十分钟');
			await page.locator(`#i-costs-${ids.hongqiao}`).fill('人流增加');
			await page.locator(`#i-benefits-${ids.hongqiao}`).fill('共享空间');
			await page.getByRole('button', { name: '添加议题' }).click();
			await expect.poll(() => statusText(page)).toContain('已添加议题');

			// Until the agenda is published the item can still be changed.
			await page.getByText('修改这个议题').click();
			const edit = page.locator('details.edit');
			await edit
				.getByLabel('要决定的问题（原文，表决时照此提问）')
				.fill('是否拆除爱建与虹桥之间的边门，并将空间改造为两个小区共用的社区空间（早6点至晚10点开放）？');
			await edit.getByRole('button', { name: '保存修改' }).click();
			await expect.poll(() => statusText(page)).toContain('已保存修改');
			expect(await page.locator('article.item h3 + p').first().textContent()).toContain('早6点至晚10点开放');

			for (const name of [`${AIJIAN}业委会`, `${HONGQIAO}业委会`]) {
				await page.getByLabel('召集方', { exact: true }).selectOption({ label: name });
				await page.getByRole('button', { name: '添加召集方' }).click();
				await expect.poll(() => page.locator('.convenors').textContent()).toContain(name);
			}

			// A vote on an item whose agenda is not published is refused.
			await page.getByRole('button', { name: '发起表决' }).click();
			await expect.poll(() => alertText(page)).toContain('只能对已公布议程中的议题表决');

			await page.getByRole('button', { name: '公布议程' }).click();
			await expect.poll(() => alertText(page)).toContain(`还有召集方没有签字：${AIJIAN}业委会、${HONGQIAO}业委会`);
			await snap(page, 'agenda-publish-refused');
			return page.url();
		});
	});

	it('each convenor signs, then the agenda is published and debate opens', async () => {
		await as('aijian_ywh', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.getByRole('button', { name: `以${AIJIAN}业委会名义签字` }).click();
			await page.waitForLoadState('networkidle');
			await snap(page, 'agenda-signoff');
			await expect.poll(() => statusText(page)).toContain('已签字');
		});
		await as('hongqiao_ywh', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.getByRole('button', { name: `以${HONGQIAO}业委会名义签字` }).click();
			await expect.poll(() => statusText(page)).toContain('已签字');
		});
		await as('pianqu', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.getByRole('button', { name: '公布议程' }).click();
			await expect.poll(() => statusText(page)).toContain('议程已公布');
			await page.getByRole('button', { name: '进入“协商”阶段' }).click();
			await expect.poll(() => statusText(page)).toContain('已进入下一阶段');
			await page.getByRole('button', { name: '发起表决' }).click();
			await expect.poll(() => statusText(page)).toContain('可以发起表决');
			await snap(page, 'agenda-session');
			await page.getByRole('link', { name: '议程公告' }).click();
			expect(await page.locator('.notice-sheet').textContent()).toContain(`${AIJIAN}业委会`);
			await snap(page, 'agenda-notice');
		});
	});

	it('an advisory poll is asked, answered by a tenant, and closed by the organiser', async () => {
		const pollsUrl = `${sessionUrl}/polls`;
		await as('pianqu', async (page) => {
			await page.goto(pollsUrl, { waitUntil: 'networkidle' });
			await page.getByLabel('问题').fill('边门改造后，您希望几点关门？（测试）');
			await page.getByLabel('选项（每行一个）').fill('晚上十点\n晚上十二点\n不关');
			await page.getByRole('button', { name: '发起' }).click();
			await expect.poll(() => statusText(page)).toContain('已发起征询');
		});
		await as('tenant', async (page) => {
			await page.goto(pollsUrl, { waitUntil: 'networkidle' });
			await page.getByLabel('晚上十点').check();
			await page.getByRole('button', { name: '提交' }).click();
			await expect.poll(() => statusText(page)).toContain('已记录您的意见');
		});
		await as('pianqu', async (page) => {
			await page.goto(pollsUrl, { waitUntil: 'networkidle' });
			// Ending asks first, on the page (no browser dialog): what ending means, then 确认结束征询.
			await page.getByRole('link', { name: '结束征询…' }).click();
			expect(await page.locator('.confirm').textContent()).toContain('结束后不能撤销');
			expect(await page.getByText('征询已结束，不再接受回答').count()).toBe(0);
			await page.getByRole('button', { name: '确认结束征询' }).click();
			await expect.poll(() => statusText(page)).toContain('征询已结束');
			expect(await page.locator('h2').first().textContent()).toContain('已结束');
			await snap(page, 'agenda-poll-closed');
		});
		await as('hongqiao_owner', async (page) => {
			await page.goto(pollsUrl, { waitUntil: 'networkidle' });
			expect(await page.getByText('征询已结束，不再接受回答').count()).toBe(1);
			expect(await page.getByRole('button', { name: '提交' }).count()).toBe(0);
		});
	});

	let itemUrl = '';
	it('arguments come from both compounds; a post over the turn limit is refused', async () => {
		itemUrl = await as('aijian_owner', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: /讨论/ }).first().click();
			await page.getByLabel('支持', { exact: true }).check();
			await page.getByLabel('我的意见').fill('走边门去地铁站只要五分钟。');
			await page.getByRole('button', { name: '发表' }).click();
			await expect.poll(() => page.locator('article.post').first().textContent()).toContain(AIJIAN);
			return page.url();
		});
		await as('hongqiao_owner', async (page) => {
			await page.goto(itemUrl, { waitUntil: 'networkidle' });
			for (const body of ['担心电瓶车穿行。', '爱建那边的人就是想占便宜。']) {
				await page.getByLabel('反对', { exact: true }).check();
				await page.getByLabel('我的意见').fill(body);
				await page.getByRole('button', { name: '发表' }).click();
				await expect.poll(() => page.locator('section[aria-label="发言"]').textContent()).toContain(body);
			}
			await page.getByLabel('反对', { exact: true }).check();
			await page.getByLabel('我的意见').fill('第三次发言');
			await page.getByRole('button', { name: '发表' }).click();
			await expect.poll(() => alertText(page)).toContain('每人在每个议题上最多发言 2 次');
			await snap(page, 'agenda-turn-limit');
		});
	});

	it('the facilitator hides a post with a public reason; residents see the reason and the log lists it', async () => {
		await as('facilitator', async (page) => {
			await page.goto(itemUrl, { waitUntil: 'networkidle' });
			const post = page.locator('article.post', { hasText: '想占便宜' });
			await post.getByText('隐藏这条发言').click();
			await post.getByLabel('公开理由').fill('针对对方小区居民的攻击，违反议事规则');
			await post.getByRole('button', { name: '隐藏' }).click();
			await expect.poll(() => page.locator('.notice.ok').first().textContent()).toContain('已隐藏');
		});
		await as('aijian_owner', async (page) => {
			await page.goto(itemUrl, { waitUntil: 'networkidle' });
			const body = await page.locator('section[aria-label="发言"]').textContent();
			expect(body).toContain('理由：针对对方小区居民的攻击，违反议事规则');
			expect(body).not.toContain('想占便宜');
			await page.getByRole('button', { name: '正反方对照' }).click();
			expect(await page.locator('.col.con').textContent()).toContain(HONGQIAO);
			await snap(page, 'agenda-debate-columns');
			await page.goto(`${sessionUrl}/moderation`, { waitUntil: 'networkidle' });
			expect(await page.locator('.log').textContent()).toContain('针对对方小区居民的攻击');
			await snap(page, 'agenda-moderation-log');
		});
	});

	it('a statement agreed by a majority in each compound shows as common ground of both', async () => {
		const text = '无论开不开门，都要保证老人孩子的安全（测试）';
		await as('aijian_owner', async (page) => {
			await page.goto(`${sessionUrl}/ground`, { waitUntil: 'networkidle' });
			await page.getByLabel('表述').fill(text);
			await page.getByRole('button', { name: '提出' }).click();
			await expect.poll(() => page.locator('main').textContent()).toContain(text);
		});
		for (const who of ['aijian_owner', 'tenant', 'aijian_ywh', 'hongqiao_owner', 'hongqiao_ywh', 'hongqiao_ywh2'] as const) {
			await as(who, async (page) => {
				await page.goto(`${sessionUrl}/ground`, { waitUntil: 'networkidle' });
				const card = page.locator('article.statement', { hasText: text });
				await card.getByRole('button', { name: '同意', exact: true }).click();
				await expect.poll(() => card.textContent()).toContain('您的表态：同意');
			});
		}
		await as(
			'tenant',
			async (page) => {
				await page.goto(`${sessionUrl}/ground`, { waitUntil: 'networkidle' });
				const shared = page.locator('section[aria-labelledby="shared"]');
				expect(await shared.textContent()).toContain(text);
				expect(await shared.textContent()).toContain('各小区多数同意');
				await snap(page, 'agenda-common-ground-elder');
			},
			{ elder: true }
		);
	});

	it('a meeting is scheduled, attended and run in meeting mode', async () => {
		await as('pianqu', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.locator('summary', { hasText: '安排会议' }).click();
			await page.getByLabel('会议名称').fill('第一次边门协调会');
			await page.getByLabel('时间', { exact: true }).fill('2026-05-16T14:00');
			await page.getByLabel('地点').fill('虹桥街道社区中心');
			await page.getByRole('button', { name: '安排会议' }).click();
			await expect.poll(() => statusText(page)).toContain('会议已安排');
		});
		await as('facilitator', async (page) => {
			await page.goto(sessionUrl, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: '第一次边门协调会' }).click();
			for (const [name, compound] of [
				['张阿姨', AIJIAN],
				['王老师', HONGQIAO]
			]) {
				await page.getByLabel('姓名', { exact: true }).fill(name);
				await page.getByLabel('小区', { exact: true }).selectOption({ label: compound });
				await page.getByRole('button', { name: '签到' }).click();
				await expect.poll(() => page.locator('.att').textContent()).toContain(name);
			}
			const meetingUrl = page.url();
			await page.getByRole('link', { name: /会议模式/ }).click();
			await page.getByRole('button', { name: '设为当前议题' }).click();
			await expect.poll(() => page.locator('h1.current').textContent()).toContain('边门是否拆除');
			await page.getByLabel('姓名', { exact: true }).fill('张阿姨');
			await page.getByLabel('立场').selectOption('pro');
			await page.getByRole('button', { name: '排队' }).click();
			await expect.poll(() => page.locator('.queue').textContent()).toContain('张阿姨');
			await page.getByRole('button', { name: '下一位发言' }).click();
			await expect.poll(() => page.locator('.speaker').textContent()).toContain('张阿姨');
			await page.getByLabel('同意', { exact: true }).fill('18');
			await page.getByLabel('反对', { exact: true }).fill('6');
			await page.getByLabel('弃权').fill('2');
			await page.getByRole('button', { name: '记录' }).click();
			await expect.poll(() => page.locator('.hands').textContent()).toContain('18');
			await snap(page, 'agenda-meeting-mode');

			minutesUrl = meetingUrl;
		});
	});

	it('two participants write the minutes together in the editor; the chair approves them with a fingerprint', async () => {
		const editorStatus = (page: Page) => page.getByTestId('draft-status').textContent();
		const body = (page: Page) => page.locator('.ProseMirror');
		/** Types a paragraph at the end of the body and waits until the server has it. */
		const write = async (page: Page, text: string) => {
			await body(page).click();
			await body(page).evaluate((root) => {
				const range = document.createRange();
				range.selectNodeContents(root.lastElementChild ?? root);
				range.collapse(false);
				getSelection()!.removeAllRanges();
				getSelection()!.addRange(range);
			});
			if (((await body(page).innerText()) ?? '').trim() !== '') await page.keyboard.press('Enter');
			await page.keyboard.type(text);
			await expect.poll(() => editorStatus(page), { timeout: 15_000 }).toContain('已保存');
		};
		const chairContext = await phone(browser);
		const residentContext = await phone(browser);
		try {
			await signInContext(chairContext, people.facilitator);
			await signInContext(residentContext, people.aijian_owner);
			const chair = await chairContext.newPage();
			const resident = await residentContext.newPage();
			// Before the chair starts the minutes, a resident is told who opens them.
			await resident.goto(minutesUrl);
			expect(await resident.locator('section[aria-labelledby="min"]').textContent()).toContain('主持人开始起草后');
			await chair.goto(minutesUrl, { waitUntil: 'networkidle' });
			await chair.getByRole('button', { name: '开始起草纪要' }).click();
			await expect.poll(() => editorStatus(chair), { timeout: 15_000 }).toContain('已保存');
			await resident.goto(minutesUrl);
			await expect.poll(() => editorStatus(resident), { timeout: 15_000 }).toContain('已保存');

			await write(chair, '到会 2 人。一、爱建居民陈述开门的需要。');
			await expect.poll(() => body(resident).innerText(), { timeout: 15_000 }).toContain('爱建居民陈述');
			await write(resident, '二、虹桥居民陈述顾虑：人流与安全。');
			await expect.poll(() => body(chair).innerText(), { timeout: 15_000 }).toContain('虹桥居民陈述顾虑');
			await snap(resident, 'agenda-minutes-editor');

			await chair.getByRole('button', { name: '审定纪要' }).click();
			await expect.poll(() => chair.getByTestId('minutes-hash').textContent(), { timeout: 15_000 }).toMatch(/^[0-9a-f]{64}$/);
			const approved = await chair.getByTestId('minutes-text').textContent();
			expect(approved).toBe('到会 2 人。一、爱建居民陈述开门的需要。\n二、虹桥居民陈述顾虑：人流与安全。');
			// The resident's open editor turns read-only at once; after a reload they read the approved text and its fingerprint.
			await expect.poll(() => editorStatus(resident), { timeout: 15_000 }).toContain('已定稿');
			await resident.reload();
			expect(await resident.getByTestId('minutes-hash').textContent()).toBe(await chair.getByTestId('minutes-hash').textContent());
			expect(await resident.locator('.ProseMirror').count()).toBe(0);
			// In the drafts list the minutes stand apart from the proposals and lead back to the meeting.
			await resident.goto(`${baseUrl()}/drafts`);
			await resident.getByRole('link', { name: '第一次边门协调会：纪要' }).click();
			await resident.waitForURL(minutesUrl);
			await snap(chair, 'agenda-minutes');
		} finally {
			await chairContext.close();
			await residentContext.close();
		}
	});

	it('the submitter sees every triage reason on the concern and in the inbox', async () => {
		await as('aijian_owner', async (page) => {
			await page.goto(concernUrl, { waitUntil: 'networkidle' });
			const history = await page.locator('.history').textContent();
			expect(history).toContain('边门涉及两个小区、两个居委，上报片区协调。');
			expect(history).toContain('片区受理，由两个小区业委会共同召集协商。');
			await snap(page, 'agenda-concern-history');
			await page.goto(`${baseUrl()}/inbox`, { waitUntil: 'networkidle' });
			expect(await page.locator('.inbox').textContent()).toContain('上报片区');
			await snap(page, 'agenda-inbox');
			await page.goto(`${baseUrl()}/inbox/digest`, { waitUntil: 'networkidle' });
			await snap(page, 'agenda-digest');
		});
	});
});
