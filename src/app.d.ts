import type { SessionUser, Session } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			elderMode: boolean;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
