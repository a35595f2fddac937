import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tx } from '../../../src/lib/server/db/client.ts';
import { ballots, followupPhotos, outcomeRecords } from '../../../src/lib/server/db/schema/index.ts';
import sharp from 'sharp';
import { phonePhoto, redSide } from '../../fixtures/photos/phone-photo.ts';
import { AccessDenied } from '../../../src/lib/server/errors.ts';
import {
	answerObjection,
	closeItem,
	cosignCount,
	createTask,
	dashboard,
	downloadUnitExport,
	fileObjection,
	finaliseRecord,
	getPublicRecord,
	publishCorrection,
	previewPreliminaryRecord,
	publishPreliminaryRecord,
	rateOutcome,
	recordApi,
	recordAtomFeed,
	recordsApi,
	searchRecords,
	signCount,
	updateTask,
	verifyRecordChain
} from '../../../src/lib/server/records/index.ts';
import { checkRecordAgainstExport, verifyChain } from '../../../src/lib/domain/records/index.ts';
import { createTestDatabase, tamper, type TestDatabase } from '../../helpers/db.ts';
import { DAY, fakeTime, newClosedBallot, newRecordsWorld, newStaff, type World } from './factories.ts';

let database: TestDatabase;
let world: World;

beforeEach(async () => {
	database = await createTestDatabase();
	world = await newRecordsWorld(database, fakeTime(Date.UTC(2026, 2, 1, 2, 0)));
});
afterEach(() => {
	database.destroy();
	vi.restoreAllMocks();
});

const DETAILS = {
	question: '是否按方案B重新开放爱建与虹桥之间的侧门',
	minutes: [{ title: '第二次协商会', date: '2026-01-20', summary: '两小区代表讨论开放时间与门禁，联系电话 13812345678。' }],
	dissent: [{ from: '虹桥小区部分业主', summary: '担心夜间噪音和外来车辆。' }]
};

async function publishGate(options: { masked?: string[]; voters?: number } = {}) {
	const { ballotId } = await newClosedBallot(database, world, options);
	const published = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId, ...DETAILS });
	return { ballotId, ...published };
}

describe('signing and publishing', () => {
	it('refuses to publish before each compound’s 业委会 signed the count', async () => {
		const { ballotId } = await newClosedBallot(database, world, { sign: false });
		await signCount(database, world.aijianYwh.actor, { ballotId, compoundId: world.aijian.compoundId });
		await expect(publishPreliminaryRecord(database, world.juwei.actor, { ballotId })).rejects.toThrow(/虹桥小区业委会尚未签字/);
	});

	it('refuses a 业委会 signing for the other compound, and a second signature', async () => {
		const { ballotId } = await newClosedBallot(database, world, { sign: false });
		await expect(
			signCount(database, world.aijianYwh.actor, { ballotId, compoundId: world.hongqiao.compoundId })
		).rejects.toBeInstanceOf(AccessDenied);
		await signCount(database, world.aijianYwh.actor, { ballotId, compoundId: world.aijian.compoundId });
		await expect(signCount(database, world.aijianYwh.actor, { ballotId, compoundId: world.aijian.compoundId })).rejects.toThrow(
			/已经签字/
		);
	});

	it('refuses a cosign by anyone but a scrutineer', async () => {
		const { ballotId } = await newClosedBallot(database, world);
		await expect(cosignCount(database, world.juwei.actor, { ballotId })).rejects.toBeInstanceOf(AccessDenied);
		const scrutineer = await newStaff(database, 'scrutineer', world.cluster);
		await cosignCount(database, scrutineer.actor, { ballotId });
	});

	it('refuses publication by a 业委会 member, an owner, and 居委 staff of only one side', async () => {
		const { ballotId } = await newClosedBallot(database, world);
		await expect(publishPreliminaryRecord(database, world.aijianYwh.actor, { ballotId })).rejects.toBeInstanceOf(AccessDenied);
		await expect(publishPreliminaryRecord(database, world.owners[0].actor, { ballotId })).rejects.toBeInstanceOf(AccessDenied);
		const oneSide = await newStaff(database, 'committee_staff', world.aijianJw);
		await expect(publishPreliminaryRecord(database, oneSide.actor, { ballotId })).rejects.toBeInstanceOf(AccessDenied);
	});

	it(
		'publishes the question, frozen rule, per-compound figures, minutes and dissent, with a ' + '7-day window from the day after',
		async () => {
			const { recordId, disputeEndsAt } = await publishGate();
			// Published 2026-03-22 (China time, clock at the ballot's close + 1h); window 3月23日–3月29日.
			const record = await getPublicRecord(database, recordId);
			const doc = record.document;
			expect(doc.stage).toBe('preliminary');
			expect(doc.seq).toBe(1);
			expect(doc.prevHash).toBeNull();
			expect(doc.dispute?.days).toBe(7);
			expect(new Date(disputeEndsAt).toISOString()).toBe(`${doc.dispute!.lastDay}T16:00:00.000Z`);
			expect(doc.content.question).toBe(DETAILS.question);
			expect(doc.content.ballot.ruleKind).toBe('major');
			expect(doc.content.compounds.map((c) => c.name)).toEqual(['爱建小区', '虹桥小区']);
			expect(doc.content.compounds[0].nonVoterRuleLabel).toContain('不计入');
			expect(doc.content.result.motions[0].compounds).toHaveLength(2);
			expect(doc.content.result.motions[0].compounds[0].thresholds.length).toBeGreaterThanOrEqual(4);
			expect(doc.content.minutes[0].summary).toContain('138****5678');
			expect(doc.content.dissent[0].summary).toContain('噪音');
			expect(doc.content.publishedBy).toContain('居民委员会');
		}
	);

	it('previews the record exactly as it will be published, writing nothing into the chain', async () => {
		const { ballotId } = await newClosedBallot(database, world);
		const before = await database.db.select({ n: sql<number>`count(*)` }).from(outcomeRecords);
		const preview = await previewPreliminaryRecord(database, world.juwei.actor, { ballotId, ...DETAILS });
		expect(await database.db.select({ n: sql<number>`count(*)` }).from(outcomeRecords)).toEqual(before);
		const { recordId } = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId, ...DETAILS });
		const published = (await getPublicRecord(database, recordId)).document;
		expect(preview.content).toEqual(published.content);
		expect(preview.dispute).toEqual(published.dispute);
		expect(preview.publishedAt).toBe(published.publishedAt);
	});

	it('refuses a preview to whoever may not publish, and before the count is signed', async () => {
		const { ballotId } = await newClosedBallot(database, world, { sign: false });
		await expect(previewPreliminaryRecord(database, world.aijianYwh.actor, { ballotId })).rejects.toThrow(AccessDenied);
		await expect(previewPreliminaryRecord(database, world.juwei.actor, { ballotId })).rejects.toThrow(/尚未签字确认/);
	});

	it('refuses publishing one ballot twice', async () => {
		const { ballotId } = await publishGate();
		await expect(publishPreliminaryRecord(database, world.juwei.actor, { ballotId })).rejects.toThrow(/已经公示过了/);
	});
});

describe('privacy', () => {
	it('the public record and API carry no per-unit row and no vote time, even where a 业委会 chose masked votes (record v2)', async () => {
		const { recordId } = await publishGate({ masked: ['aijian'] });
		const apiValue = await recordApi(database, 'http://x', recordId);
		const api = JSON.stringify(apiValue);
		for (const owner of world.owners) {
			expect(api).not.toContain(owner.units[0].unitId);
		}
		expect(api).not.toMatch(/业主\d|业委会甲|用户/);
		for (const perUnit of ['"rosters"', '"unitId"', '"castAt"', '"ownerKey"', '"voterKey"', '"room"', '号楼 '])
			expect(api).not.toContain(perUnit);
		expect(apiValue.voteExport).toBeUndefined();
		expect(apiValue.unitExport?.url).toBe(`http://x/records/${recordId}/units.json`);
		const list = JSON.stringify(await recordsApi(database, 'http://x'));
		for (const perUnit of ['"rosters"', '"castAt"', '"ownerKey"']) expect(list).not.toContain(perUnit);
		expect(await recordAtomFeed(database, 'http://x')).not.toContain('castAt');
		const doc = (await getPublicRecord(database, recordId)).document;
		expect(doc.version).toBe(3);
		expect(doc.content.unitVotes).toEqual([]);
		expect(doc.content.compounds.every((c) => c.unitVotes === 'none')).toBe(true);
		// The record commits to the per-unit export it was counted from.
		expect(doc.content.voteExport.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(doc.content.voteExport.merkleRoot).toMatch(/^[0-9a-f]{64}$/);
		expect(doc.content.voteExport.leafCount).toBe(10);
	});
});

describe('dispute window', () => {
	it('an owner objects, a tenant objects, an outsider cannot; the 居委 answers; final only after the window', async () => {
		const { recordId, disputeEndsAt } = await publishGate();
		await fileObjection(database, world.owners[0].actor, { recordId, text: '虹桥一侧的门禁方案还不清楚，请说明。' });
		await fileObjection(database, world.tenant.actor, { recordId, text: '租户也走这道门，希望晚上十点后关门。' });
		const outsider = await newStaff(database, 'committee_staff', world.aijianJw);
		await expect(fileObjection(database, outsider.actor, { recordId, text: '我不是这里的居民。' })).rejects.toBeInstanceOf(
			AccessDenied
		);

		const record = await getPublicRecord(database, recordId);
		expect(record.objections).toHaveLength(2);
		expect(record.objections[0].filedBy).toMatch(/一位已核验的业主/);
		await expect(
			answerObjection(database, world.owners[1].actor, { objectionId: record.objections[0].id, text: '答复内容不少于五个字' })
		).rejects.toBeInstanceOf(AccessDenied);
		await answerObjection(database, world.juwei.actor, {
			objectionId: record.objections[0].id,
			text: '门禁采用刷卡，两小区居民均可办卡。'
		});

		await expect(finaliseRecord(database, world.juwei.actor, { recordId })).rejects.toThrow(/询异期到.*结束/);
		world.time.set(disputeEndsAt);
		await expect(fileObjection(database, world.owners[0].actor, { recordId, text: '再提一条异议可以吗？' })).rejects.toThrow(
			/询异期已于/
		);
		await expect(finaliseRecord(database, world.juwei.actor, { recordId })).rejects.toThrow(/还有 1 条异议没有公开答复/);
		await answerObjection(database, world.juwei.actor, {
			objectionId: record.objections[1].id,
			text: '开放时间为6:00–22:00，与方案一致。'
		});
		await expect(
			answerObjection(database, world.juwei.actor, { objectionId: record.objections[1].id, text: '第二次答复不允许。' })
		).rejects.toThrow(/已经答复过了/);
		await expect(finaliseRecord(database, world.owners[0].actor, { recordId })).rejects.toBeInstanceOf(AccessDenied);
		const final = await finaliseRecord(database, world.juwei.actor, { recordId });

		const shown = await getPublicRecord(database, final.recordId);
		expect(shown.document.stage).toBe('final');
		expect(shown.document.supersedesId).toBe(recordId);
		expect(shown.document.objections.every((o) => o.answer !== null)).toBe(true);
		expect(shown.document.prevHash).toBe((await getPublicRecord(database, recordId)).hash);
		expect((await getPublicRecord(database, recordId)).isCurrent).toBe(false);
		await expect(finaliseRecord(database, world.juwei.actor, { recordId: final.recordId })).rejects.toThrow(/已经是正式公告/);
	});

	it('a correction is a new version linked to the old one, with a fresh window; the old row is untouched', async () => {
		const { recordId } = await publishGate();
		const [before] = await database.db.select().from(outcomeRecords).where(eq(outcomeRecords.id, recordId));
		await expect(publishCorrection(database, world.owners[0].actor, { recordId, reason: '纪要日期写错' })).rejects.toBeInstanceOf(
			AccessDenied
		);
		world.time.advance(2 * DAY);
		const corrected = await publishCorrection(database, world.juwei.actor, {
			recordId,
			reason: '纪要日期写错',
			minutes: [{ ...DETAILS.minutes[0], date: '2026-01-21' }]
		});
		const [after] = await database.db.select().from(outcomeRecords).where(eq(outcomeRecords.id, recordId));
		expect(after).toEqual(before);
		const doc = (await getPublicRecord(database, corrected.recordId)).document;
		expect(doc.supersedesId).toBe(recordId);
		expect(doc.correction?.reason).toBe('纪要日期写错');
		expect(doc.versionNo).toBe(2);
		expect(doc.content.minutes[0].date).toBe('2026-01-21');
		expect(doc.dispute!.lastDay > (await getPublicRecord(database, recordId)).document.dispute!.lastDay).toBe(true);
		await expect(fileObjection(database, world.owners[0].actor, { recordId, text: '对旧版本提异议。' })).rejects.toThrow(
			/已被新版本取代/
		);
		await expect(publishCorrection(database, world.juwei.actor, { recordId, reason: '再改旧版' })).rejects.toThrow(/已被新版本取代/);
	});
});

describe('integrity', () => {
	it('verifies the chain and each record; the published export recounts to the published figures', async () => {
		const first = await publishGate();
		world.time.set(first.disputeEndsAt);
		await finaliseRecord(database, world.juwei.actor, { recordId: first.recordId });
		const report = await verifyRecordChain(database);
		expect(report.problems).toEqual([]);
		expect(report.checked).toBe(2);
		const api = await recordApi(database, 'http://x', first.recordId);
		const units = await downloadUnitExport(database, world.owners[0].actor, first.recordId);
		expect(checkRecordAgainstExport(api.document.content, JSON.parse(units.text)).ok).toBe(true);
		const list = await recordsApi(database, 'http://x');
		expect(list.complete).toBe(true);
		expect(verifyChain(list.records.map((r) => ({ ...r, document: r.document }))).ok).toBe(true);
	});

	it('states on the record the owner changes registered during the vote (how many and why, no names)', async () => {
		const { ballotId } = await newClosedBallot(database, world);
		// As the close writes it when a 业主变更登记 was confirmed under double control (tests/integration/voting/owner-changes.test.ts).
		const [row] = await database.db.select({ exportJson: ballots.exportJson }).from(ballots).where(eq(ballots.id, ballotId));
		const exported = { ...JSON.parse(row.exportJson!), ownerChanges: { count: 1, reasons: ['房屋已过户'] } };
		const edit = (tx: Tx) =>
			tx
				.update(ballots)
				.set({ exportJson: JSON.stringify(exported) })
				.where(eq(ballots.id, ballotId));
		await tamper(database, ['ballots'], () => database.write(edit));
		const published = await publishPreliminaryRecord(database, world.juwei.actor, { ballotId, ...DETAILS });
		const api = await recordApi(database, 'http://x', published.recordId);
		expect(api.document.content.ballot.ownerChanges).toEqual({ count: 1, reasons: ['房屋已过户'] });
		const list = await recordsApi(database, 'http://x');
		expect(verifyChain(list.records.map((r) => ({ ...r, document: r.document }))).ok).toBe(true);
		// Without a change the field is absent, so records of ballots without one hash as before.
		const plain = await publishGate();
		expect((await recordApi(database, 'http://x', plain.recordId)).document.content.ballot.ownerChanges).toBeUndefined();
	});

	it('detects a changed figure in a stored record', async () => {
		const { recordId } = await publishGate();
		const edit = sql`UPDATE outcome_records SET document = replace(document, '"persons":5', '"persons":6') WHERE id = ${recordId}`;
		await tamper(database, ['outcome_records'], () => database.write((tx) => tx.run(edit)));
		const report = await verifyRecordChain(database);
		expect(report.ok).toBe(false);
		expect(report.problems.map((p) => p.zh).join()).toMatch(/校验码不符/);
	});

	it('detects a re-hashed record through the chain and the export recount', async () => {
		const { ballotId, recordId } = await publishGate();
		void ballotId;
		const second = await newClosedBallot(database, world);
		await publishPreliminaryRecord(database, world.juwei.actor, { ballotId: second.ballotId });
		const [row] = await database.db.select().from(outcomeRecords).where(eq(outcomeRecords.id, recordId));
		const { hashDocument } = await import('../../../src/lib/domain/records/index.ts');
		const doc = JSON.parse(row.document);
		doc.content.result.motions[0].compounds[0].yes.persons += 1;
		const { canonical, hash } = hashDocument(doc);
		const edit = (tx: Tx) => tx.update(outcomeRecords).set({ document: canonical, hash }).where(eq(outcomeRecords.id, recordId));
		await tamper(database, ['outcome_records'], () => database.write(edit));
		const report = await verifyRecordChain(database);
		const text = report.problems.map((p) => p.zh).join('\n');
		expect(text).toMatch(/链条断开/);
		expect(text).toMatch(/公示数字与复核不一致/);
	});

	it('detects a tampered vote export and a changed listing column', async () => {
		const { recordId } = await publishGate();
		const edit = sql`UPDATE outcome_records SET vote_export = replace(vote_export, '"choice":"no"', '"choice":"yes"'), title = '别的标题'
			WHERE id = ${recordId}`;
		await tamper(database, ['outcome_records'], () => database.write((tx) => tx.run(edit)));
		const text = (await verifyRecordChain(database)).problems.map((p) => p.zh).join('\n');
		expect(text).toMatch(/表决数据的校验码与公示记载不符/);
		expect(text).toMatch(/列表字段 title/);
	});
});

describe('open data', () => {
	it('lists and searches by 街道, 居委, compound, year and words', async () => {
		await publishGate();
		expect(await searchRecords(database, { street: world.street })).toHaveLength(1);
		expect(await searchRecords(database, { committee: world.hongqiaoJw })).toHaveLength(1);
		expect(await searchRecords(database, { compound: world.aijian.compoundId, year: 2026 })).toHaveLength(1);
		expect(await searchRecords(database, { year: 2025 })).toHaveLength(0);
		expect(await searchRecords(database, { q: '侧门' })).toHaveLength(1);
		expect(await searchRecords(database, { q: '电梯' })).toHaveLength(0);
	});

	it('lists a vote that missed the participation quorum as 未达到参与门槛, not as 未通过', async () => {
		// 2 of 6 units per compound voted, all but none against: a third of the area, far below two thirds.
		await publishGate({ voters: 2 });
		const [listed] = await searchRecords(database, {});
		expect(listed.outcome).toBe('未达到参与门槛，不能通过');
		expect(listed.outcome).not.toContain('未通过');
	});

	it('lists records without their vote exports and reads each document once; a correction lists its own version', async () => {
		const { recordId } = await publishGate();
		const execute = database.client.execute.bind(database.client);
		const statements: string[] = [];
		const spy = vi.spyOn(database.client, 'execute').mockImplementation(((stmt: unknown, args?: unknown) => {
			statements.push(typeof stmt === 'string' ? stmt : (stmt as { sql: string }).sql);
			return execute(stmt as never, args as never);
		}) as never);
		try {
			const first = await searchRecords(database, {});
			expect(await searchRecords(database, {})).toEqual(first);
			expect(statements.length).toBeGreaterThan(0);
			expect(statements.filter((s) => s.includes('vote_export'))).toEqual([]);
			// A published version never changes: its document is read and parsed for the first list only.
			expect(statements.filter((s) => s.includes('"document"'))).toHaveLength(1);
		} finally {
			spy.mockRestore();
		}
		world.time.advance(2 * DAY);
		const corrected = await publishCorrection(database, world.juwei.actor, { recordId, reason: '纪要日期写错' });
		const [listed] = await searchRecords(database, {});
		expect(listed).toMatchObject({ id: corrected.recordId, versionNo: 2, corrected: true });
	});

	it('writes an Atom feed with one entry per version', async () => {
		const { recordId } = await publishGate();
		const feed = await recordAtomFeed(database, 'http://x');
		expect(feed).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
		expect(feed.match(/<entry>/g)).toHaveLength(1);
		expect(feed).toContain(`<id>http://x/records/${recordId}</id>`);
	});
});

describe('follow-through', () => {
	async function finalGate() {
		const first = await publishGate();
		world.time.set(first.disputeEndsAt);
		const final = await finaliseRecord(database, world.juwei.actor, { recordId: first.recordId });
		return { itemId: first.recordId, finalId: final.recordId };
	}

	it('tasks before the final record are refused; staff only', async () => {
		const { recordId } = await publishGate();
		await expect(
			createTask(database, world.juwei.actor, {
				itemId: recordId,
				title: '拆除侧门',
				organisation: '物业公司',
				dueDate: '2026-05-01'
			})
		).rejects.toThrow(/正式公告发布后/);
		world.time.advance(30 * DAY);
		await finaliseRecord(database, world.juwei.actor, { recordId });
		await expect(
			createTask(database, world.owners[0].actor, {
				itemId: recordId,
				title: '拆除侧门',
				organisation: '物业公司',
				dueDate: '2026-05-01'
			})
		).rejects.toBeInstanceOf(AccessDenied);
	});

	it('a task is done with a photo, residents rate, and the item closes; overdue tasks are flagged', async () => {
		const { itemId } = await finalGate();
		const { taskId } = await createTask(database, world.juwei.actor, {
			itemId,
			title: '安装门禁并拆除旧门',
			organisation: '虹桥物业',
			dueDate: '2026-04-10'
		});
		await expect(closeItem(database, world.juwei.actor, { itemId })).rejects.toThrow(/还有 1 项任务没有完成/);
		await expect(rateOutcome(database, world.owners[0].actor, { itemId, rating: 'satisfied' })).rejects.toThrow(/所有落实任务完成后/);
		world.time.set(Date.UTC(2026, 3, 11, 2));
		let board = await dashboard(database, world.juwei.actor);
		expect(board[0].stats).toMatchObject({ open: 1, overdue: 1, closed: 0, medianDaysToClose: null });

		await expect(updateTask(database, world.owners[0].actor, { taskId, status: 'done', note: '完成' })).rejects.toBeInstanceOf(
			AccessDenied
		);
		const png = Uint8Array.from(
			Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
		);
		await updateTask(database, world.juwei.actor, {
			taskId,
			status: 'done',
			note: '门禁已安装，旧门已拆除',
			photos: [png, await phonePhoto({ width: 320, height: 240 })]
		});
		// Both stored as upright JPEGs without metadata: the phone photo's GPS is gone.
		const stored = await database.db.select().from(followupPhotos).where(eq(followupPhotos.taskId, taskId));
		expect(stored.map((p) => p.mime)).toEqual(['image/jpeg', 'image/jpeg']);
		for (const p of stored) expect((await sharp(p.bytes).metadata()).exif).toBeUndefined();
		expect((await Promise.all(stored.map((p) => redSide(p.bytes)))).find((s) => s.width === 240)).toMatchObject({
			height: 320,
			red: 'right'
		});
		await expect(closeItem(database, world.juwei.actor, { itemId })).rejects.toThrow(/居民还没有评议/);
		const outsider = await newStaff(database, 'committee_staff', world.aijianJw);
		await expect(rateOutcome(database, outsider.actor, { itemId, rating: 'satisfied' })).rejects.toBeInstanceOf(AccessDenied);
		await rateOutcome(database, world.owners[0].actor, { itemId, rating: 'satisfied', comment: '出门方便多了' });
		await expect(rateOutcome(database, world.owners[0].actor, { itemId, rating: 'unsatisfied' })).rejects.toThrow(/已经评议过了/);
		await expect(closeItem(database, world.owners[0].actor, { itemId })).rejects.toBeInstanceOf(AccessDenied);
		await closeItem(database, world.juwei.actor, { itemId, note: '已销项' });

		board = await dashboard(database, world.juwei.actor);
		expect(board[0].stats).toMatchObject({ open: 0, overdue: 0, closed: 1 });
		expect(board[0].stats.medianDaysToClose).toBeGreaterThan(0);
		const record = await getPublicRecord(database, itemId);
		expect(record.followThrough.closedAt).not.toBeNull();
		expect(record.followThrough.tasks[0].updates.at(-1)!.photoIds).toHaveLength(2);
		await expect(dashboard(database, world.owners[0].actor)).rejects.toBeInstanceOf(AccessDenied);
	});
});
