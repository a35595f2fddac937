import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { listDraftSets } from '$lib/server/drafting';
import { load as guard } from '$lib/server/http';
import { requireChinaDateTime } from '$lib/server/util/dates';
import {
	addAgendaItem,
	addConvenor,
	editAgendaItem,
	moveAgendaItem,
	advancePhase,
	convenorChoices,
	inviteDepartment,
	publishAgenda,
	recordDepartmentResponse,
	remindSignOffs,
	requestVoteOnItem,
	sessionView,
	setTimetable,
	signOffAgenda
} from '$lib/server/agenda';
import { scheduleMeeting, sessionMeetings } from '$lib/server/deliberation';
import { formAction } from '$lib/server/forms';
import { PHASES, type Phase } from '$lib/domain/agenda/phases';

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const database = getDatabase();
	return guard(async () => {
		const session = await sessionView(database, actor, event.params.id);
		const drafts = (await listDraftSets(database, actor)).filter((d) => d.sessionId === session.id && d.minutesOf === null);
		return {
			session,
			meetings: await sessionMeetings(database, session.id),
			drafts,
			convenorChoices: session.may.manage ? await convenorChoices(database, session.id) : []
		};
	});
};

/** The impact rows of an item form: one compound, its costs and its benefits per row. */
function impactRows(data: FormData) {
	return data.getAll('impactCompound').map((compoundId, i) => ({
		compoundId: String(compoundId),
		costs: String(data.getAll('costs')[i] ?? ''),
		benefits: String(data.getAll('benefits')[i] ?? '')
	}));
}

export const actions: Actions = {
	convenor: formAction(['nodeId'], 'convenor', async ({ database, actor, values, params }) => {
		await addConvenor(database, actor, params.id, values.nodeId);
		return '已添加召集方';
	}),
	item: formAction(
		['title', 'question', 'rule', 'background', 'concernId'],
		'item',
		async ({ database, actor, values, data, params }) => {
			await addAgendaItem(database, actor, params.id, {
				title: values.title,
				question: values.question,
				rule: values.rule,
				background: values.background,
				concernId: values.concernId || null,
				impacts: impactRows(data)
			});
			return '已添加议题。议程改动后，各召集方需要重新签字。';
		}
	),
	editItem: formAction(
		['itemId', 'title', 'question', 'rule', 'background'],
		(v) => `edit-${v.itemId}`,
		async ({ database, actor, values, data }) => {
			await editAgendaItem(database, actor, values.itemId, {
				title: values.title,
				question: values.question,
				rule: values.rule,
				background: values.background,
				impacts: impactRows(data)
			});
			return '已保存修改。议程改动后，各召集方需要重新签字。';
		}
	),
	moveItem: formAction(
		['itemId', 'direction'],
		(v) => `edit-${v.itemId}`,
		async ({ database, actor, values }) => {
			await moveAgendaItem(database, actor, values.itemId, values.direction);
			return values.direction === 'up' ? '已上移' : '已下移';
		}
	),
	signoff: formAction(['nodeId'], 'signoff', async ({ database, actor, values, params }) => {
		await signOffAgenda(database, actor, params.id, values.nodeId);
		return '已签字';
	}),
	publish: formAction([], 'publish', async ({ database, actor, params }) => {
		await publishAgenda(database, actor, params.id);
		return '议程已公布，参与小区的居民会收到通知。';
	}),
	remind: formAction(
		[],
		'publish',
		async ({ database, actor, params }) => `已提醒 ${await remindSignOffs(database, actor, params.id)} 位尚未签字的召集方成员`
	),
	advance: formAction(['to'], 'advance', async ({ database, actor, values, params }) => {
		await advancePhase(database, actor, params.id, values.to);
		return '已进入下一阶段';
	}),
	invite: formAction(['name'], 'invite', async ({ database, actor, values, params }) => {
		await inviteDepartment(database, actor, params.id, values.name);
		return '已约请';
	}),
	respond: formAction(['departmentId', 'response'], 'invite', async ({ database, actor, values }) => {
		await recordDepartmentResponse(database, actor, values.departmentId, values.response);
		return '已登记书面回复';
	}),
	timetable: formAction([], 'timetable', async ({ database, actor, data, params }) => {
		const rows = PHASES.map((phase) => ({
			phase: phase as Phase,
			startsOn: String(data.get(`${phase}.start`) ?? ''),
			endsOn: String(data.get(`${phase}.end`) ?? '')
		})).filter((r) => r.startsOn || r.endsOn);
		await setTimetable(database, actor, params.id, rows);
		return '时间表已保存';
	}),
	meeting: formAction(['title', 'startsAt', 'place'], 'meeting', async ({ database, actor, values, params }) => {
		// datetime-local is China time, as a notice board writes it; an empty field is the service's to refuse.
		const startsAt = values.startsAt.trim() ? requireChinaDateTime(values.startsAt, 'startsAt', '会议时间') : 0;
		await scheduleMeeting(database, actor, params.id, { title: values.title, place: values.place, startsAt });
		return '会议已安排，参与居民会收到通知';
	}),
	vote: formAction(
		['itemId'],
		(v) => `vote-${v.itemId}`,
		async ({ database, actor, values }) => ({
			ok: '这个议题在已公布的议程中，可以发起表决。',
			href: (await requestVoteOnItem(database, actor, values.itemId)).href
		})
	)
};
