import { describe, expect, it } from 'vitest';
import { formatChinaDay, formatDate, formatDateTime } from '../../../src/lib/i18n/format.ts';
import { withLocale } from '../../../src/lib/server/i18n.ts';
import { chinaDayNumber } from '../../../src/lib/domain/time/china-date.ts';

// 2026-11-22 23:30 in Shanghai is still 22 November there, though it is the 22nd 15:30 UTC.
const lateEvening = Date.UTC(2026, 10, 22, 15, 30);
// 2026-11-22 00:30 in Shanghai is 21 November 16:30 UTC: the China date is the 22nd.
const afterMidnight = Date.UTC(2026, 10, 21, 16, 30);

describe('dates in the reader language, always China time', () => {
	it('writes Chinese as a notice board does', () => {
		withLocale('zh-CN', () => {
			expect(formatDate(lateEvening)).toBe('2026年11月22日');
			expect(formatDateTime(afterMidnight)).toBe('2026年11月22日 00:30');
			expect(formatChinaDay(chinaDayNumber(Date.UTC(2025, 9, 9, 4)))).toBe('2025年10月9日（星期四）');
		});
	});

	it('writes English day month year with the China date, not the UTC one', () => {
		withLocale('en', () => {
			expect(formatDate(lateEvening)).toBe('22 Nov 2026');
			expect(formatDateTime(afterMidnight)).toBe('22 Nov 2026, 00:30');
			expect(formatChinaDay(chinaDayNumber(Date.UTC(2025, 9, 9, 4)))).toBe('Thu 9 Oct 2025');
		});
	});

	it('falls back to Chinese outside a request', () => {
		expect(formatDate(lateEvening)).toBe('2026年11月22日');
	});
});
