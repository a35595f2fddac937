/**
 * The rows `read` finds for `ids` (a query with `inArray(column, ids)`), or none without asking the
 * database when there are no ids: several reads load the rows belonging to a list they just read.
 */
export async function rowsForIds<T>(ids: readonly string[], read: (ids: string[]) => PromiseLike<T[]>): Promise<T[]> {
	return ids.length > 0 ? await read([...ids]) : [];
}
