/**
 * The access matrix's own world, made through the seed.ts factories and the real services in this
 * process on the e2e server's database file (and its test clock): a street, 片区, 爱建 / 虹桥 / 仙霞
 * and one account per demo role (seed.ts `newCast`), and on them the sessions, concerns, draft sets,
 * ballots and a published record the rows act on. Nothing here reads or writes a demo object, so
 * the matrix neither changes what the other browser files walk through nor depends on what they did.
 *
 * Titles start with 访问矩阵.
 */
import { newAccount, newBallot, newCast, newDeliberation, newPublishedRecord, database, type Account, type CastRole } from '../seed.ts';

const DAY = 24 * 3600_000;

const { loadActor } = await import('../../../src/lib/server/access.ts');
const { clock } = await import('../../../src/lib/server/util/clock.ts');
const schema = await import('../../../src/lib/server/db/schema/index.ts');
const agenda = await import('../../../src/lib/server/agenda/index.ts');
const concerns = await import('../../../src/lib/server/concerns/index.ts');
const deliberation = await import('../../../src/lib/server/deliberation/index.ts');
const drafting = await import('../../../src/lib/server/drafting/index.ts');
const voting = await import('../../../src/lib/server/voting/index.ts');
const { issueCodes } = await import('../../../src/lib/server/communities/verification.ts');
const { newId } = await import('../../../src/lib/server/util/ids.ts');
const adminTree = await import('../../../src/lib/server/admin/tree.ts');
const adminGrants = await import('../../../src/lib/server/admin/grants.ts');
const { and, asc, eq, inArray, notInArray } = await import('drizzle-orm');

export type Database = typeof database;

/** The password of every matrix account (the /login row types it). */
export const MATRIX_PASSWORD = '访问矩阵 correct horse 2026';

export interface Ids {
	/** The matrix's account for each role. */
	people: Record<CastRole, Account>;
	/** Its compounds and tree nodes (爱建 and 虹桥 under two 居委 of one 片区; 仙霞 under 虹桥's 居委). */
	aijian: string;
	hongqiao: string;
	xianxia: string;
	aijianCommittee: string;
	cluster: string;
	/** The session of the "gate case" (its facilitator is the matrix's): the draft sets belong to it. */
	gateSession: string;
	agendaSession: string;
	agendaItem: string;
	department: string;
	/** 协商 phase, published; a post, a hidden post, a statement, a poll, a meeting with a current item. */
	delibSession: string;
	delibItem: string;
	post: string;
	hiddenPost: string;
	statement: string;
	poll: string;
	meeting: string;
	/** A collecting concern of 爱建. */
	concern: string;
	/** A one-compound concern of 爱建 that its 居委 escalated to the 片区 (the matrix's 片区 owns it). */
	escalatedConcern: string;
	/** Draft sets of the gate case (`gateSession`): one to edit, one to freeze. */
	draftSet: string;
	draftAlt: string;
	/** The alternative the WebSocket matrix edits (nobody else touches it). */
	collabAlt: string;
	draftComment: string;
	draftVersion: string;
	freezeSet: string;
	/** Ballots of 爱建 + 虹桥: not yet announced; open for voting; closed and counted. */
	draftBallot: string;
	openBallot: string;
	closedBallot: string;
	/** Electorate units of 虹桥 in the open ballot, as "<虹桥 id>|<building>" + room. */
	paperUnit: { building: string; room: string };
	proxyUnit: { building: string; room: string };
	/** An open paper entry of hongqiao_ywh (only they may withdraw it). */
	paperEntry: string;
	/** A 委托书 naming the 仙霞 owner (no home in 爱建 or 虹桥) as proxy, instructed A = yes. */
	proxy: string;
	/** A 虹桥 decision as the demo's lift (published, objected to and answered, final, followed through). */
	liftPrelim: string;
	liftFinal: string;
	liftObjection: string;
	liftTask: string;
	/** A verification code that was reissued, so claiming it is refused without counting as a guess. */
	revokedCode: string;
	/** Its 仙霞 unit (the 居委 worker of 虹桥's 居委 and the admin may void its letters). */
	codeUnit: string;
	/** A throwaway 小区 under 爱建's 居委 (juwei's), a 楼栋 in it, and a 业委会 grant there of a throwaway account. */
	adminCompound: string;
	adminBuilding: string;
	/** A throwaway 片区 under the matrix's 街道 (only the admin adds 居委 to it). */
	adminCluster: string;
	adminGrant: string;
}

export async function buildFixture(): Promise<Ids> {
	const cast = await newCast('访问矩阵', { password: MATRIX_PASSWORD });
	const { people, aijian, hongqiao, xianxia } = cast;
	const actor = (role: CastRole) => loadActor(database, people[role].id);
	const juwei = await actor('juwei');
	const gate = { compoundIds: [aijian.id, hongqiao.id] };
	const facilitatorLogin = people.facilitator.login;

	// 议题确定: an unpublished agenda.
	const { sessionId: agendaSession } = await agenda.createSession(database, juwei, {
		title: '访问矩阵·议程阶段',
		kind: 'coordination',
		...gate,
		facilitatorLogin
	});
	await agenda.addConvenor(database, juwei, agendaSession, aijian.id);
	await agenda.addConvenor(database, juwei, agendaSession, hongqiao.id);
	const { itemId: agendaItem } = await agenda.addAgendaItem(database, juwei, agendaSession, {
		title: '访问矩阵议题',
		question: '是否同意访问矩阵测试？',
		rule: 'ordinary'
	});
	const { departmentId: department } = await agenda.inviteDepartment(database, juwei, agendaSession, '访问矩阵测试部门');

	// 协商: a published agenda under way.
	const { sessionId: delibSession, itemId: delibItem } = await newDeliberation(people.juwei, {
		title: '访问矩阵·协商阶段',
		...gate,
		convenorId: aijian.committeeId,
		facilitatorLogin,
		item: { title: '访问矩阵讨论议题', question: '是否同意访问矩阵讨论？' }
	});
	const { postId: post } = await deliberation.postArgument(database, await actor('aijian_owner'), delibItem, {
		stance: 'pro',
		body: '访问矩阵：支持。'
	});
	const { postId: hiddenPost } = await deliberation.postArgument(database, await actor('hongqiao_owner'), delibItem, {
		stance: 'con',
		body: '访问矩阵：反对。'
	});
	await deliberation.hidePost(database, await actor('admin'), hiddenPost, '访问矩阵测试隐藏');
	const { statementId: statement } = await deliberation.addStatement(database, await actor('aijian_owner'), delibSession, '访问矩阵表述');
	const { pollId: poll } = await deliberation.createAdvisoryPoll(database, juwei, delibSession, {
		question: '访问矩阵征询？',
		options: ['甲', '乙']
	});
	const { meetingId: meeting } = await deliberation.scheduleMeeting(database, juwei, delibSession, {
		title: '访问矩阵会议',
		place: '居委会议室',
		startsAt: clock.now() + DAY
	});
	await deliberation.setCurrentItem(database, juwei, meeting, delibItem);

	const raise = async (title: string, body: string) =>
		concerns.raiseConcern(database, await actor('aijian_owner'), {
			title,
			body,
			category: 'other',
			location: '',
			compoundId: aijian.id,
			alsoAffects: [],
			photos: []
		});
	const { concernId: concern } = await raise('访问矩阵测试议题', '访问矩阵测试用的议题。');
	const { concernId: escalatedConcern } = await raise('访问矩阵上报的议题', '访问矩阵测试用的上报议题。');
	await database.write((tx) =>
		tx.update(schema.concerns).set({ status: 'queued', queuedAt: clock.now() }).where(eq(schema.concerns.id, escalatedConcern))
	);
	await concerns.escalateConcern(database, juwei, escalatedConcern, '访问矩阵：上报片区');

	// 起草 for the matrix's gate case: a session of both compounds with the matrix's facilitator.
	const { sessionId: gateSession } = await agenda.createSession(database, juwei, {
		title: '访问矩阵·边门协商会',
		kind: 'coordination',
		...gate,
		facilitatorLogin
	});
	const draft = await drafting.createDraft(database, juwei, {
		title: '访问矩阵方案',
		...gate,
		sessionId: gateSession,
		alternatives: [{ title: '矩阵甲' }, { title: '矩阵乙' }]
	});
	const freeze = await drafting.createDraft(database, juwei, {
		title: '访问矩阵定稿',
		...gate,
		sessionId: gateSession,
		alternatives: [{ title: '矩阵丙' }]
	});
	const draftAlt = draft.alternatives[0].id;
	const { id: draftVersion } = await drafting.saveVersion(database, juwei, draftAlt, '访问矩阵初稿');
	const draftComment = newId();
	await database.write((tx) =>
		tx.insert(schema.draftComments).values({
			id: draftComment,
			alternativeId: draftAlt,
			parentId: null,
			authorId: people.juwei.id,
			body: '访问矩阵批注',
			anchorStart: null,
			anchorEnd: null,
			quote: '',
			createdAt: clock.now()
		})
	);

	// Ballots, made "earlier" on this process's clock so the open one is inside its window now.
	const realNow = clock.now;
	const base = realNow();
	const at = async <T>(t: number, fn: () => Promise<T>): Promise<T> => {
		clock.now = () => t;
		try {
			return await fn();
		} finally {
			clock.now = realNow;
		}
	};
	const ballot = (title: string, createdAt: number, windowDays: number) =>
		at(createdAt, () => newBallot(juwei, gate.compoundIds, title, { title: '同意' }, createdAt, windowDays));
	const { ballotId: draftBallot } = await ballot('访问矩阵表决（草稿）', base, 10);
	const open = await ballot('访问矩阵表决（投票中）', base - 20 * DAY, 20);
	await at(base - 20 * DAY, () => voting.publishNotice(database, juwei, { ballotId: open.ballotId }));
	await at(open.opensAt + 3600_000, () => voting.openBallot(database, juwei, { ballotId: open.ballotId }));
	const closed = await ballot('访问矩阵表决（已结束）', base - 40 * DAY, 10);
	await at(base - 40 * DAY, () => voting.publishNotice(database, juwei, { ballotId: closed.ballotId }));
	await at(closed.opensAt + 3600_000, () => voting.openBallot(database, juwei, { ballotId: closed.ballotId }));
	await at(closed.closesAt + 3600_000, () => voting.closeBallot(database, juwei, { ballotId: closed.ballotId }));

	// Four 虹桥 units of the open ballot that no matrix account lives in.
	const homes = (
		await database.db
			.select({ unitId: schema.memberships.unitId })
			.from(schema.memberships)
			.where(inArray(schema.memberships.unitId, hongqiao.units))
	).map((m) => m.unitId);
	const free = await database.db
		.select()
		.from(schema.electorateUnits)
		.where(
			and(
				eq(schema.electorateUnits.ballotId, open.ballotId),
				eq(schema.electorateUnits.compoundId, hongqiao.id),
				eq(schema.electorateUnits.status, 'owned'),
				notInArray(schema.electorateUnits.unitId, homes)
			)
		)
		.orderBy(asc(schema.electorateUnits.buildingName), asc(schema.electorateUnits.room))
		.limit(4);
	const unit = (i: number) => ({ building: `${hongqiao.id}|${free[i].buildingName}`, room: free[i].room });
	const ywh = await actor('hongqiao_ywh');
	const entry = await voting.enterPaperBallot(database, ywh, { ballotId: open.ballotId, unitId: free[2].unitId, choices: { A: 'yes' } });
	const { proxyId: proxy } = await voting.recordProxy(database, ywh, {
		ballotId: open.ballotId,
		unitIds: [free[3].unitId],
		principalName: '访问矩阵委托人',
		// A 受托人 from another compound (仙霞): the ballot's page and form are theirs through ballot.view.
		proxyUserId: people.xianxia_owner.id,
		instructions: { A: 'yes' }
	});

	// 虹桥's lift decision, published, objected to by its owner, final and followed through.
	const lift = await newPublishedRecord(
		hongqiao,
		{ ywh: people.hongqiao_ywh, publisher: people.juwei, objector: people.hongqiao_owner },
		'访问矩阵·虹桥小区3号楼加装电梯表决'
	);

	// A code issued twice for a 仙霞 unit nobody holds: the first one is revoked.
	const codeUnit = xianxia.units[xianxia.units.length - 1];
	const admin = await actor('admin');
	const [first] = await issueCodes(database, admin, xianxia.id, [codeUnit]);
	await issueCodes(database, admin, xianxia.id, [codeUnit]);

	return {
		people,
		aijian: aijian.id,
		hongqiao: hongqiao.id,
		xianxia: xianxia.id,
		aijianCommittee: aijian.committeeId,
		cluster: cast.clusterId,
		gateSession,
		agendaSession,
		agendaItem,
		department,
		delibSession,
		delibItem,
		post,
		hiddenPost,
		statement,
		poll,
		meeting,
		concern,
		escalatedConcern,
		draftSet: draft.set.id,
		draftAlt,
		collabAlt: draft.alternatives[1].id,
		draftComment,
		draftVersion,
		freezeSet: freeze.set.id,
		draftBallot,
		openBallot: open.ballotId,
		closedBallot: closed.ballotId,
		paperUnit: unit(0),
		proxyUnit: unit(1),
		paperEntry: entry.entryId!,
		proxy,
		liftPrelim: lift.prelimId,
		liftFinal: lift.finalId,
		liftObjection: lift.objectionId,
		liftTask: lift.taskId,
		revokedCode: first.code,
		codeUnit,
		...(await adminObjects(admin, aijian.committeeId, cast.streetId))
	};
}

async function adminObjects(admin: Awaited<ReturnType<typeof loadActor>>, committeeId: string, streetId: string) {
	const { id: adminCompound } = await adminTree.addNode(database, admin, {
		kind: 'compound',
		parentId: committeeId,
		name: '访问矩阵小区'
	});
	const { id: adminBuilding } = await adminTree.addNode(database, admin, {
		kind: 'building',
		parentId: adminCompound,
		name: '访问矩阵楼'
	});
	const member = await newAccount('矩阵业委会');
	const { grantId: adminGrant } = await adminGrants.grantRole(database, admin, {
		login: member.login,
		role: 'owners_committee',
		scopeId: adminCompound,
		from: '2026-01-01',
		to: '2030-12-31'
	});
	const { id: adminCluster } = await adminTree.addNode(database, admin, {
		kind: 'cluster',
		parentId: streetId,
		name: '访问矩阵另一片区'
	});
	return { adminCompound, adminBuilding, adminGrant, adminCluster };
}

/** Row counts of every table, to show a refused request wrote nothing. */
export async function rowCounts(): Promise<Record<string, number>> {
	const tables = await database.client.execute(
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND ` +
			`name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name`
	);
	const names = tables.rows.map((r) => String(r.name));
	const result = await database.client.execute(`SELECT ${names.map((n) => `(SELECT count(*) FROM "${n}") AS "${n}"`).join(', ')}`);
	return Object.fromEntries(names.map((n) => [n, Number(result.rows[0][n])]));
}
