/**
 * 演示数据: a vote in progress, so a demo owner can try voting — 虹桥小区 renews its property
 * management contract (民法典 art. 278 ¶1 item 4, an ordinary matter). Built through the real
 * services; about a third of the owners have voted already, on paper and online. 李四
 * (hongqiao_owner) has not, so the demo login can cast a ballot; 周八 and 吴九 can enter paper.
 *
 * The notice went out "weeks ago": the server clock is moved back while seeding and restored
 * after, which is safe only because seeding runs before the server takes requests.
 */
import { and, eq } from 'drizzle-orm';
import { insertPublishedAgendaItem } from '../agenda/demo.ts';
import { loadActor } from '../access.ts';
import type { Actor } from '../../domain/access/policy.ts';
import type { Database } from '../db/client.ts';
import { ballots, electorateUnits, electorateVoters, users } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import { loadCalendar } from '../scheduler/calendar.ts';
import { lawfulSchedule } from '../../domain/time/ballot-periods.ts';
import { chinaDayNumber } from '../../domain/time/china-date.ts';
import { ruleLastDay } from '../../domain/time/periods.ts';
import { castElectronicBallot, createBallot, enterPaperBallot, openBallot, publishNotice } from './index.ts';

const DAY = 24 * 3600_000;
export const DEMO_RENEWAL_TITLE = '虹桥小区续聘物业服务企业表决（演示）';

/** A demo account's actor by login; null when the demo people are missing. */
export async function demoActor(database: Database, login: string): Promise<Actor | null> {
	const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, login)).limit(1);
	return row ? loadActor(database, row.id) : null;
}

/**
 * A demo vote of 虹桥 (an ordinary matter, one motion A) on a published agenda item of its own (a vote needs
 * one): created, noticed at the seeding clock's time, and opened an hour after `opensAt` (`moveClock` sets the
 * seeding clock). Returns the ballot's id.
 */
export async function openDemoBallot(
	database: Database,
	ywh: Actor,
	vote: { title: string; question: string; motion: string; opensAt: number; closesAt: number; allowChange?: boolean },
	moveClock: (at: number) => void
): Promise<string> {
	const { agendaItemId } = await database.write((tx) =>
		insertPublishedAgendaItem(tx, {
			title: vote.title,
			question: vote.question,
			rule: 'ordinary',
			compoundIds: ['hongqiao'],
			createdBy: ywh.userId,
			isDemo: true
		})
	);
	const { ballotId } = await createBallot(database, ywh, {
		title: vote.title,
		agendaItemId,
		ruleKind: 'ordinary',
		motions: [{ id: 'A', title: vote.motion }],
		compounds: [{ compoundId: 'hongqiao' }],
		allowChange: vote.allowChange,
		noticeDays: 15,
		opensAt: vote.opensAt,
		closesAt: vote.closesAt
	});
	await publishNotice(database, ywh, { ballotId });
	moveClock(vote.opensAt + 3600_000);
	await openBallot(database, ywh, { ballotId });
	return ballotId;
}

/** Seeds the open renewal vote once; returns its id, or null when present or the demo is missing. */
export async function seedVotingDemo(database: Database): Promise<{ ballotId: string } | null> {
	const [ywh, ywh2, owner] = await Promise.all(['hongqiao_ywh', 'hongqiao_ywh2', 'hongqiao_owner'].map((l) => demoActor(database, l)));
	if (!ywh || !ywh2 || !owner) return null;
	const [done] = await database.db.select({ id: ballots.id }).from(ballots).where(eq(ballots.title, DEMO_RENEWAL_TITLE)).limit(1);
	if (done) return null;
	const ownerUnits = new Set(owner.memberships.map((m) => m.unitId));

	const realNow = clock.now;
	const now = realNow();
	// Dates valid under the period rules whatever today is: noticed a month ago, so voting opened
	// one to two weeks ago (later when the notice period ran into a holiday), and it closes at
	// 24:00 of the first working day at least ten days from today.
	const calendar = await loadCalendar(database.db);
	let t = now - 30 * DAY;
	const { opensAt } = lawfulSchedule(calendar, t, 15, 14);
	const closesAt = ruleLastDay(calendar, chinaDayNumber(now) + 10).endsAt;
	clock.now = () => t;
	try {
		const ballotId = await openDemoBallot(
			database,
			ywh,
			{
				title: DEMO_RENEWAL_TITLE,
				question: '是否同意续聘现物业服务企业，合同期三年，物业费标准不变？',
				motion: '续聘现物业服务企业（三年，物业费标准不变）',
				allowChange: true,
				opensAt,
				closesAt
			},
			(at) => (t = at)
		);

		// A deterministic third of the owned units have voted: every third online, every ninth on paper.
		const electorate = await database.db
			.select({ unitId: electorateUnits.unitId, status: electorateUnits.status })
			.from(electorateUnits)
			.where(and(eq(electorateUnits.ballotId, ballotId), eq(electorateUnits.status, 'owned')))
			.orderBy(electorateUnits.buildingName, electorateUnits.room);
		// Units some demo account had verified are voted by that account (voting/voters.ts fixed it as their voter).
		const voterOf = new Map(
			(
				await database.db
					.select({ unitId: electorateVoters.unitId, userId: electorateVoters.userId })
					.from(electorateVoters)
					.where(eq(electorateVoters.ballotId, ballotId))
			).map((v) => [v.unitId, v.userId])
		);
		const choiceOf = (i: number) => (i % 7 === 2 ? 'no' : i % 11 === 4 ? 'abstain' : 'yes');
		const online = electorate.filter((u, i) => i % 3 === 0 && !ownerUnits.has(u.unitId));
		const paper = electorate.filter((u, i) => i % 9 === 1 && !ownerUnits.has(u.unitId));
		t = opensAt + DAY;
		for (let i = 0; i < online.length; i += 50) {
			await Promise.all(
				online.slice(i, i + 50).map((u, j) =>
					castElectronicBallot(
						database,
						{
							userId: voterOf.get(u.unitId) ?? `demo-voter-${u.unitId}`,
							grants: [],
							memberships: [{ unitId: u.unitId, compoundId: 'hongqiao', relation: 'owner' }]
						},
						{ ballotId, choices: { A: choiceOf(i + j) }, unitIds: [u.unitId] }
					)
				)
			);
		}
		t = opensAt + 2 * DAY;
		for (const [i, u] of paper.entries()) {
			await enterPaperBallot(database, ywh, { ballotId, unitId: u.unitId, choices: { A: choiceOf(i) } });
			await enterPaperBallot(database, ywh2, { ballotId, unitId: u.unitId, choices: { A: choiceOf(i) } });
		}
		return { ballotId };
	} finally {
		clock.now = realNow;
	}
}
