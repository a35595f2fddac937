import type { RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../domain/access/policy.ts';
import { getDatabase, type Database } from './db/client.ts';
import { act, formValues } from './http.ts';
import { requireActor } from './require-user.ts';

/** A form's fields plus the name of the form, so a page with several forms shows each outcome next to its own. */
export function formFields(data: FormData, names: string[], form: string): Record<string, string> {
	return { ...formValues(data, names), _form: form } as Record<string, string>;
}

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

/** A confirmation for the form that was sent; `href` where the page should offer a next step. */
export type FormActionDone = string | { ok: string; href?: string };

/**
 * The common shape of a form action: the signed-in actor, the named fields kept under the form's name
 * (a fixed name, or one made from the fields for a form repeated per row), one service call that returns
 * the Chinese confirmation, and domain errors mapped by act() with the person's input kept.
 */
export function formAction(
	fields: string[],
	form: string | ((values: Record<string, string>) => string),
	run: (context: FormActionContext) => Promise<FormActionDone>
) {
	return async (event: RequestEvent) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const typed = formValues(data, fields);
		const name = typeof form === 'string' ? form : form(typed);
		const values: Record<string, string> = { ...typed, _form: name };
		const params = event.params as Record<string, string>;
		return act(async () => {
			const done = await run({ database: getDatabase(), actor, values, data, params, event });
			return typeof done === 'string' ? { _form: name, ok: done } : { _form: name, ...done };
		}, values);
	};
}
