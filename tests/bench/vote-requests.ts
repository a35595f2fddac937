/**
 * The requests one browser vote sends, exactly as the ballot page's enhanced forms make them (src/routes/vote/[id]/
 * +page.svelte with `reloadingOnly` from src/lib/client/forms.ts). The flow bench (flow.ts) sends these and
 * tests/e2e/vote-requests.test.ts records a real Chromium voting on the page and checks it sends the same, so the bench
 * cannot drift from what an owner's browser does.
 *
 * 1. GET the page (server-rendered; the page's words come in it, so nothing else is fetched);
 *    核对 (the check step) is then shown by the page itself from that page's data: no request (without JavaScript
 *    it is a plain POST `?/review`, rendered by the server);
 * 2. POST `?/cast` (确认投票) with the same choices (the check step's hidden inputs). Its answer carries the receipt
 *    and the turnout counting the vote, so nothing is reloaded after it.
 *
 * Static files under /_app/ (cached by the browser, not app requests) are not part of it.
 */
export interface VoteRequest {
	method: 'GET' | 'POST';
	/** Path and query, as the browser sends them. */
	path: string;
	/** The form body of a POST (application/x-www-form-urlencoded, fields in the form's order). */
	body?: string;
	/** What a right answer is: the HTML page, or an action's JSON answer of type success. */
	answer: 'page' | 'action';
}

/** The form body the ballot page posts for `choices` (motion id → choice, in the page's motion order). */
export function voteBody(choices: Record<string, string>): string {
	return new URLSearchParams(Object.entries(choices).map(([motion, choice]) => [`m-${motion}`, choice])).toString();
}

export function browserVoteRequests(ballotId: string, choices: Record<string, string>): VoteRequest[] {
	const page = `/vote/${ballotId}`;
	const body = voteBody(choices);
	return [
		{ method: 'GET', path: page, answer: 'page' },
		{ method: 'POST', path: `${page}?/cast`, body, answer: 'action' }
	];
}
