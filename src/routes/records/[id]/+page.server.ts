import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { loadActor } from '$lib/server/access';
import { authenticate } from '$lib/server/auth/accounts';
import { signIn } from '$lib/server/auth/sign-in';
import { act, formValues, load as guard } from '$lib/server/http';
import { fileObjection, getPublicRecord, rateOutcome } from '$lib/server/records';
import type { Actor } from '$lib/domain/access/policy';
import { m } from '$lib/paraglide/messages';
import { clock } from '$lib/server/util/clock';
import { chinaYear } from '$lib/domain/time/china-date';

/** Public, light and fast: server-rendered, no JavaScript needed (forms post plainly). */
export const csr = false;

function isMember(actor: Actor, compoundIds: string[]): boolean {
	return actor.memberships.some((m) => compoundIds.includes(m.compoundId));
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const record = await guard(() => getPublicRecord(getDatabase(), params.id));
	const compoundIds = record.document.content.compounds.map((c) => c.compoundId);
	// Who may object is shown before anyone types: a signed-in person outside the participating
	// compounds sees why instead of a form they cannot submit.
	const mayObject = locals.user ? isMember(await loadActor(getDatabase(), locals.user.id), compoundIds) : null;
	// "This year" by the server's clock (which tests and a clock offset move), not the machine's date.
	const thisYear = chinaYear(clock.now());
	return { record, signedIn: locals.user !== null, mayObject, objected: url.searchParams.has('objected'), thisYear };
};

export const actions: Actions = {
	/**
	 * Without JavaScript on this page the text cannot wait in the browser while its author goes to log
	 * in, so an anonymous visitor logs in inside the objection form itself: the text is never sent away.
	 */
	object: async (event) => {
		const data = await event.request.formData();
		const text = String(data.get('text') ?? '');
		const values = { text, login: String(data.get('login') ?? '') };
		let actor: Actor;
		if (event.locals.user) actor = await requireActor(event);
		else {
			if (values.login.trim() === '')
				return fail(401, { message: m.records_object_login_needed(), fields: { login: m.records_object_login_field() }, values });
			const signedIn = await act(async () => {
				const user = await authenticate(getDatabase(), values.login, String(data.get('password') ?? ''), event.getClientAddress());
				await signIn(event, user.id);
				return user;
			}, values);
			if (!('id' in signedIn)) return signedIn;
			actor = await loadActor(getDatabase(), signedIn.id);
			const record = await guard(() => getPublicRecord(getDatabase(), event.params.id));
			if (
				!isMember(
					actor,
					record.document.content.compounds.map((c) => c.compoundId)
				)
			) {
				// The same rule as fileObjection's refusal, said with the way to get verified.
				return fail(403, { message: m.records_object_signed_in_not_member(), fields: {}, values: { text, login: '' } });
			}
		}
		const done = await act(() => fileObjection(getDatabase(), actor, { recordId: event.params.id, text }), { text });
		if (!('objectionId' in (done as object))) return done;
		if (!event.locals.user) redirect(303, `/records/${event.params.id}?objected=1#obj-h`);
		return { objected: true };
	},
	rate: async (event) => {
		const actor = await requireActor(event);
		const input = formValues(await event.request.formData(), ['itemId', 'rating', 'comment']);
		const done = await act(() => rateOutcome(getDatabase(), actor, input), { comment: input.comment });
		return done === undefined ? { rated: true } : done;
	}
};
