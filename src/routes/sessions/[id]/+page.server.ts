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

/** An agenda item's own forms answer under the item. */
const itemForm = (v: Record<string, string>) => `edit-${v.itemId}`;
const AGENDA_CHANGED = '议程改动后，各召集方需要重新签字。';

export const actions: Actions = {
	convenor: formAction({ fields: ['nodeId'], form: 'convenor', ok: '已添加召集方' }, (c) =>
		addConvenor(c.database, c.actor, c.params.id, c.values.nodeId)
	),
	item: formAction(
		{ fields: ['title', 'question', 'rule', 'background', 'concernId'], form: 'item', ok: `已添加议题。${AGENDA_CHANGED}` },
		({ database, actor, values, data, params }) =>
			addAgendaItem(database, actor, params.id, {
				title: values.title,
				question: values.question,
				rule: values.rule,
				background: values.background,
				concernId: values.concernId || null,
				impacts: impactRows(data)
			})
	),
	editItem: formAction(
		{ fields: ['itemId', 'title', 'question', 'rule', 'background'], form: itemForm, ok: `已保存修改。${AGENDA_CHANGED}` },
		({ database, actor, values, data }) =>
			editAgendaItem(database, actor, values.itemId, {
				title: values.title,
				question: values.question,
				rule: values.rule,
				background: values.background,
				impacts: impactRows(data)
			})
	),
	moveItem: formAction(
		{ fields: ['itemId', 'direction'], form: itemForm, ok: (_, v) => (v.direction === 'up' ? '已上移' : '已下移') },
		(c) => moveAgendaItem(c.database, c.actor, c.values.itemId, c.values.direction)
	),
	signoff: formAction({ fields: ['nodeId'], form: 'signoff', ok: '已签字' }, (c) =>
		signOffAgenda(c.database, c.actor, c.params.id, c.values.nodeId)
	),
	publish: formAction({ form: 'publish', ok: '议程已公布，参与小区的居民会收到通知。' }, (c) =>
		publishAgenda(c.database, c.actor, c.params.id)
	),
	remind: formAction({ form: 'publish', ok: (n) => `已提醒 ${n} 位尚未签字的召集方成员` }, (c) =>
		remindSignOffs(c.database, c.actor, c.params.id)
	),
	advance: formAction({ fields: ['to'], form: 'advance', ok: '已进入下一阶段' }, (c) =>
		advancePhase(c.database, c.actor, c.params.id, c.values.to)
	),
	invite: formAction({ fields: ['name'], form: 'invite', ok: '已约请' }, (c) =>
		inviteDepartment(c.database, c.actor, c.params.id, c.values.name)
	),
	respond: formAction({ fields: ['departmentId', 'response'], form: 'invite', ok: '已登记书面回复' }, (c) =>
		recordDepartmentResponse(c.database, c.actor, c.values.departmentId, c.values.response)
	),
	timetable: formAction({ form: 'timetable', ok: '时间表已保存' }, ({ database, actor, data, params }) =>
		setTimetable(
			database,
			actor,
			params.id,
			PHASES.map((phase) => ({
				phase: phase as Phase,
				startsOn: String(data.get(`${phase}.start`) ?? ''),
				endsOn: String(data.get(`${phase}.end`) ?? '')
			})).filter((r) => r.startsOn || r.endsOn)
		)
	),
	meeting: formAction(
		{ fields: ['title', 'startsAt', 'place'], form: 'meeting', ok: '会议已安排，参与居民会收到通知' },
		({ database, actor, values, params }) =>
			scheduleMeeting(database, actor, params.id, {
				title: values.title,
				place: values.place,
				// datetime-local is China time, as a notice board writes it; an empty field is the service's to refuse.
				startsAt: values.startsAt.trim() ? requireChinaDateTime(values.startsAt, 'startsAt', '会议时间') : 0
			})
	),
	vote: formAction(
		{
			fields: ['itemId'],
			form: (v) => `vote-${v.itemId}`,
			ok: (r: { href: string }) => ({ ok: '这个议题在已公布的议程中，可以发起表决。', href: r.href })
		},
		(c) => requestVoteOnItem(c.database, c.actor, c.values.itemId)
	)
};
