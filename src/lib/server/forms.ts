import type { RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../domain/access/policy.ts';
import { getDatabase, type Database } from './db/client.ts';
import { act, formValues } from './http.ts';
import { requireActor } from './require-user.ts';

/** What a form action's service call is given. */
export interface FormActionContext {
	database: Database;
	actor: Actor;
	/** The named fields as typed, plus `_form`. */
	values: Record<string, string>;
	/** The whole form, for repeated or computed fields. */
	data: FormData;
	params: Record<string, string>;
	event: RequestEvent;
}

/**
 * A confirmation for the form that was sent; `href` where the page should offer a next step; `_form` where it
 * belongs under another form's name (a row that moved to another list).
 */
export type FormActionDone = string | { ok: string; href?: string; _form?: string };

/** Which fields a form action reads, the name its outcome is shown under, and its confirmation. */
export interface FormActionSpec<R> {
	fields?: string[];
	/** A fixed name, or one made from the fields for a form repeated per row. */
	form: string | ((values: Record<string, string>) => string);
	/** The Chinese confirmation, fixed or made from what the service returned and the fields. */
	ok: FormActionDone | ((result: R, values: Record<string, string>) => FormActionDone);
}

/**
 * The common shape of a form action: the signed-in actor, the named fields kept under the form's name,
 * one service call, its confirmation, and domain errors mapped by act() with the person's input kept.
 */
export function formAction<R>(spec: FormActionSpec<R>, run: (context: FormActionContext) => Promise<R>) {
	return async (event: RequestEvent) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const typed = formValues(data, spec.fields ?? []);
		const name = typeof spec.form === 'string' ? spec.form : spec.form(typed);
		const values: Record<string, string> = { ...typed, _form: name };
		const params = event.params as Record<string, string>;
		return act(async () => {
			const result = await run({ database: getDatabase(), actor, values, data, params, event });
			const done = typeof spec.ok === 'function' ? spec.ok(result, values) : spec.ok;
			return typeof done === 'string' ? { _form: name, ok: done } : { _form: name, ...done };
		}, values);
	};
}
