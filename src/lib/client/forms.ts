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

/**
 * `use:enhance` that reports the post in flight through `setBusy` (to disable its button until the server answers).
 * `reset: false` keeps what was typed; the default clears the form as a plain post would.
 */
export function whileBusy(setBusy: (busy: boolean) => void, options: { reset?: boolean } = {}): SubmitFunction {
	return () => {
		setBusy(true);
		return async ({ update }) => {
			await update(options);
			setBusy(false);
		};
	};
}
