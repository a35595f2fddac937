/**
 * 落实看板 figures for a 居委 or 片区: items open, overdue, closed, and the median number of
 * days from the final record to 销项. Days are China calendar days.
 */
import { isOverdue, type TaskState } from './followthrough.ts';
import { chinaDayNumber } from './window.ts';

export interface ItemForStats {
	/** When the decision became final (the final record); the clock of follow-through starts there. */
	startedAt: number;
	closedAt: number | null;
	tasks: TaskState[];
}

export interface DashboardStats {
	open: number;
	/** Open items with at least one overdue task. */
	overdue: number;
	closed: number;
	/** Median whole days to close; a half day when the count of closed items is even. null when none closed. */
	medianDaysToClose: number | null;
}

export function daysBetween(from: number, to: number): number {
	return chinaDayNumber(to) - chinaDayNumber(from);
}

/** Median of integers; exact, since the mean of two integers is a multiple of 1/2. */
export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function dashboardStats(items: ItemForStats[], now: number): DashboardStats {
	const closed = items.filter((i) => i.closedAt !== null);
	const open = items.filter((i) => i.closedAt === null);
	return {
		open: open.length,
		overdue: open.filter((i) => i.tasks.some((t) => isOverdue(t, now))).length,
		closed: closed.length,
		medianDaysToClose: median(closed.map((i) => daysBetween(i.startedAt, i.closedAt!)))
	};
}
