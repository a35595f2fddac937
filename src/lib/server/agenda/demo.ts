/**
 * Demo content for the 爱建/虹桥 gate case (invented, labelled 演示数据): the concern with its
 * co-signs and triage, the session 'gate-case' (the demo facilitator's grant is scoped to that id)
 * co-convened by both 业委会 and published, arguments from both sides, common-ground statements,
 * an advisory poll, a meeting with approved minutes, and a few fresh concerns being co-signed.
 *
 * Called by the demo seed inside its write transaction, after the tree, rosters and accounts:
 *   await seedAgendaDemo(tx, Object.fromEntries(accounts.map((a) => [a.login, a.userId])));
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import {
	advisoryAnswers,
	advisoryPolls,
	agendaItemImpacts,
	agendaItems,
	agendaSignOffs,
	concernCosigns,
	concernTriage,
	concerns,
	delibSessions,
	debatePosts,
	groundStatements,
	groundVotes,
	meetingAttendance,
	meetings,
	memberships,
	minutesApprovals,
	minutesVersions,
	orgNodes,
	sessionConvenors,
	sessionDepartments,
	sessionPhaseLog,
	sessionTimetable,
	units
} from '../db/schema/index.ts';
import { DEFAULT_LIMITS } from '../../domain/deliberation/debate.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { householdsOf } from '../concerns/index.ts';
import { chinaDateString } from '../../domain/time/china-date.ts';

export const GATE_SESSION_ID = 'gate-case';
export const GATE_ITEM_ID = 'gate-case-item-1';
const DAY = 86_400_000;
/** The demo threshold: 3 households (small enough to try out by hand). */
const DEMO_THRESHOLD = { kind: 'count', count: 3 } as const;

/** `ids`: demo login → user id, as the seed creates them. */
export async function seedAgendaDemo(tx: Tx, ids: Record<string, string>): Promise<void> {
	const now = clock.now();
	const user = (login: string) => {
		const id = ids[login];
		if (!id) throw new Error(`seedAgendaDemo: no demo account ${login}`);
		return id;
	};
	const homeOf = async (login: string) => {
		const [m] = await tx
			.select({ unitId: memberships.unitId, compoundId: units.compoundId })
			.from(memberships)
			.innerJoin(units, eq(units.id, memberships.unitId))
			.where(eq(memberships.userId, user(login)))
			.limit(1);
		return m ?? { unitId: null, compoundId: null };
	};
	for (const compoundId of ['aijian', 'hongqiao', 'xianxia']) {
		const [node] = await tx.select({ settings: orgNodes.settings }).from(orgNodes).where(eq(orgNodes.id, compoundId));
		if (!node) continue;
		const settings = { ...(JSON.parse(node.settings) as object), concernThreshold: DEMO_THRESHOLD };
		await tx
			.update(orgNodes)
			.set({ settings: JSON.stringify(settings) })
			.where(eq(orgNodes.id, compoundId));
	}

	// 1. The concern: raised in 爱建, touching 虹桥, co-signed on both sides, escalated, accepted.
	const gateConcern = newId();
	const t0 = now - 60 * DAY;
	await tx.insert(concerns).values({
		id: gateConcern,
		title: '重新开放爱建与虹桥之间的边门',
		body: '两个小区之间的边门疫情期间锁上后一直没开。爱建这边去地铁10号线和菜场要多绕十多分钟，老人买菜很不方便。希望两个小区一起商量能不能重新开放。',
		category: 'traffic',
		location: '爱建小区东侧、虹桥小区西侧的边门',
		homeCompoundId: 'aijian',
		compoundIds: JSON.stringify(['aijian', 'hongqiao']),
		threshold: JSON.stringify(DEMO_THRESHOLD),
		households: await householdsOf(tx, ['aijian', 'hongqiao']),
		status: 'accepted',
		raisedBy: user('aijian_owner'),
		raisedAt: t0,
		queuedAt: t0 + 2 * DAY,
		escalatedTo: 'hongqiao-cluster',
		isDemo: true
	});
	for (const [i, login] of ['aijian_owner', 'tenant', 'aijian_ywh', 'hongqiao_owner'].entries()) {
		const home = await homeOf(login);
		await tx
			.insert(concernCosigns)
			.values({ concernId: gateConcern, userId: user(login), unitId: home.unitId, compoundId: home.compoundId, at: t0 + i * DAY });
	}
	await tx.insert(concernTriage).values([
		{
			id: newId(),
			concernId: gateConcern,
			outcome: 'escalate',
			reason: '边门涉及爱建、虹桥两个小区和两个居委，按“大事不出片区”上报片区协调。',
			level: 'local',
			escalatedTo: 'hongqiao-cluster',
			actorId: user('aijian_ywh'),
			at: t0 + 3 * DAY
		},
		{
			id: newId(),
			concernId: gateConcern,
			outcome: 'accept',
			reason: '片区受理，邀请高校团队主持，两个小区业委会共同召集协商会。',
			level: 'cluster',
			actorId: user('pianqu'),
			at: t0 + 5 * DAY
		}
	]);

	// 2. The session, co-convened by both 业委会, agenda signed by both and published.
	const t1 = t0 + 6 * DAY;
	await tx.insert(delibSessions).values({
		id: GATE_SESSION_ID,
		title: '爱建、虹桥边门协商会',
		kind: 'coordination',
		compoundIds: JSON.stringify(['aijian', 'hongqiao']),
		concernId: gateConcern,
		facilitatorId: user('facilitator'),
		phase: 'deliberation',
		agendaRevision: 1,
		agendaPublishedAt: t1 + 10 * DAY,
		agendaPublishedBy: user('pianqu'),
		maxTurns: DEFAULT_LIMITS.maxTurns,
		maxChars: DEFAULT_LIMITS.maxChars,
		speakSeconds: DEFAULT_LIMITS.speakSeconds,
		createdBy: user('pianqu'),
		createdAt: t1,
		isDemo: true
	});
	await tx.insert(sessionPhaseLog).values([
		{ id: newId(), sessionId: GATE_SESSION_ID, phase: 'agenda', actorId: user('pianqu'), at: t1 },
		{ id: newId(), sessionId: GATE_SESSION_ID, phase: 'deliberation', actorId: user('pianqu'), at: t1 + 11 * DAY }
	]);
	await tx.insert(sessionConvenors).values([
		{ sessionId: GATE_SESSION_ID, nodeId: 'aijian', position: 1 },
		{ sessionId: GATE_SESSION_ID, nodeId: 'hongqiao', position: 2 }
	]);
	await tx.insert(agendaSignOffs).values([
		{ id: newId(), sessionId: GATE_SESSION_ID, convenorNodeId: 'aijian', revision: 1, userId: user('aijian_ywh'), at: t1 + 8 * DAY },
		{ id: newId(), sessionId: GATE_SESSION_ID, convenorNodeId: 'hongqiao', revision: 1, userId: user('hongqiao_ywh'), at: t1 + 9 * DAY }
	]);
	const date = chinaDateString;
	const plan: [string, number, number][] = [
		['agenda', -54, -44],
		['deliberation', -43, 10],
		['drafting', 11, 30],
		['voting', 46, 60],
		['publicity', 61, 68],
		['implementation', 69, 160]
	];
	await tx
		.insert(sessionTimetable)
		.values(
			plan.map(([phase, a, b]) => ({ sessionId: GATE_SESSION_ID, phase, startsOn: date(now + a * DAY), endsOn: date(now + b * DAY) }))
		);
	await tx.insert(sessionDepartments).values([
		{
			id: newId(),
			sessionId: GATE_SESSION_ID,
			name: '长宁公安分局交警支队',
			invitedBy: user('pianqu'),
			invitedAt: t1 + DAY,
			response: '边门开放后建议只允许行人和自行车通行，电动车须下车推行；高峰时段在门口设置提示牌。',
			respondedAt: t1 + 7 * DAY,
			recordedBy: user('pianqu')
		},
		{
			id: newId(),
			sessionId: GATE_SESSION_ID,
			name: '区房管局',
			invitedBy: user('pianqu'),
			invitedAt: t1 + DAY,
			response: '拆除边门、改变共有部分用途属于业主共同决定的重大事项，须两个小区分别按民法典第278条表决通过。',
			respondedAt: t1 + 8 * DAY,
			recordedBy: user('pianqu')
		}
	]);
	await tx.insert(agendaItems).values({
		id: GATE_ITEM_ID,
		sessionId: GATE_SESSION_ID,
		position: 1,
		title: '边门是否重新开放并改造为共享空间',
		question: '是否拆除爱建小区与虹桥小区之间的边门，并将门两侧约120平方米的空间改造为两个小区共用的社区空间？',
		rule: 'major',
		background:
			'边门开设约30年，2020年疫情期间关闭。爱建居民经边门到地铁10号线、菜场可节省10分钟以上；虹桥居民担心车辆穿行、安全和噪音。高校团队已做两轮入户访谈。',
		concernId: gateConcern,
		createdAt: t1 + 2 * DAY
	});
	await tx.insert(agendaItemImpacts).values([
		{
			itemId: GATE_ITEM_ID,
			compoundId: 'aijian',
			costs: '分摊改造费用约 3 万元（维修资金）；门口人流增加。',
			benefits: '到地铁站、菜场近 10 分钟以上；可使用共享空间。'
		},
		{
			itemId: GATE_ITEM_ID,
			compoundId: 'hongqiao',
			costs: '西侧人流增加；须增加门禁和保安巡查。',
			benefits: '可使用共享空间和爱建的便民点；两个小区共同维护绿化。'
		}
	]);

	// 3. Debate from both compounds.
	const t2 = t1 + 12 * DAY;
	const post = async (login: string, stance: 'pro' | 'con' | 'info' | null, body: string, at: number, parentId: string | null = null) => {
		const id = newId();
		const home = await homeOf(login);
		await tx.insert(debatePosts).values({
			id,
			sessionId: GATE_SESSION_ID,
			itemId: GATE_ITEM_ID,
			parentId,
			authorId: user(login),
			compoundId: home.compoundId,
			roleLabel: home.compoundId ? null : '主持人',
			stance,
			body,
			createdAt: at
		});
		return id;
	};
	const p1 = await post('aijian_owner', 'pro', '我每天早上去地铁站，走边门只要5分钟，现在绕大门要15分钟。老人去菜场也方便很多。', t2);
	await post('hongqiao_owner', 'con', '担心开门后电瓶车从我们小区穿行，晚上也吵。能不能先说清楚怎么管？', t2 + 3600_000);
	await post('hongqiao_ywh', null, '如果有门禁、晚上十点后关门，我觉得可以谈。', t2 + 7200_000, p1);
	await post('tenant', 'info', '我是租户，也常走这条路。建议门口装个顶棚，下雨天方便。', t2 + DAY);
	await post('hongqiao_ywh2', 'con', '虹桥这边的绿化带会被踩坏，改造费用谁出要先讲清楚。', t2 + DAY + 3600_000);

	// 4. Common ground: one statement all six demo residents agree with, one that divides.
	const s1 = newId();
	const s2 = newId();
	const s3 = newId();
	await tx.insert(groundStatements).values([
		{
			id: s1,
			sessionId: GATE_SESSION_ID,
			text: '无论开不开门，都要保证老人和孩子的安全。',
			authorId: user('facilitator'),
			createdAt: t2 + 2 * DAY
		},
		{ id: s2, sessionId: GATE_SESSION_ID, text: '边门应当全天开放。', authorId: user('aijian_owner'), createdAt: t2 + 2 * DAY + 1 },
		{
			id: s3,
			sessionId: GATE_SESSION_ID,
			text: '改造费用由两个小区按户数分摊。',
			authorId: user('hongqiao_ywh'),
			createdAt: t2 + 2 * DAY + 2
		}
	]);
	const aijianSide = ['aijian_owner', 'tenant', 'aijian_ywh'];
	const hongqiaoSide = ['hongqiao_owner', 'hongqiao_ywh', 'hongqiao_ywh2'];
	const vote = async (statementId: string, login: string, choice: 'agree' | 'disagree' | 'pass') => {
		const home = await homeOf(login);
		if (home.compoundId)
			await tx
				.insert(groundVotes)
				.values({ statementId, userId: user(login), compoundId: home.compoundId, choice, at: t2 + 3 * DAY });
	};
	for (const l of [...aijianSide, ...hongqiaoSide]) await vote(s1, l, 'agree');
	for (const l of aijianSide) await vote(s2, l, 'agree');
	for (const l of hongqiaoSide) await vote(s2, l, 'disagree');
	await vote(s3, 'aijian_owner', 'agree');
	await vote(s3, 'hongqiao_owner', 'pass');

	// 5. An advisory poll (tenants included), labelled advisory.
	const poll = newId();
	await tx.insert(advisoryPolls).values({
		id: poll,
		sessionId: GATE_SESSION_ID,
		question: '如果边门开放，您希望的开放时间是？',
		options: JSON.stringify(['全天开放', '6:00–22:00 开放，配门禁', '维持关闭']),
		createdBy: user('facilitator'),
		createdAt: t2 + 4 * DAY
	});
	const answers: [string, number][] = [
		['aijian_owner', 0],
		['tenant', 1],
		['aijian_ywh', 1],
		['hongqiao_owner', 2],
		['hongqiao_ywh', 1]
	];
	for (const [login, option] of answers) {
		const home = await homeOf(login);
		if (home.compoundId)
			await tx
				.insert(advisoryAnswers)
				.values({ pollId: poll, userId: user(login), compoundId: home.compoundId, option, at: t2 + 5 * DAY });
	}

	// 6. A meeting that took place, with approved minutes.
	const meeting = newId();
	const held = now - 7 * DAY;
	await tx.insert(meetings).values({
		id: meeting,
		sessionId: GATE_SESSION_ID,
		title: '第一次边门协调会',
		startsAt: held,
		place: '虹桥街道社区党群服务中心二楼',
		createdBy: user('facilitator'),
		createdAt: t2
	});
	const present: [string, string][] = [
		['张三', 'aijian'],
		['赵六', 'aijian'],
		['孙七', 'aijian'],
		['李四', 'hongqiao'],
		['周八', 'hongqiao'],
		['吴九', 'hongqiao']
	];
	await tx.insert(meetingAttendance).values(
		present.map(([name, compoundId], i) => ({
			id: newId(),
			meetingId: meeting,
			name,
			compoundId,
			recordedBy: user('facilitator'),
			at: held + i * 60_000
		}))
	);
	const v1 = newId();
	const v2 = newId();
	await tx.insert(minutesVersions).values([
		{
			id: v1,
			meetingId: meeting,
			number: 1,
			text: '到会：爱建 3 人，虹桥 3 人；主持：陈老师。\n一、爱建居民陈述开门的需要。\n二、虹桥居民陈述顾虑：电瓶车、噪音、绿化。',
			authorId: user('facilitator'),
			at: held + 3 * 3600_000
		},
		{
			id: v2,
			meetingId: meeting,
			number: 2,
			text:
				'到会：爱建 3 人，虹桥 3 人；主持：陈老师。\n' +
				'一、爱建居民陈述开门的需要：到地铁站、菜场近 10 分钟以上。\n' +
				'二、虹桥居民陈述顾虑：电瓶车穿行、夜间噪音、绿化带。\n' +
				'三、共识：无论开不开门，都要保证老人和孩子的安全。\n' +
				'四、下一步：高校团队起草方案A（全天开放）、方案B（限时开放加门禁、改造共享空间）、方案C（维持关闭）。',
			authorId: user('hongqiao_ywh'),
			at: held + DAY
		}
	]);
	await tx.insert(minutesApprovals).values({ meetingId: meeting, versionId: v2, approvedBy: user('pianqu'), at: held + 2 * DAY });

	// 7. Fresh concerns being co-signed.
	const fresh: [string, string, string, string, string, string[]][] = [
		['仙霞小区3号楼加装电梯', '3号楼六层，住着不少老人，想了解加装电梯怎么启动。', 'facilities', 'xianxia', 'xianxia_owner', []],
		['虹桥小区垃圾房异味', '夏天垃圾房味道很大，希望调整清运时间。', 'environment', 'hongqiao', 'hongqiao_owner', ['hongqiao_ywh']],
		['爱建小区非机动车充电棚', '楼道里充电不安全，希望在空地建充电棚。', 'safety', 'aijian', 'tenant', []]
	];
	for (const [i, [title, body, category, compoundId, raiser, cosigners]] of fresh.entries()) {
		const id = newId();
		await tx.insert(concerns).values({
			id,
			title,
			body,
			category,
			location: '',
			homeCompoundId: compoundId,
			compoundIds: JSON.stringify([compoundId]),
			threshold: JSON.stringify(DEMO_THRESHOLD),
			households: await householdsOf(tx, [compoundId]),
			status: 'collecting',
			raisedBy: user(raiser),
			raisedAt: now - (3 - i) * DAY,
			isDemo: true
		});
		for (const login of [raiser, ...cosigners]) {
			const home = await homeOf(login);
			await tx.insert(concernCosigns).values({
				concernId: id,
				userId: user(login),
				unitId: home.unitId,
				compoundId: home.compoundId,
				at: now - (3 - i) * DAY + 3600_000
			});
		}
	}
}

/**
 * A session whose agenda (one item) is already published, written directly: for demo cases that
 * start at the vote (the earlier lift decision) and for test fixtures of the voting module. The
 * real path — convenors, sign-offs, publication — is `createSession` … `publishAgenda`.
 */
export async function insertPublishedAgendaItem(
	tx: Tx,
	input: {
		title: string;
		question: string;
		rule: 'major' | 'ordinary' | 'unanimous_affected' | 'advisory';
		compoundIds: string[];
		createdBy: string;
		isDemo?: boolean;
	}
): Promise<{ sessionId: string; agendaItemId: string }> {
	const now = clock.now();
	const sessionId = newId();
	const agendaItemId = newId();
	await tx.insert(delibSessions).values({
		id: sessionId,
		title: input.title,
		kind: 'owners_assembly',
		compoundIds: JSON.stringify(input.compoundIds),
		phase: 'voting',
		agendaRevision: 1,
		agendaPublishedAt: now,
		agendaPublishedBy: input.createdBy,
		maxTurns: 2,
		maxChars: 500,
		speakSeconds: 120,
		createdBy: input.createdBy,
		createdAt: now,
		isDemo: input.isDemo ?? false
	});
	await tx.insert(agendaItems).values({
		id: agendaItemId,
		sessionId,
		position: 1,
		title: input.title,
		question: input.question,
		rule: input.rule,
		createdAt: now
	});
	return { sessionId, agendaItemId };
}
