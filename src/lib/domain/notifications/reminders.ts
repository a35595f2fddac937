/** Reminders go only to people who have not yet acted, and never twice for the same thing. */
export function pendingRecipients(audience: Iterable<string>, acted: Iterable<string>, alreadyReminded: Iterable<string> = []): string[] {
	const skip = new Set<string>([...acted, ...alreadyReminded]);
	return [...new Set(audience)].filter((id) => !skip.has(id)).sort();
}
