import type { Database } from '../../src/lib/server/db/client.ts';
import { insertPublishedAgendaItem } from '../../src/lib/server/agenda/demo.ts';

/** A published agenda item for the given compounds: a vote may only be held on one (DOMAIN.md §4). */
export async function publishedAgendaItem(
	database: Database,
	compoundIds: string[],
	rule: 'major' | 'ordinary' | 'unanimous_affected' | 'advisory' = 'ordinary',
	title = '测试议题'
): Promise<string> {
	const { agendaItemId } = await database.write((tx) =>
		insertPublishedAgendaItem(tx, { title, question: `是否同意${title}？`, rule, compoundIds, createdBy: 'test' })
	);
	return agendaItemId;
}
