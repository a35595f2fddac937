import type { SessionUser, Session } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			elderMode: boolean;
			/** The reader's language (cookie `yishi_lang`), 简体中文 by default: see server/i18n.ts. */
			locale: import('$lib/paraglide/runtime').Locale;
			/**
			 * The signed-in user's actor as read with the session (one statement), and the write
			 * epoch it was read at: requireActor uses it only while no write has finished in this
			 * process since, so an action's own write is never hidden by it.
			 */
			/** The words file a page's first render carries in its HTML (routes/+layout.server.ts, lib/server/words.ts). */
			inlineWords?: string;
			actor?: { actor: import('$lib/domain/access/policy').Actor; epoch: number } | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
