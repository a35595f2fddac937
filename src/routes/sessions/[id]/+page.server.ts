import type { Actions, PageServerLoad } from './$types';
import { signedInLoad } from '$lib/server/require-user';
import { listDraftSets } from '$lib/server/drafting';
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
import { m } from '$lib/paraglide/messages';
import { PHASES, type Phase } from '$lib/domain/agenda/phases';

export const load: PageServerLoad = signedInLoad(async ({ database, actor, event }) => {
	const session = await sessionView(database, actor, event.params.id);
	const drafts = (await listDraftSets(database, actor)).filter((d) => d.sessionId === session.id && d.minutesOf === null);
	return {
		session,
		meetings: await sessionMeetings(database, session.id),
		drafts,
		convenorChoices: session.may.manage ? await convenorChoices(database, session.id) : []
	};
});

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

export const actions: Actions = {
	convenor: formAction({ fields: ['nodeId'], form: 'convenor', ok: () => m.agenda_convenor_added() }, (c) =>
		addConvenor(c.database, c.actor, c.params.id, c.values.nodeId)
	),
	item: formAction(
		{
			fields: ['title', 'question', 'rule', 'background', 'concernId'],
			form: 'item',
			ok: () => m.agenda_item_added() + m.agenda_changed_sign_again()
		},
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
		{
			fields: ['itemId', 'title', 'question', 'rule', 'background'],
			form: itemForm,
			ok: () => m.agenda_item_saved() + m.agenda_changed_sign_again()
		},
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
		{
			fields: ['itemId', 'direction'],
			form: itemForm,
			ok: (_, v) => (v.direction === 'up' ? m.agenda_moved_up() : m.agenda_moved_down())
		},
		(c) => moveAgendaItem(c.database, c.actor, c.values.itemId, c.values.direction)
	),
	signoff: formAction({ fields: ['nodeId'], form: 'signoff', ok: () => m.agenda_signed() }, (c) =>
		signOffAgenda(c.database, c.actor, c.params.id, c.values.nodeId)
	),
	publish: formAction({ form: 'publish', ok: () => m.agenda_published_ok() }, (c) => publishAgenda(c.database, c.actor, c.params.id)),
	remind: formAction({ form: 'publish', ok: (n: number) => m.agenda_reminded({ count: n }) }, (c) =>
		remindSignOffs(c.database, c.actor, c.params.id)
	),
	advance: formAction({ fields: ['to'], form: 'advance', ok: () => m.agenda_advanced() }, (c) =>
		advancePhase(c.database, c.actor, c.params.id, c.values.to)
	),
	invite: formAction({ fields: ['name'], form: 'invite', ok: () => m.agenda_invited() }, (c) =>
		inviteDepartment(c.database, c.actor, c.params.id, c.values.name)
	),
	respond: formAction({ fields: ['departmentId', 'response'], form: 'invite', ok: () => m.agenda_response_saved() }, (c) =>
		recordDepartmentResponse(c.database, c.actor, c.values.departmentId, c.values.response)
	),
	timetable: formAction({ form: 'timetable', ok: () => m.agenda_timetable_saved() }, ({ database, actor, data, params }) =>
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
		{ fields: ['title', 'startsAt', 'place'], form: 'meeting', ok: () => m.agenda_meeting_scheduled() },
		({ database, actor, values, params }) =>
			scheduleMeeting(database, actor, params.id, {
				title: values.title,
				place: values.place,
				// datetime-local is China time, as a notice board writes it; an empty field is the service's to refuse.
				startsAt: values.startsAt.trim() ? requireChinaDateTime(values.startsAt, 'startsAt', m.agenda_meeting_time_field()) : 0
			})
	),
	vote: formAction(
		{
			fields: ['itemId'],
			form: (v) => `vote-${v.itemId}`,
			ok: (r: { href: string }) => ({ ok: m.agenda_vote_ready(), href: r.href })
		},
		(c) => requestVoteOnItem(c.database, c.actor, c.values.itemId)
	)
};
