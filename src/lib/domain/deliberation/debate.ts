/**
 * 议事规则 (Robert's Rules as adapted in Nantang village): state your position, keep to the
 * turn and length limits, those who have not spoken go first, pro and con alternate.
 */

import { m } from '../../paraglide/messages.js';

export type Stance = 'pro' | 'con' | 'info';

export const STANCE_LABELS: Record<Stance, string> = { pro: '支持', con: '反对', info: '补充' };

/** The stance as the reader's page shows it (STANCE_LABELS is the Chinese word). */
export function stanceLabel(stance: Stance): string {
	return stance === 'pro' ? m.delib_stance_pro() : stance === 'con' ? m.delib_stance_con() : m.delib_stance_info();
}

export function isStance(value: unknown): value is Stance {
	return value === 'pro' || value === 'con' || value === 'info';
}

export interface TurnLimits {
	/** Posts (arguments and replies) per person per agenda item. */
	maxTurns: number;
	/** Characters per post. */
	maxChars: number;
	/** Speaking time in a meeting, seconds. */
	speakSeconds: number;
}

/** 每人每项发言不超过两次，每次两分钟 — the Nantang defaults. */
export const DEFAULT_LIMITS: TurnLimits = { maxTurns: 2, maxChars: 500, speakSeconds: 120 };

export const LIMIT_BOUNDS = { maxTurns: [1, 20], maxChars: [50, 5000], speakSeconds: [30, 1800] } as const;

export function checkLimits(limits: TurnLimits): string | null {
	for (const key of Object.keys(LIMIT_BOUNDS) as (keyof TurnLimits)[]) {
		const [lo, hi] = LIMIT_BOUNDS[key];
		const v = limits[key];
		if (!Number.isInteger(v) || v < lo || v > hi) return m.delib_limit_out_of_range({ name: LIMIT_NAMES[key](), lo, hi });
	}
	return null;
}

const LIMIT_NAMES: Record<keyof TurnLimits, () => string> = {
	maxTurns: m.delib_limit_name_turns,
	maxChars: m.delib_limit_name_chars,
	speakSeconds: m.delib_limit_name_seconds
};

/**
 * Whether a person may post once more on an item. `turnsUsed` counts their earlier posts on it,
 * hidden ones included: hiding a post does not hand its author an extra turn.
 */
export function checkTurn(turnsUsed: number, text: string, limits: TurnLimits): string | null {
	const body = text.trim();
	if (body.length === 0) return m.delib_turn_empty();
	const chars = [...body].length;
	if (chars > limits.maxChars) return m.delib_turn_too_long({ max: limits.maxChars, chars });
	if (turnsUsed >= limits.maxTurns) return m.delib_turn_used_up({ max: limits.maxTurns });
	return null;
}

export interface SpeakerRequest {
	id: string;
	/** Who asks: an account or, for a name written down at the meeting, the name. */
	speakerKey: string;
	stance: Stance;
	requestedAt: number;
}

/**
 * The order in which waiting speakers are called. Fewest turns so far first (so those who have
 * not spoken go first); among equals, a stance different from the last speaker's (pro and con
 * alternate; 补充 fits anywhere); then first come, first served. Pure and total: the result is a
 * permutation of `waiting`.
 */
export function speakingOrder<T extends SpeakerRequest>(
	waiting: readonly T[],
	spoken: ReadonlyMap<string, number>,
	lastStance: Stance | null = null
): T[] {
	const left = [...waiting].sort((a, b) => a.requestedAt - b.requestedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const turns = new Map<string, number>(spoken);
	const order: T[] = [];
	let previous = lastStance;
	while (left.length > 0) {
		const fewest = Math.min(...left.map((r) => turns.get(r.speakerKey) ?? 0));
		const candidates = left.filter((r) => (turns.get(r.speakerKey) ?? 0) === fewest);
		const alternate = previous === 'pro' || previous === 'con' ? candidates.find((r) => r.stance !== previous) : undefined;
		const pick = alternate ?? candidates[0];
		order.push(pick);
		left.splice(left.indexOf(pick), 1);
		turns.set(pick.speakerKey, (turns.get(pick.speakerKey) ?? 0) + 1);
		if (pick.stance !== 'info') previous = pick.stance;
	}
	return order;
}

export const MAX_HIDE_REASON_CHARS = 200;

/** The reason a facilitator gives for hiding a post or for showing it again. */
export function checkHideReason(reason: string, action: 'hide' | 'restore' = 'hide'): string | null {
	const r = reason.trim();
	if (r.length === 0) return action === 'hide' ? m.delib_hide_reason_missing() : m.delib_restore_reason_missing();
	if ([...r].length > MAX_HIDE_REASON_CHARS) return m.delib_reason_too_long({ max: MAX_HIDE_REASON_CHARS });
	return null;
}
