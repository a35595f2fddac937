/**
 * Label tables read in the reader's language. Each entry is a Paraglide message, called when the label is
 * read, so a page rendered in English gets English and code outside a request (scheduler, CLI) gets Chinese.
 * What is stored or sent as stored text (notifications) calls the message with `{ locale: 'zh-CN' }` instead.
 */
export type LabelMessage = (inputs?: Record<string, never>, options?: { locale?: 'zh-CN' | 'en' }) => string;

export function liveLabels<K extends string>(messages: Record<K, LabelMessage>): Record<K, string> {
	const table = {} as Record<K, string>;
	for (const key of Object.keys(messages) as K[]) Object.defineProperty(table, key, { get: () => messages[key](), enumerable: true });
	return table;
}
