import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as guard } from '$lib/server/http';
import { setItemLimits } from '$lib/server/agenda';
import { hidePost, itemDebate, postArgument, replyToArgument, restorePost } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	return { debate: await guard(() => itemDebate(getDatabase(), actor, event.params.itemId)) };
};

export const actions: Actions = {
	argue: formAction(['stance', 'body'], 'argue', async ({ database, actor, values, params }) => {
		await postArgument(database, actor, params.itemId, { stance: values.stance, body: values.body });
		return '已发表';
	}),
	reply: formAction(
		['parentId', 'body'],
		(v) => `reply-${v.parentId}`,
		async ({ database, actor, values }) => {
			await replyToArgument(database, actor, values.parentId, values.body);
			return '已回复';
		}
	),
	hide: formAction(
		['postId', 'reason'],
		(v) => `hide-${v.postId}`,
		async ({ database, actor, values }) => {
			await hidePost(database, actor, values.postId, values.reason);
			return '已隐藏，理由已公开并记入管理记录';
		}
	),
	restore: formAction(
		['postId', 'reason'],
		(v) => `hide-${v.postId}`,
		async ({ database, actor, values }) => {
			await restorePost(database, actor, values.postId, values.reason);
			return '已恢复';
		}
	),
	limits: formAction(['maxTurns', 'maxChars', 'speakSeconds'], 'limits', async ({ database, actor, values, params }) => {
		await setItemLimits(database, actor, params.itemId, {
			maxTurns: Number(values.maxTurns),
			maxChars: Number(values.maxChars),
			speakSeconds: Number(values.speakSeconds)
		});
		return '发言规则已更新';
	})
};
