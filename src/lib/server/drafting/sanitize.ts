/**
 * The allow-list of domain/drafting/sanitize.ts applied by `sanitize-html` (htmlparser2 parses
 * the markup as a browser would, which hand-written regular expressions never quite did).
 *
 * The output is byte-for-byte what the earlier hand-written sanitiser produced for everything the
 * renderer emits (tests/fixtures/drafting/sanitized-html.json), because a frozen text's fingerprint
 * is the SHA-256 of this HTML: entities are kept as written (decodeEntities off, stray `&` escaped),
 * attribute values are decoded and escaped again by cleanAttributes, and void tags end in `>`.
 */
import sanitize from 'sanitize-html';
import { ALLOWED_TAGS, DROP_WITH_CONTENT, cleanAttributes, escapeStrayAmpersands } from '../../domain/drafting/sanitize.ts';

const OPTIONS: sanitize.IOptions = {
	allowedTags: Object.keys(ALLOWED_TAGS),
	allowedAttributes: { ...ALLOWED_TAGS, a: [...ALLOWED_TAGS.a, 'rel', 'target'] },
	allowedSchemes: ['http', 'https', 'mailto', 'tel'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	nonTextTags: [...DROP_WITH_CONTENT],
	selfClosing: ['br', 'hr'],
	parseStyleAttributes: false,
	parser: { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
	transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: cleanAttributes(tagName, attribs) }) },
	textFilter: escapeStrayAmpersands
};

export function sanitizeHtml(html: string): string {
	// sanitize-html writes void tags XHTML-style (<br />); text never holds a raw `<`, so this touches tags only.
	return sanitize(html, OPTIONS).replace(/<(br|hr) \/>/g, '<$1>');
}
