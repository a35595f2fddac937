/**
 * Waiting in tests: for an event, never for time (STYLE.md guideline 16). A test that sleeps and
 * then asserts that something did not happen passes on an idle machine and fails on a loaded one;
 * wait for the event instead, or for a later answer on the same channel (a positive barrier).
 *
 * The only timer-based waits of tests/ live here; tests/unit/test-habits.test.ts fails when one
 * appears elsewhere outside its allow-list.
 */

export interface WaitOptions {
	/** Give up after this long (a deadline, not a pause: the wait ends as soon as the condition holds). */
	timeoutMs?: number;
	/** How often to look again. */
	everyMs?: number;
	/** Named in the error when the deadline passes. */
	what?: string;
}

/** Resolves once `condition` holds (it may be async), looking again every few milliseconds. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
	const { timeoutMs = 30_000, everyMs = 20, what = 'condition' } = options;
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await pace(everyMs);
	}
}

/**
 * A pause between rounds of a loop that does work every round: a typing cadence, a latency probe,
 * a load generator. Never a wait for something to happen, and never before an assertion.
 */
export function pace(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
