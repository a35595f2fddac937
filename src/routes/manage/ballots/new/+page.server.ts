import { m } from '$lib/paraglide/messages';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { compoundsManagedBy } from '$lib/server/communities/staff';
import { act, formValues } from '$lib/server/http';
import { createBallot, DEFAULT_NOTICE_DAYS, votableAgendaItems } from '$lib/server/voting';
import { InvalidInput } from '$lib/server/errors';
import { chinaDateString } from '$lib/domain/time/china-date';
import { requireChinaDay } from '$lib/server/util/dates';
import { clock } from '$lib/server/util/clock';
import { calendarCoverage, loadCalendar } from '$lib/server/scheduler/calendar';
import { lawfulSchedule } from '$lib/domain/time/ballot-periods';
import { ballotRuleKind } from '$lib/domain/voting/ballot-rules';

const DAY = 24 * 3600_000;

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	const compounds = await compoundsManagedBy(getDatabase(), actor);
	const items = await votableAgendaItems(getDatabase(), actor);
	// Lawful defaults (民法典 arts. 201/203): open the day after the notice period ends, close on
	// the window's 15th day, moved to the next working day when it is a rest day.
	const now = clock.now();
	const calendar = await loadCalendar(getDatabase().db);
	const { opensAt, closesAt } = lawfulSchedule(calendar, now, DEFAULT_NOTICE_DAYS, 15);
	return {
		calendar: await calendarCoverage(getDatabase().db, now, now + 120 * DAY),
		compounds: compounds.map((c) => ({ id: c.id, name: c.name })),
		items,
		selectedItem: event.url.searchParams.get('agendaItem') ?? items[0]?.agendaItemId ?? '',
		noticeDays: DEFAULT_NOTICE_DAYS,
		defaultOpen: chinaDateString(opensAt),
		defaultClose: chinaDateString(closesAt - 1)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = await requireActor(event);
		const data = await event.request.formData();
		const compoundIds = data.getAll('compound').map(String);
		// The boxes come back as ticked (a refused form must not tick them all again).
		const values = {
			...formValues(data, [
				'title',
				'agendaItem',
				'opensOn',
				'closesOn',
				'noticeDays',
				'motionA',
				'motionB',
				'motionC',
				'countsVisibility',
				'bothChannelsRule'
			]),
			compounds: compoundIds.join(','),
			nonVoters: compoundIds.filter((id) => data.get(`nonVoter-${id}`) === 'on').join(','),
			allowChange: data.get('allowChange') === 'on' ? 'on' : ''
		};
		const result = await act(async () => {
			if (!values.opensOn.trim() || !values.closesOn.trim())
				throw new InvalidInput(m.voting_new_error_dates(), { opensOn: m.voting_new_error_pick_date() });
			const opensAt = requireChinaDay(values.opensOn, 'opensOn', m.voting_new_opens());
			const closesOn = requireChinaDay(values.closesOn, 'closesOn', m.voting_new_closes_short());
			const motions = (['A', 'B', 'C'] as const)
				.map((id) => ({ id, title: values[`motion${id}`].trim() }))
				.filter((m) => m.title.length > 0)
				.map((m) => ({ id: m.id, title: `方案${m.id}：${m.title}` }));
			if (motions.length === 0) throw new InvalidInput(m.voting_new_error_motion(), { motionA: m.voting_new_error_fill() });
			const item = (await votableAgendaItems(getDatabase(), actor)).find((i) => i.agendaItemId === values.agendaItem);
			const rule = ballotRuleKind(values.agendaItem, item);
			if (!rule.ok) throw new InvalidInput(rule.message, { [rule.field]: m.voting_new_error_pick_item() });
			return createBallot(getDatabase(), actor, {
				title: values.title,
				agendaItemId: rule.agendaItemId,
				ruleKind: rule.ruleKind,
				motions,
				compounds: compoundIds.map((compoundId) => ({
					compoundId,
					nonVoterRule: data.get(`nonVoter-${compoundId}`) === 'on' ? 'follow_majority' : 'off'
				})),
				bothChannelsRule: values.bothChannelsRule === 'paper_prevails' ? 'paper_prevails' : 'electronic_prevails',
				countsVisibility: values.countsVisibility === 'open' ? 'open' : 'secret',
				allowChange: data.get('allowChange') === 'on',
				noticeDays: Number(values.noticeDays) || DEFAULT_NOTICE_DAYS,
				opensAt,
				// The closing day counts in full: the vote ends at midnight after it.
				closesAt: closesOn + DAY
			});
		}, values);
		if (result && 'ballotId' in result) redirect(303, `/manage/ballots/${result.ballotId}`);
		// A closing day on a rest day, or an opening inside the notice period: the form shows the
		// rule's date in place of the chosen one, and the message says why; nothing else changes.
		if (result && 'data' in result && result.data.values) {
			const { fields, values } = result.data;
			if (fields.proposedCloseDay) values.closesOn = fields.proposedCloseDay;
			if (fields.proposedOpenDay) values.opensOn = fields.proposedOpenDay;
		}
		return result;
	}
};
