import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { listDraftSets } from '$lib/server/drafting';
import { act, formValues, load as guard } from '$lib/server/http';
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
import { formFields } from '$lib/server/forms';
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

export const actions: Actions = {
	convenor: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['nodeId'], 'convenor');
		return act(
			async () => (
				await addConvenor(getDatabase(), actor, event.params.id, values.nodeId),
				{ _form: 'convenor', ok: '已添加召集方' }
			),
			values
		);
	},
	item: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formFields(data, ['title', 'question', 'rule', 'background', 'concernId'], 'item');
		const compoundIds = data.getAll('impactCompound').map(String);
		const impacts = compoundIds.map((compoundId, i) => ({
			compoundId,
			costs: String(data.getAll('costs')[i] ?? ''),
			benefits: String(data.getAll('benefits')[i] ?? '')
		}));
		return act(
			async () => (
				await addAgendaItem(getDatabase(), actor, event.params.id, {
					title: values.title,
					question: values.question,
					rule: values.rule,
					background: values.background,
					concernId: values.concernId || null,
					impacts
				}),
				{ _form: 'item', ok: '已添加议题。议程改动后，各召集方需要重新签字。' }
			),
			values
		);
	},
	editItem: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const values = formFields(data, ['itemId', 'title', 'question', 'rule', 'background'], `edit-${String(data.get('itemId') ?? '')}`);
		const compoundIds = data.getAll('impactCompound').map(String);
		const impacts = compoundIds.map((compoundId, i) => ({
			compoundId,
			costs: String(data.getAll('costs')[i] ?? ''),
			benefits: String(data.getAll('benefits')[i] ?? '')
		}));
		return act(
			async () => (
				await editAgendaItem(getDatabase(), actor, values.itemId, {
					title: values.title,
					question: values.question,
					rule: values.rule,
					background: values.background,
					impacts
				}),
				{ _form: values._form, ok: '已保存修改。议程改动后，各召集方需要重新签字。' }
			),
			values
		);
	},
	moveItem: async (event) => {
		const actor = await requireActor(event);
		const values = formValues(await event.request.formData(), ['itemId', 'direction']);
		const name = `edit-${values.itemId}`;
		return act(
			async () => (
				await moveAgendaItem(getDatabase(), actor, values.itemId, values.direction),
				{ _form: name, ok: values.direction === 'up' ? '已上移' : '已下移' }
			),
			{ ...values, _form: name }
		);
	},
	signoff: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['nodeId'], 'signoff');
		return act(
			async () => (await signOffAgenda(getDatabase(), actor, event.params.id, values.nodeId), { _form: 'signoff', ok: '已签字' }),
			values
		);
	},
	publish: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => (
				await publishAgenda(getDatabase(), actor, event.params.id),
				{ _form: 'publish', ok: '议程已公布，参与小区的居民会收到通知。' }
			),
			{ _form: 'publish' }
		);
	},
	remind: async (event) => {
		const actor = await requireActor(event);
		return act(
			async () => ({
				_form: 'publish',
				ok: `已提醒 ${await remindSignOffs(getDatabase(), actor, event.params.id)} 位尚未签字的召集方成员`
			}),
			{ _form: 'publish' }
		);
	},
	advance: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['to'], 'advance');
		return act(
			async () => (await advancePhase(getDatabase(), actor, event.params.id, values.to), { _form: 'advance', ok: '已进入下一阶段' }),
			values
		);
	},
	invite: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['name'], 'invite');
		return act(
			async () => (await inviteDepartment(getDatabase(), actor, event.params.id, values.name), { _form: 'invite', ok: '已约请' }),
			values
		);
	},
	respond: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['departmentId', 'response'], 'invite');
		return act(
			async () => (
				await recordDepartmentResponse(getDatabase(), actor, values.departmentId, values.response),
				{ _form: 'invite', ok: '已登记书面回复' }
			),
			values
		);
	},
	timetable: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const rows = PHASES.map((phase) => ({
			phase: phase as Phase,
			startsOn: String(data.get(`${phase}.start`) ?? ''),
			endsOn: String(data.get(`${phase}.end`) ?? '')
		})).filter((r) => r.startsOn || r.endsOn);
		return act(
			async () => (await setTimetable(getDatabase(), actor, event.params.id, rows), { _form: 'timetable', ok: '时间表已保存' }),
			{ _form: 'timetable' }
		);
	},
	meeting: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['title', 'startsAt', 'place'], 'meeting');
		// datetime-local is China time, as a notice board writes it; an empty field is the service's to refuse.
		const startsAt = () => (values.startsAt.trim() ? requireChinaDateTime(values.startsAt, 'startsAt', '会议时间') : 0);
		return act(
			async () => (
				await scheduleMeeting(getDatabase(), actor, event.params.id, {
					title: values.title,
					place: values.place,
					startsAt: startsAt()
				}),
				{ _form: 'meeting', ok: '会议已安排，参与居民会收到通知' }
			),
			values
		);
	},
	vote: async (event) => {
		const actor = await requireActor(event);
		const values = formFields(await event.request.formData(), ['itemId'], 'vote');
		const name = `vote-${values.itemId}`;
		return act(
			async () => ({
				_form: name,
				ok: '这个议题在已公布的议程中，可以发起表决。',
				href: (await requestVoteOnItem(getDatabase(), actor, values.itemId)).href
			}),
			{ ...values, _form: name }
		);
	}
};
