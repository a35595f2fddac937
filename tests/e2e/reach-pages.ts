/**
 * The main pages of Yishi with the demo's ids, each with the demo login who would open it ('' =
 * anonymous). Shared by the page walk (reach-pages.test.ts) and the review screenshots
 * (tests/screens/). Ids are read from the database the server runs on; the demo is seeded first,
 * so the earliest rows are the demo's.
 */
import { and, asc, eq, isNotNull, like } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import type { Database } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { DEMO_RENEWAL_TITLE } from '../../src/lib/server/voting/demo.ts';

export type MainPage = { path: string; login: string };

export async function mainPages(database: Database): Promise<MainPage[]> {
	const db = database.db;
	const session = 'gate-case';
	const [item] = await db
		.select({ id: schema.agendaItems.id })
		.from(schema.agendaItems)
		.where(eq(schema.agendaItems.sessionId, session))
		.limit(1);
	const [meeting] = await db
		.select({ id: schema.meetings.id })
		.from(schema.meetings)
		.where(eq(schema.meetings.sessionId, session))
		.limit(1);
	// A demo concern touching 虹桥, which hongqiao_owner may read (other test files add concerns of their own).
	const [concern] = await db
		.select({ id: schema.concerns.id })
		.from(schema.concerns)
		.where(and(eq(schema.concerns.isDemo, true), like(schema.concerns.compoundIds, '%"hongqiao"%')))
		.orderBy(asc(schema.concerns.raisedAt))
		.limit(1);
	const [set] = await db
		.select({ id: schema.draftSets.id })
		.from(schema.draftSets)
		.where(eq(schema.draftSets.sessionId, session))
		.orderBy(asc(schema.draftSets.createdAt))
		.limit(1);
	const [alt] = await db
		.select({ id: schema.draftAlternatives.id })
		.from(schema.draftAlternatives)
		.where(eq(schema.draftAlternatives.setId, set.id))
		.limit(1);
	const [record] = await db
		.select({ id: schema.outcomeRecords.id })
		.from(schema.outcomeRecords)
		.orderBy(asc(schema.outcomeRecords.seq))
		.limit(1);
	const [open] = await db
		.select({ id: schema.ballots.id })
		.from(schema.ballots)
		.where(eq(schema.ballots.title, DEMO_RENEWAL_TITLE))
		.limit(1);
	const [closed] = await db
		.select({ id: schema.ballots.id })
		.from(schema.ballots)
		.where(isNotNull(schema.ballots.closedAt))
		.orderBy(asc(schema.ballots.createdAt))
		.limit(1);
	const anonymous = [
		'/',
		'/login',
		'/register',
		'/records',
		`/records/${record.id}`,
		`/records/${record.id}/notice`,
		`/ballots/${closed.id}`,
		'/settings/elder'
	];
	const owner = [
		'/claim',
		'/account',
		'/vote',
		`/vote/${open.id}`,
		'/concerns',
		'/concerns/new',
		`/concerns/${concern.id}`,
		'/sessions',
		`/sessions/${session}`,
		`/sessions/${session}/items/${item.id}`,
		`/sessions/${session}/ground`,
		`/sessions/${session}/polls`,
		`/sessions/${session}/notice`,
		`/sessions/${session}/meetings/${meeting.id}`,
		'/drafts',
		`/drafts/${set.id}`,
		`/drafts/${set.id}/${alt.id}`,
		`/drafts/${set.id}/${alt.id}/versions`,
		'/inbox',
		'/inbox/digest'
	];
	const committee = [
		'/manage',
		'/manage/ballots',
		'/manage/ballots/new',
		`/manage/ballots/${open.id}`,
		'/manage/compounds/hongqiao',
		'/manage/compounds/hongqiao/import',
		'/manage/compounds/hongqiao/letters',
		'/manage/records'
	];
	const facilitator = ['/sessions/new', `/sessions/${session}/moderation`, `/sessions/${session}/meeting`];
	return [
		...anonymous.map((path) => ({ path, login: '' })),
		...owner.map((path) => ({ path, login: 'hongqiao_owner' })),
		...committee.map((path) => ({ path, login: 'hongqiao_ywh' })),
		...facilitator.map((path) => ({ path, login: 'facilitator' })),
		{ path: '/concerns/triage', login: 'juwei' },
		{ path: '/manage/records/dashboard', login: 'juwei' },
		{ path: `/manage/records/${record.id}`, login: 'juwei' },
		{ path: '/admin', login: 'admin' },
		{ path: '/admin/grants', login: 'admin' }
	];
}

/**
 * Walks the pages as the people who open them: one page per login (`openAs` makes it, signed in unless
 * the login is ''; its context is closed after), each path loaded until the network is idle, then
 * `check` on it. Returns what went wrong as "path (login): finding", an HTTP error being one.
 */
export async function walkPages(
	base: string,
	pages: MainPage[],
	openAs: (login: string) => Promise<Page>,
	check: (page: Page) => Promise<string[]>
): Promise<string[]> {
	const problems: string[] = [];
	for (const login of [...new Set(pages.map((p) => p.login))]) {
		const page = await openAs(login);
		for (const { path } of pages.filter((p) => p.login === login)) {
			const response = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
			const where = `${path} (${login || 'anonymous'})`;
			if (!response || response.status() >= 400) {
				problems.push(`${where}: HTTP ${response?.status()}`);
				continue;
			}
			for (const finding of await check(page)) problems.push(`${where}: ${finding}`);
		}
		await page.context().close();
	}
	return problems;
}
