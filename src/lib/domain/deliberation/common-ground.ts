/**
 * 共识: residents answer short statements with 同意 / 不同意 / 跳过. A statement is common ground
 * when a majority of those who answered in EVERY participating compound agree; it divides when
 * a majority agrees in one compound and a majority disagrees in another. Exact integers only:
 * "a majority" is strictly more than half (2·agree > answered), as in 过半数.
 */

import { m } from '../../paraglide/messages.js';

export type StatementChoice = 'agree' | 'disagree' | 'pass';

export const CHOICE_LABELS: Record<StatementChoice, string> = { agree: '同意', disagree: '不同意', pass: '跳过' };

export function isStatementChoice(value: unknown): value is StatementChoice {
	return value === 'agree' || value === 'disagree' || value === 'pass';
}

export interface CompoundCounts {
	compoundId: string;
	agree: number;
	disagree: number;
	pass: number;
}

export type GroundClass = 'shared' | 'shared_against' | 'divisive' | 'mixed' | 'too_few';

export const GROUND_LABELS: Record<GroundClass, string> = {
	shared: '各小区多数同意',
	shared_against: '各小区多数不同意',
	divisive: '各小区意见相反',
	mixed: '尚无多数',
	too_few: '表态人数不足'
};

/** The class as the reader's page shows it (GROUND_LABELS holds the Chinese words). */
export function groundLabel(ground: GroundClass): string {
	const say: Record<GroundClass, () => string> = {
		shared: m.delib_ground_label_shared,
		shared_against: m.delib_ground_label_shared_against,
		divisive: m.delib_ground_label_divisive,
		mixed: m.delib_ground_label_mixed,
		too_few: m.delib_ground_label_too_few
	};
	return say[ground]();
}

/** Fewer answers than this in any compound and nothing is concluded for the statement. */
export const DEFAULT_MIN_ANSWERS = 3;

export type CompoundLeaning = 'agree' | 'disagree' | 'none';

export function leaning(c: CompoundCounts): CompoundLeaning {
	const answered = c.agree + c.disagree + c.pass;
	if (2 * c.agree > answered) return 'agree';
	if (2 * c.disagree > answered) return 'disagree';
	return 'none';
}

/**
 * Classifies one statement over the participating compounds. Every participating compound must
 * appear in `counts` (a missing one counts as no answers, so too_few).
 */
export function classifyStatement(
	participating: readonly string[],
	counts: readonly CompoundCounts[],
	minAnswers = DEFAULT_MIN_ANSWERS
): GroundClass {
	if (participating.length === 0) return 'too_few';
	const byId = new Map(counts.map((c) => [c.compoundId, c]));
	const rows = participating.map((id) => byId.get(id) ?? { compoundId: id, agree: 0, disagree: 0, pass: 0 });
	if (rows.some((r) => r.agree + r.disagree + r.pass < minAnswers)) return 'too_few';
	const leanings = rows.map(leaning);
	if (leanings.every((l) => l === 'agree')) return 'shared';
	if (leanings.every((l) => l === 'disagree')) return 'shared_against';
	if (leanings.includes('agree') && leanings.includes('disagree')) return 'divisive';
	return 'mixed';
}
