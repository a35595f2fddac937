import { error } from '@sveltejs/kit';
import type { Actor } from '$lib/domain/access/policy';

/** The administration area is for the administrator and 居委 staff; each action checks its own scope. */
export function requireAdminArea(actor: Actor): void {
	if (!actor.grants.some((g) => g.role === 'admin' || g.role === 'committee_staff'))
		error(403, '只有系统管理员或居委工作人员可以进入管理后台');
}
