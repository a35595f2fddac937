/**
 * 落实反馈 → 评议 → 销项: the closure rule of a decided item, and when a task is overdue.
 * An item closes only when it has at least one task, every task is done, and residents have
 * rated the result; a task is overdue once its due date (a China calendar day) has passed
 * and it is not done.
 */
import { chinaDayNumber, parseChinaDate } from './window.ts';
import { m } from '../../paraglide/messages.js';

export type TaskStatus = 'planned' | 'in_progress' | 'done';
export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { planned: '未开始', in_progress: '进行中', done: '已完成' };
export const RATING_LABELS: Record<Rating, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };
export const TASK_STATUSES = Object.keys(TASK_STATUS_LABELS) as TaskStatus[];
export const RATINGS = Object.keys(RATING_LABELS) as Rating[];

/** Ratings needed before an item may close. One verified resident's word is the floor, not a quorum. */
export const MIN_RATINGS_TO_CLOSE = 1;

export interface TaskState {
	status: TaskStatus;
	/** YYYY-MM-DD, China calendar. */
	dueDate: string;
}

export function isOverdue(task: TaskState, now: number): boolean {
	if (task.status === 'done') return false;
	const due = parseChinaDate(task.dueDate);
	return due !== null && chinaDayNumber(now) > due;
}

export type ClosureCheck = { ok: true } | { ok: false; reasons: string[] };

export function closureCheck(item: { tasks: TaskState[]; ratings: number; closed: boolean }): ClosureCheck {
	const reasons: string[] = [];
	if (item.closed) reasons.push(m.records_error_already_closed());
	if (item.tasks.length === 0) reasons.push(m.records_closure_no_tasks());
	const open = item.tasks.filter((t) => t.status !== 'done').length;
	if (open > 0) reasons.push(m.records_closure_open_tasks({ count: open }));
	if (item.ratings < MIN_RATINGS_TO_CLOSE) reasons.push(m.records_closure_no_ratings());
	return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Residents may rate once every task is done (and before the item closes). */
export function mayRate(item: { tasks: TaskState[]; closed: boolean }): boolean {
	return !item.closed && item.tasks.length > 0 && item.tasks.every((t) => t.status === 'done');
}
