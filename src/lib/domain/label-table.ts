/**
 * The pages' "key → words" tables (a ballot's rule, a record's task status, …) in one shape: a table of
 * Paraglide message functions, called when a page asks, so every request gets its reader's language.
 */
export function labelTable<K extends string>(table: Record<K, () => string>): (key: K) => string {
	return (key) => table[key]();
}
