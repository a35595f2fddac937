import { error } from '@sveltejs/kit';
import type { Actor } from '$lib/domain/access/policy';
import { m } from '$lib/paraglide/messages';

/** The administration area is for the administrator and 居委 staff; each action checks its own scope. */
export function requireAdminArea(actor: Actor): void {
	if (!actor.grants.some((g) => g.role === 'admin' || g.role === 'committee_staff')) error(403, m.admin_area_forbidden());
}
