import type { Database } from './db/client.ts';
import { loadActor } from './access.ts';
import { listDraftSets } from './drafting/index.ts';

export interface NavItem {
	href: string;
	label: string;
}

/** The menu a signed-in person sees: only what they can use. */
export async function navigationFor(database: Database, userId: string): Promise<NavItem[]> {
	const actor = await loadActor(database, userId);
	const items: NavItem[] = [{ href: '/records', label: '公示' }];
	if (actor.memberships.length > 0) items.push({ href: '/account', label: '我的房屋' });
	if (actor.memberships.some((m) => m.relation === 'owner')) items.push({ href: '/vote', label: '投票' });
	if ((await listDraftSets(database, actor)).length > 0) items.push({ href: '/drafts', label: '方案' });
	if (actor.grants.length > 0) items.push({ href: '/manage', label: '管理' });
	return items;
}

/** Only same-site paths may be redirect targets after login or a setting change. */
export function safeNext(next: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
	const value = typeof next === 'string' ? next : '';
	return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}
