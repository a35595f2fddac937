import * as Y from 'yjs';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { changeStoredDocument } from '../../../src/lib/server/drafting/store.ts';
import { CONTENT_FIELD, HEADER_FIELD } from '../../../src/lib/domain/drafting/document.ts';

/** Changes the stored document the way an acknowledged client update would. */
export async function editStored(database: Database, alternativeId: string, change: (doc: Y.Doc) => void): Promise<void> {
	await database.write((tx) => changeStoredDocument(tx, alternativeId, null, change));
}

export function setParagraphs(doc: Y.Doc, texts: string[]): void {
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	if (fragment.length) fragment.delete(0, fragment.length);
	for (const text of texts) {
		const paragraph = new Y.XmlElement('paragraph');
		fragment.push([paragraph]);
		const xmlText = new Y.XmlText();
		paragraph.push([xmlText]);
		xmlText.insert(0, text);
	}
}

export function setHeader(doc: Y.Doc, fields: Partial<Record<'title' | 'estimatedCost' | 'whoPays', string>>): void {
	const header = doc.getMap(HEADER_FIELD);
	for (const [k, v] of Object.entries(fields)) header.set(k, v);
}

/** The first text node of paragraph `index`. */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
	return (doc.getXmlFragment(CONTENT_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}
