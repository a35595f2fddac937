import { safeRedirectPath } from '../domain/auth/redirect.ts';
import type { Database } from './db/client.ts';
import { loadActor } from './access.ts';
import { unreadCount } from './notifications/inbox.ts';
import { listDraftSets } from './drafting/index.ts';

export interface NavItem {
	href: string;
	label: string;
	/** A plain sentence under the tile on the home page. */
	hint: string;
}

/** The menu a signed-in person sees: only what they can use. */
export async function navigationFor(database: Database, userId: string): Promise<NavItem[]> {
	const actor = await loadActor(database, userId);
	const items: NavItem[] = [
		{ href: '/concerns', label: '议题', hint: '提出身边的问题，给邻居的问题附议' },
		{ href: '/sessions', label: '协商会', hint: '议程、讨论、共识和会议记录' }
	];
	if (actor.memberships.length > 0) items.push({ href: '/account', label: '我的房屋', hint: '已核验的房屋和账号' });
	if (actor.memberships.some((m) => m.relation === 'owner'))
		items.push({ href: '/vote', label: '投票', hint: '业主表决：网上投票、查看回执' });
	if ((await listDraftSets(database, actor)).length > 0)
		items.push({ href: '/drafts', label: '方案', hint: '一起起草方案，评论和版本对比' });
	if (actor.grants.length > 0) items.push({ href: '/manage', label: '管理', hint: '房屋清册、核验信、表决、公示' });
	if (actor.grants.some((g) => g.role === 'admin' || g.role === 'committee_staff')) {
		items.push({ href: '/admin', label: '管理后台', hint: '社区结构（街道到楼栋）、角色授权' });
	}
	items.push({ href: '/records', label: '公示', hint: '决议结果和落实情况，人人可查' });
	const unread = await unreadCount(database, userId);
	items.push({ href: '/inbox', label: unread > 0 ? `消息(${unread})` : '消息', hint: '需要您处理的事和最新动态' });
	return items;
}

/** Only same-site paths may be redirect targets after login or a setting change (see safeRedirectPath). */
export function safeNext(next: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
	return safeRedirectPath(next, fallback);
}
