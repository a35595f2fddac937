/**
 * Service-level seeding for the browser walks: the e2e server's database file opened in this
 * process, on the server's test clock (YISHI_TEST_CLOCK_FILE, set before any server module loads),
 * so a file makes its own rows through the app's own services instead of leaning on demo rows that
 * another file may change.
 */
import { afterAll, inject } from 'vitest';
import { advanceServerClock, serverNow } from './browser.ts';

process.env.YISHI_TEST_CLOCK_FILE = inject('clockFile');
const { openDatabase } = await import('../../src/lib/server/db/client.ts');
const voting = await import('../../src/lib/server/voting/index.ts');
const verification = await import('../../src/lib/server/communities/verification.ts');
const { loadActor } = await import('../../src/lib/server/access.ts');
const schema = await import('../../src/lib/server/db/schema/index.ts');
const { publishedAgendaItem } = await import('../helpers/agenda.ts');
const { eq } = await import('drizzle-orm');
const { lawfulSchedule } = await import('../../src/lib/domain/time/ballot-periods.ts');
const { loadCalendar } = await import('../../src/lib/server/scheduler/calendar.ts');

export const DAY = 24 * 3600_000;

/** The server's database; closed after the calling file's tests. */
export const database = openDatabase(inject('databaseUrl'));
afterAll(() => database.close());

/** The demo account `login` as the services see it. */
export async function actorOf(login: string) {
	const [user] = await database.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.login, login));
	return loadActor(database, user.id);
}

/**
 * A vote of its own in 虹桥 for the calling file, opened (the server clock moves past its notice
 * period), with a letter code for one owned unit that no account has claimed: `pick` chooses it from
 * those, so two files never take the same one.
 */
export async function openHongqiaoVote(
	title: string,
	motion: { title: string; text?: string },
	pick: <T>(unclaimed: T[]) => T
): Promise<{ ballotId: string; unit: typeof schema.electorateUnits.$inferSelect; code: string }> {
	const ywh = await actorOf('hongqiao_ywh');
	const agendaItemId = await publishedAgendaItem(database, ['hongqiao'], 'ordinary', title);
	const now = serverNow();
	// Lawful dates whatever day the server's clock has reached (other files move it, into 2027 too):
	// the close moves off rest days as arts. 201/203 require.
	const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), now, 15, 14);
	const { ballotId } = await voting.createBallot(database, ywh, {
		title,
		ruleKind: 'ordinary',
		agendaItemId,
		motions: [{ id: 'A', ...motion }],
		compounds: [{ compoundId: 'hongqiao' }],
		opensAt,
		closesAt
	});
	await voting.publishNotice(database, ywh, { ballotId });
	advanceServerClock(opensAt - now + 3600_000);
	await voting.openBallot(database, ywh, { ballotId });
	const electorate = await database.db.select().from(schema.electorateUnits).where(eq(schema.electorateUnits.ballotId, ballotId));
	const memberships = await database.db.select({ unitId: schema.memberships.unitId }).from(schema.memberships);
	const claimed = new Set(memberships.map((m) => m.unitId));
	const unit = pick(electorate.filter((u) => u.status === 'owned' && !claimed.has(u.unitId)));
	const [issued] = await verification.issueCodes(database, ywh, 'hongqiao', [unit.unitId]);
	return { ballotId, unit, code: issued.code };
}
