/**
 * 演示数据: an earlier decision already published and being followed through — installing a
 * lift in 虹桥小区 3号楼, an ordinary matter (民法典 art. 278 ¶1 item 9) — built through the real
 * services (ballot, notice, opening, paper ballots entered twice, close, signature, record,
 * objection and answer, final record, tasks), so every figure recounts and the chain verifies.
 *
 * It happened "months ago": the server clock is moved back while seeding and restored after.
 * That is safe only because seeding runs before the server takes requests.
 */
import { and, eq } from 'drizzle-orm';
import { chinaDateString } from '../../domain/records/index.ts';
import { compoundScopes } from '../access.ts';
import type { Database } from '../db/client.ts';
import { electorateUnits, orgNodes, outcomeRecords } from '../db/schema/index.ts';
import { clock } from '../util/clock.ts';
import { loadCalendar } from '../scheduler/calendar.ts';
import { lawfulSchedule } from '../../domain/time/ballot-periods.ts';
import { closeBallot, enterPaperBallot } from '../voting/index.ts';
import { demoActor, openDemoBallot } from '../voting/demo.ts';
import { mayPublish } from './common.ts';
import { createTask, updateTask } from './followup.ts';
import { answerObjection, fileObjection } from './objections.ts';
import { finaliseRecord, publishPreliminaryRecord, signCount } from './publish.ts';

const DAY = 24 * 3600_000;
export const DEMO_LIFT_TITLE = '虹桥小区3号楼加装电梯表决（演示）';

/** Seeds the lift decision once; returns the record id, or null when it is there already or the demo is missing. */
export async function seedRecordsDemo(database: Database): Promise<{ itemId: string; finalId: string } | null> {
	const [compound] = await database.db
		.select({ id: orgNodes.id })
		.from(orgNodes)
		.where(and(eq(orgNodes.id, 'hongqiao'), eq(orgNodes.kind, 'compound')))
		.limit(1);
	if (!compound) return null;
	const [done] = await database.db
		.select({ id: outcomeRecords.id })
		.from(outcomeRecords)
		.where(eq(outcomeRecords.title, DEMO_LIFT_TITLE))
		.limit(1);
	if (done) return null;
	const [ywh, ywh2, owner, juwei, admin] = await Promise.all(
		['hongqiao_ywh', 'hongqiao_ywh2', 'hongqiao_owner', 'juwei', 'admin'].map((l) => demoActor(database, l))
	);
	if (!ywh || !ywh2 || !owner || !admin) return null;
	const scopes = await compoundScopes(database, ['hongqiao']);
	// The 居委 worker publishes when their grants cover 虹桥; otherwise the administrator does.
	const publisher = juwei && mayPublish(juwei, scopes) ? juwei : admin;

	const realNow = clock.now;
	const start = realNow() - 150 * DAY;
	let t = start;
	clock.now = () => t;
	try {
		// Valid under the period rules whatever the date: open after the notice period, close on a working day.
		const { opensAt, closesAt } = lawfulSchedule(await loadCalendar(database.db), start, 15, 10);
		// The lift was on the published agenda of 虹桥's owners' assembly (the vote needs that).
		const ballotId = await openDemoBallot(
			database,
			ywh,
			{
				title: DEMO_LIFT_TITLE,
				question: '是否同意在3号楼加装电梯，费用由3号楼业主按楼层分摊？',
				motion: '同意在3号楼加装电梯（费用由3号楼业主按楼层分摊）',
				opensAt,
				closesAt
			},
			(at) => (t = at)
		);

		// Four in five units vote on paper; most say yes (a deterministic pattern, no randomness).
		const electorate = await database.db
			.select({ unitId: electorateUnits.unitId })
			.from(electorateUnits)
			.where(eq(electorateUnits.ballotId, ballotId))
			.orderBy(electorateUnits.buildingName, electorateUnits.room);
		const voting = electorate.filter((_, i) => i % 5 !== 4);
		const choiceOf = (i: number) => (i % 9 === 3 ? 'no' : i % 13 === 5 ? 'abstain' : 'yes');
		for (let i = 0; i < voting.length; i += 40) {
			const chunk = voting.slice(i, i + 40);
			await Promise.all(
				chunk.map((u, j) => enterPaperBallot(database, ywh, { ballotId, unitId: u.unitId, choices: { A: choiceOf(i + j) } }))
			);
			await Promise.all(
				chunk.map((u, j) => enterPaperBallot(database, ywh2, { ballotId, unitId: u.unitId, choices: { A: choiceOf(i + j) } }))
			);
		}
		t = closesAt + 2 * 3600_000;
		await closeBallot(database, ywh, { ballotId });
		await signCount(database, ywh, { ballotId, compoundId: 'hongqiao', unitVotes: 'masked' });

		t = closesAt + DAY;
		const { recordId, disputeEndsAt } = await publishPreliminaryRecord(database, publisher, {
			ballotId,
			question: '是否同意在虹桥小区3号楼加装一部电梯，费用由3号楼业主按楼层分摊，公共维修资金不动用',
			convenedBy: '虹桥小区业主委员会',
			minutes: [
				{
					title: '3号楼加装电梯协调会',
					date: chinaDateString(start - 20 * DAY),
					summary: '3号楼业主、设计单位和物业到会。介绍了电梯位置、费用分摊方案（一楼不分摊，楼层越高分摊越多）和施工期间的安排。'
				}
			],
			dissent: [
				{ from: '3号楼一楼部分业主', summary: '担心电梯井遮挡采光、施工噪音，且一楼用不到电梯。' },
				{ from: '其他楼栋部分业主', summary: '担心占用绿地和消防通道。' }
			]
		});
		t += 2 * DAY;
		const { objectionId } = await fileObjection(database, owner, { recordId, text: '施工期间的消防通道怎么保证？希望公示具体安排。' });
		t += DAY;
		await answerObjection(database, publisher, {
			objectionId,
			text: '施工期间在3号楼东侧另设临时消防通道，设计图已张贴在3号楼门厅，可到居委查看。'
		});
		// The dispute window may have run on past a holiday (民法典 art. 203): finalise the day after it ends.
		t = disputeEndsAt + DAY;
		const final = await finaliseRecord(database, publisher, { recordId });

		t += DAY;
		const review = await createTask(database, publisher, {
			itemId: recordId,
			title: '施工图审查与规划公示',
			organisation: '虹桥小区业主委员会',
			dueDate: chinaDateString(t + 30 * DAY)
		});
		const build = await createTask(database, publisher, {
			itemId: recordId,
			title: '电梯安装与特种设备验收',
			organisation: '电梯安装公司（物业配合）',
			dueDate: chinaDateString(realNow() - 10 * DAY)
		});
		t += 25 * DAY;
		await updateTask(database, publisher, { taskId: review.taskId, status: 'done', note: '施工图已通过审查，规划公示期满无异议。' });
		t += 10 * DAY;
		await updateTask(database, publisher, { taskId: build.taskId, status: 'in_progress', note: '电梯井道已完成，等待设备进场。' });
		return { itemId: recordId, finalId: final.recordId };
	} finally {
		clock.now = realNow;
	}
}
