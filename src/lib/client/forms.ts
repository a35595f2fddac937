import type { SubmitFunction } from '@sveltejs/kit';

/** `use:enhance` that keeps what was typed: the page takes the server's answer, the form is never cleared. */
export const keepTyped: SubmitFunction =
	() =>
	async ({ update }) =>
		update({ reset: false });

/** `use:enhance` that clears the form only once the server accepted it; a refusal keeps what was typed. */
export const clearOnSuccess: SubmitFunction =
	() =>
	async ({ update, result }) =>
		update({ reset: result.type === 'success' });
