import { safeRedirectPath } from '../domain/auth/redirect.ts';
import type { Actor } from '../domain/access/policy.ts';
import type { Database } from './db/client.ts';
import { loadActor } from './access.ts';
import { unreadCount } from './notifications/inbox.ts';
import { hasReadableDraftSet } from './drafting/index.ts';
import { m } from '../paraglide/messages.js';

export interface NavItem {
	href: string;
	label: string;
	/** A plain sentence under the tile on the home page. */
	hint: string;
}

/**
 * The menu a signed-in person sees: only what they can use. `known` is the person's actor when the request already
 * read it (requireActor: the request hook's, while no write has finished since); otherwise it is read here.
 */
export async function navigationFor(database: Database, userId: string, known?: Actor): Promise<NavItem[]> {
	const actor = known !== undefined && known.userId === userId ? known : await loadActor(database, userId);
	const items: NavItem[] = [
		{ href: '/concerns', label: m.nav_concerns(), hint: m.nav_concerns_hint() },
		{ href: '/sessions', label: m.nav_sessions(), hint: m.nav_sessions_hint() }
	];
	if (actor.memberships.length > 0) items.push({ href: '/account', label: m.nav_account(), hint: m.nav_account_hint() });
	if (actor.memberships.some((m) => m.relation === 'owner')) items.push({ href: '/vote', label: m.nav_vote(), hint: m.nav_vote_hint() });
	if (await hasReadableDraftSet(database, actor)) items.push({ href: '/drafts', label: m.nav_drafts(), hint: m.nav_drafts_hint() });
	if (actor.grants.length > 0) items.push({ href: '/manage', label: m.nav_manage(), hint: m.nav_manage_hint() });
	if (actor.grants.some((g) => g.role === 'admin' || g.role === 'committee_staff')) {
		items.push({ href: '/admin', label: m.nav_admin(), hint: m.nav_admin_hint() });
	}
	items.push({ href: '/records', label: m.nav_records(), hint: m.nav_records_hint() });
	const unread = await unreadCount(database, userId);
	items.push({ href: '/inbox', label: unread > 0 ? m.nav_inbox_unread({ count: unread }) : m.nav_inbox(), hint: m.nav_inbox_hint() });
	return items;
}

/** Only same-site paths may be redirect targets after login or a setting change (see safeRedirectPath). */
export function safeNext(next: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
	return safeRedirectPath(next, fallback);
}
