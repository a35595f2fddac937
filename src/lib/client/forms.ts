import type { SubmitFunction } from '@sveltejs/kit';
import { invalidate } from '$app/navigation';

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

/**
 * `use:enhance` for a form whose success changes only what the loads depending on `changes` show (see `depends`), or
 * nothing the page shows from its loads (`changes` null: an answer that carries the whole change): the page takes the
 * server's answer and reloads only those loads, not every load of the page as `update()` does. Typed text is kept;
 * `setBusy` as whileBusy; `answered` runs once the answer is shown. Without JavaScript the form is a plain post and the
 * server renders the whole page, as before.
 */
export function reloadingOnly(
	setBusy: (busy: boolean) => void,
	changes: `${string}:${string}` | null,
	answered?: () => void
): SubmitFunction {
	return () => {
		setBusy(true);
		return async ({ update, result }) => {
			// As update() does: the reload first, then the answer is shown (the reload keeps the form's answer).
			if (result.type === 'success' && changes !== null) await invalidate(changes);
			await update({ reset: false, invalidateAll: false });
			answered?.();
			setBusy(false);
		};
	};
}
