/**
 * 期间复核: recomputes each period a record states — the notice period (公告期), the voting window
 * (投票期) and the dispute window (询异期) — from its start, its length, the rule (民法典 arts.
 * 201/203) and the calendar versions the record names, and says for each whether the stated dates
 * are the rule's (✔) or not (✘).
 *
 * The calendar is rebuilt from the record alone: a version shipped with Yishi is known here exactly;
 * a year the record lists as weekends only is counted with weekends only (as it was). A version
 * entered by an installation's administrator cannot be known offline: then only the counting is
 * checked (days, first and last day, 24:00), not which days were holidays, and the line says so.
 *
 * Its lines are printed in Chinese by the verify-records command (the public record's own language); no page shows them.
 */
import type { BallotPeriods } from '../time/ballot-periods.ts';
import { BUILT_IN_YEARS, buildCalendar, type RestDayCalendar } from '../time/calendar.ts';
import { chinaMidnight, dayToIso, parseChinaDate } from '../time/china-date.ts';
import { lastDayOfEnd, ruleLastDay, type CalendarUse } from '../time/periods.ts';
import type { RecordDocument } from './document.ts';
import { disputeDateProblems } from './window.ts';

export interface PeriodCheck {
	/** 公告期 / 投票期 / 询异期 */
	name: string;
	ok: boolean;
	/** The dates as stated, in one line. */
	stated: string;
	problems: string[];
	/** False when a calendar version named is not one shipped with Yishi: holidays were not checked. */
	holidaysChecked: boolean;
}

/** The calendar a record's periods were computed with, as far as it can be known offline. */
export function calendarOfUse(use: CalendarUse): { calendar: RestDayCalendar; unknownVersions: string[] } {
	const versions = Array.isArray(use?.versions) ? use.versions : [];
	const shipped = BUILT_IN_YEARS.filter((y) => versions.includes(y.version));
	return { calendar: buildCalendar(shipped), unknownVersions: versions.filter((v) => !shipped.some((y) => y.version === v)) };
}

function noticeCheck(p: BallotPeriods, calendar: RestDayCalendar, holidays: boolean): string[] {
	const problems: string[] = [];
	const first = parseChinaDate(p.notice.countedFrom);
	const nominal = parseChinaDate(p.notice.nominalLastDay);
	const last = parseChinaDate(p.notice.lastDay);
	const opens = parseChinaDate(p.window.opensOn);
	if (first === null || nominal === null || last === null || opens === null || !Number.isInteger(p.notice.days))
		return ['公告期的日期无法读取'];
	if (nominal !== first + p.notice.days - 1) {
		problems.push(
			`自 ${p.notice.countedFrom} 起算 ${p.notice.days} 天，第 ${p.notice.days} 天应为 ${dayToIso(first + p.notice.days - 1)}`
		);
	}
	if (holidays) {
		const rule = ruleLastDay(calendar, nominal);
		if (rule.lastDay !== last) problems.push(`按法定节假日重算，公告期最后一日应为 ${dayToIso(rule.lastDay)}`);
	} else if (last < nominal) problems.push('公告期最后一日早于按天数计算的日期');
	if (Date.parse(p.notice.earliestOpening) !== chinaMidnight(last + 1)) problems.push('最早开始投票时间不是公告期最后一日 24:00');
	if (opens <= last) problems.push(`投票在公告期结束前（${p.notice.lastDay} 24:00 之前）就开始了`);
	return problems;
}

function windowCheck(p: BallotPeriods, calendar: RestDayCalendar, holidays: boolean): string[] {
	const problems: string[] = [];
	const last = parseChinaDate(p.window.lastDay);
	const closesAt = Date.parse(p.window.closesAt);
	if (last === null || !Number.isFinite(closesAt)) return ['投票期的日期无法读取'];
	if (lastDayOfEnd(closesAt) !== last) problems.push(`截止时间 ${p.window.closesAt} 不在 ${p.window.lastDay} 这一天之内`);
	if (holidays) {
		const rule = ruleLastDay(calendar, last);
		const reasons = rule.skipped.map((s) => s.reason).join('、');
		if (rule.moved) problems.push(`${p.window.lastDay} 是法定休息日（${reasons}），截止日应顺延至 ${dayToIso(rule.lastDay)}`);
	}
	return problems;
}

/** "15 天，2025-09-02 至 2025-09-16", with the counted day when the rule moved the last day. */
function countedLine(days: number, first: string, nominal: string, last: string): string {
	return `${days} 天，${first} 至 ${last}${nominal !== last ? `（第 ${days} 天 ${nominal} 顺延）` : ''}`;
}

/** ✔/✘ for each period the record states. Records published before the calendar state none. */
export function recountPeriods(doc: Pick<RecordDocument, 'content' | 'dispute' | 'publishedAt' | 'stage'>): PeriodCheck[] {
	const checks: PeriodCheck[] = [];
	const periods = doc.content?.ballot?.periods;
	if (periods) {
		const { calendar, unknownVersions } = calendarOfUse(periods.calendar);
		const holidays = unknownVersions.length === 0;
		const notice = noticeCheck(periods, calendar, holidays);
		checks.push({
			name: '公告期',
			ok: notice.length === 0,
			stated: countedLine(periods.notice.days, periods.notice.countedFrom, periods.notice.nominalLastDay, periods.notice.lastDay),
			problems: notice,
			holidaysChecked: holidays
		});
		const window = windowCheck(periods, calendar, holidays);
		const stated = `${periods.window.opensOn} 至 ${periods.window.lastDay}（截止 ${periods.window.closesAt}）`;
		checks.push({ name: '投票期', ok: window.length === 0, stated, problems: window, holidaysChecked: holidays });
	}
	// A final record repeats its preliminary's window (counted from the preliminary's publication): recounted there.
	const dispute = doc.stage === 'preliminary' ? doc.dispute : null;
	if (dispute?.calendar && dispute.nominalLastDay) {
		const { unknownVersions } = calendarOfUse(dispute.calendar);
		const problems = disputeDateProblems(dispute, doc.publishedAt).map((p) => p.zh);
		checks.push({
			name: '询异期',
			ok: problems.length === 0,
			stated: countedLine(dispute.days, dispute.firstDay, dispute.nominalLastDay, dispute.lastDay),
			problems,
			holidaysChecked: unknownVersions.length === 0
		});
	}
	return checks;
}

/** One printable line per period: "✔ 公告期 15 天，… " or "✘ 投票期 …：why". */
export function formatPeriodChecks(checks: readonly PeriodCheck[]): string[] {
	return checks.map((c) => {
		const note = c.holidaysChecked ? '' : '（节假日由本安装的管理员录入，离线只核对了天数和起止，未核对哪天放假）';
		return c.ok ? `✔ ${c.name} ${c.stated}${note}` : `✘ ${c.name} ${c.stated}：${c.problems.join('；')}${note}`;
	});
}
