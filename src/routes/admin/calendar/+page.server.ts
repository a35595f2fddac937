import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { requireActor } from '$lib/server/require-user';
import { load as loadOrFail } from '$lib/server/http';
import { formAction } from '$lib/server/forms';
import { calendarYears, enterCalendarYear } from '$lib/server/scheduler/calendar';
import { InvalidInput } from '$lib/server/errors';
import { requireAdminArea } from '../access';
import { chinaYear } from '$lib/domain/time/china-date';
import { clock } from '$lib/server/util/clock';
import { m } from '$lib/paraglide/messages';

/** A calendar file is a few hundred bytes; anything far larger is not one. */
const MAX_FILE_BYTES = 64 * 1024;

export const load: PageServerLoad = async (event) => {
	const actor = await requireActor(event);
	requireAdminArea(actor);
	return { years: await loadOrFail(() => calendarYears(getDatabase(), actor)), nextYear: chinaYear(clock.now()) + 1 };
};

export const actions: Actions = {
	enter: formAction(
		{
			fields: ['year', 'text'],
			form: 'enter',
			ok: ({ version, days }: { version: string; days: number }, v) => m.admin_calendar_saved({ year: v.year, days, version })
		},
		async ({ database, actor, values, data }) => {
			const file = data.get('file');
			if (file instanceof File && file.size > 0) {
				if (file.size > MAX_FILE_BYTES)
					throw new InvalidInput(m.admin_calendar_file_too_large(), { file: m.admin_calendar_file_too_large_field() });
				// The file's text comes back in the box if the calendar is refused.
				values.text = await file.text();
			}
			return enterCalendarYear(database, actor, { year: Number(values.year), text: values.text });
		}
	)
};
