/**
 * 自动开始与截止: ballots open at opensAt and close at closesAt without anyone pressing a button.
 *
 * One pass (`runDueWork`) does everything that is due by the clock, so it is idempotent and catches
 * up: after a restart, a ballot whose close time passed while the server was down closes in the
 * first pass, with its true close time (the deadline) recorded. Every change goes through the write
 * queue and is conditional on the ballot's state (`… WHERE opened_at IS NULL` / `closed_at IS NULL`,
 * re-read inside BEGIN IMMEDIATE), so two app processes never both open or close the same ballot.
 *
 * Closing waits while paper entries await their second entry, or while a person whose units voted
 * differently awaits the 业委会's settlement (voting/settlements.ts): the 业委会 is told once (inbox) and
 * the next pass tries again; the record then says when and why the close was later than planned.
 * Owners who have not voted are reminded 3 days and 1 day before the close (once each).
 */
import { and, gt, isNotNull, isNull, lte } from 'drizzle-orm';
import { formatDateTime } from '../../domain/time/china-date.ts';
import { grantHolders } from '../agenda/common.ts';
import { notify } from '../notifications/inbox.ts';
import type { Database } from '../db/client.ts';
import { ballots } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { clock } from '../util/clock.ts';
import { loadBallot } from '../voting/common.ts';
import { closeLoadedBallot, openLoadedBallot } from '../voting/lifecycle.ts';
import { remindNonVoters } from './reminders.ts';

const DAY_MS = 24 * 3600_000;
/** Reminders go out this many days before the close. */
export const REMINDER_DAYS = [3, 1] as const;

export interface PassReport {
	opened: string[];
	closed: { ballotId: string; closedAt: number }[];
	/** Ballots whose close waits for paper entries. */
	waiting: string[];
	reminded: number;
	/** Ballots that could not be handled (e.g. no roster at opening): with the reason, for the log. */
	problems: { ballotId: string; message: string }[];
}

/** Does everything due at clock.now(). Safe to run any number of times, in any number of processes. */
export async function runDueWork(database: Database): Promise<PassReport> {
	const now = clock.now();
	const report: PassReport = { opened: [], closed: [], waiting: [], reminded: 0, problems: [] };

	const toOpen = await database.db
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(isNotNull(ballots.noticePublishedAt), isNull(ballots.openedAt), lte(ballots.opensAt, now), gt(ballots.closesAt, now)));
	for (const { id } of toOpen) {
		try {
			await openLoadedBallot(database, await loadBallot(database.db, id), null);
			report.opened.push(id);
		} catch (error) {
			if (error instanceof DomainError && error.code === 'already_open') continue;
			report.problems.push({ ballotId: id, message: error instanceof Error ? error.message : String(error) });
		}
	}

	const toClose = await database.db
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(isNotNull(ballots.openedAt), isNull(ballots.closedAt), lte(ballots.closesAt, now)));
	for (const { id } of toClose) {
		try {
			const { closedAt } = await closeLoadedBallot(database, await loadBallot(database.db, id), null, { waitForPaper: true });
			report.closed.push({ ballotId: id, closedAt });
		} catch (error) {
			if (error instanceof DomainError && (error.code === 'paper_pending' || error.code === 'choices_unsettled')) {
				report.waiting.push(id);
				await tellCommitteeCloseWaits(database, id, error.message, error.code);
				continue;
			}
			// Closed meanwhile by a person or another process: nothing to do.
			if (error instanceof DomainError && error.code === 'rule') continue;
			report.problems.push({ ballotId: id, message: error instanceof Error ? error.message : String(error) });
		}
	}

	for (const days of REMINDER_DAYS) {
		const due = await database.db
			.select({ id: ballots.id })
			.from(ballots)
			.where(
				and(
					isNotNull(ballots.openedAt),
					isNull(ballots.closedAt),
					lte(ballots.closesAt, now + days * DAY_MS),
					gt(ballots.closesAt, now)
				)
			);
		for (const { id } of due) report.reminded += await remindNonVoters(database, id, days);
	}
	return report;
}

/** Once per ballot: the 业委会 of every participating compound hears that the close waits, and why. */
async function tellCommitteeCloseWaits(database: Database, ballotId: string, reason: string, code: string): Promise<void> {
	const settle = code === 'choices_unsettled';
	const ballot = await loadBallot(database.db, ballotId);
	await database.write(async (tx) => {
		const committee = await grantHolders(
			tx,
			'owners_committee',
			ballot.compounds.map((c) => c.compoundId)
		);
		await notify(tx, committee, {
			kind: 'ballot.close_waits',
			title: `“${ballot.title}”已到截止时间（${formatDateTime(ballot.closesAt)}），但还不能结束计票`,
			body: settle
				? `${reason}。请打开“核对不一致的投票”，问清业主后由两位成员处理；处理完后系统会自动结束计票。`
				: `${reason}。录入核对完成后系统会自动结束计票；也可以由业委会手动结束（未完成的纸质票不计入）。`,
			href: settle ? `/manage/ballots/${ballotId}/settle` : `/manage/ballots/${ballotId}`,
			dedupeKey: settle ? `ballot-close-waits-settle:${ballotId}` : `ballot-close-waits:${ballotId}`
		});
	});
}

export interface Scheduler {
	/** Resolves when the pass under way (if any) has finished; no pass starts afterwards. */
	stop(): Promise<void>;
	/** Runs a pass now (after the one under way); for tests and for the start-up catch-up. */
	runNow(): Promise<PassReport>;
}

/**
 * Starts the scheduler: one pass at once (catching up on what fell due while the server was down),
 * then one every `intervalMs`. Passes never overlap within a process.
 */
export function startScheduler(database: Database, options: { intervalMs?: number; log?: (line: string) => void } = {}): Scheduler {
	const intervalMs = options.intervalMs ?? 30_000;
	const log = options.log ?? ((line: string) => console.log(line));
	let running: Promise<PassReport> | null = null;
	let stopped = false;
	const pass = async (): Promise<PassReport> => {
		const report = await runDueWork(database);
		for (const id of report.opened) log(`[scheduler] 已自动开始投票 ${id}`);
		for (const c of report.closed) log(`[scheduler] 已自动结束计票 ${c.ballotId}（截止时间 ${formatDateTime(c.closedAt)}）`);
		for (const p of report.problems) log(`[scheduler] ${p.ballotId}: ${p.message}`);
		return report;
	};
	const runNow = (): Promise<PassReport> => {
		const next = (running ?? Promise.resolve(null)).catch(() => null).then(pass);
		running = next;
		void next
			.catch((error) => log(`[scheduler] 出错：${error instanceof Error ? error.message : String(error)}`))
			.finally(() => {
				if (running === next) running = null;
			});
		return next;
	};
	void runNow().catch(() => undefined);
	const timer = setInterval(() => {
		if (!stopped && running === null) void runNow().catch(() => undefined);
	}, intervalMs);
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running?.catch(() => undefined);
		},
		runNow
	};
}
