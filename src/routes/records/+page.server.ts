import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db/client';
import { recordFilterOptions, searchRecords } from '$lib/server/records';

export const csr = false;

export const load: PageServerLoad = async ({ url }) => {
	const database = getDatabase();
	const year = Number(url.searchParams.get('year'));
	const filter = {
		street: url.searchParams.get('street') || undefined,
		committee: url.searchParams.get('committee') || undefined,
		compound: url.searchParams.get('compound') || undefined,
		year: Number.isInteger(year) && year > 0 ? year : undefined,
		q: url.searchParams.get('q') || undefined
	};
	const [records, options] = await Promise.all([searchRecords(database, filter), recordFilterOptions(database)]);
	return { records, options, filter };
};
