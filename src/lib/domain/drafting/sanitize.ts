/**
 * The HTML allow-list for drafted text. The server renders documents with the editor schema,
 * which already escapes text and knows only its own nodes; this pass is the second wall: whatever
 * reaches a page or the printed notice passes through an explicit list of tags and attributes.
 *
 * Invariants of the output: no tag outside ALLOWED_TAGS, no attribute outside its tag's list
 * (so no on* handlers, no style), every href is http(s)/mailto/tel or relative, no comments, and
 * the content of script-like elements is dropped, not shown.
 *
 * This file is the policy (pure, also used by the editor for links); the HTML is parsed by the
 * maintained `sanitize-html` (htmlparser2) in server/drafting/sanitize.ts, which applies it.
 */

export const ALLOWED_TAGS: Readonly<Record<string, readonly string[]>> = {
	p: [],
	h1: [],
	h2: [],
	h3: [],
	h4: [],
	h5: [],
	h6: [],
	strong: [],
	em: [],
	u: [],
	s: [],
	code: [],
	pre: [],
	blockquote: [],
	ul: [],
	ol: ['start'],
	li: [],
	br: [],
	hr: [],
	a: ['href'],
	table: [],
	thead: [],
	tbody: [],
	tr: [],
	th: ['colspan', 'rowspan'],
	td: ['colspan', 'rowspan'],
	ins: [],
	del: [],
	section: ['class'],
	dl: [],
	dt: [],
	dd: [],
	div: ['class']
};

/** Elements whose content is code or markup, never text to show: dropped with their content. */
export const DROP_WITH_CONTENT: readonly string[] = [
	'script',
	'style',
	'iframe',
	'object',
	'embed',
	'template',
	'noscript',
	'textarea',
	'title',
	'xmp',
	'noembed',
	'noframes',
	'svg',
	'math',
	'option'
];
const NUMERIC_ATTRS = new Set(['start', 'colspan', 'rowspan']);
const CLASS_PATTERN = /^[a-z][a-z0-9 _-]{0,60}$/;

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The named entities that can hide a scheme or a quote in an attribute value. */
const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	colon: ':',
	tab: '\t',
	newline: '\n',
	nbsp: '\u00a0'
};

function decodeEntities(value: string): string {
	return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, body: string) => {
		if (body[0] === '#') {
			const n = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
		}
		return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
	});
}

/** True for links a resident may safely follow: http(s), mailto, tel, or a same-site relative path. */
export function isSafeHref(raw: string): boolean {
	// Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so do we.
	const href = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
	if (href === '') return false;
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href);
	if (!scheme) return !href.startsWith('//') && !href.startsWith('\\');
	return ['http', 'https', 'mailto', 'tel'].includes(scheme[1].toLowerCase());
}

/**
 * The attributes a tag keeps, each value decoded and escaped again (so `'` is `&#39;` and `"` is
 * `&quot;` whatever the source wrote); the parser (server/drafting/sanitize.ts) hands them over
 * raw, in source order, the first of a repeated name only. Links that keep an href leave the site
 * without handing it the page or a referrer.
 */
export function cleanAttributes(tag: string, attributes: Readonly<Record<string, string>>): Record<string, string> {
	const allowed = ALLOWED_TAGS[tag] ?? [];
	const out: Record<string, string> = {};
	for (const [rawName, raw] of Object.entries(attributes)) {
		const name = rawName.toLowerCase();
		if (!allowed.includes(name) || name in out) continue;
		const value = decodeEntities(raw);
		if (name === 'href' && !isSafeHref(value)) continue;
		if (NUMERIC_ATTRS.has(name) && !/^\d{1,4}$/.test(value)) continue;
		if (name === 'class' && !CLASS_PATTERN.test(value)) continue;
		out[name] = escapeHtml(value);
	}
	if (tag === 'a' && 'href' in out) {
		out.rel = 'noopener noreferrer nofollow';
		out.target = '_blank';
	}
	return out;
}

/** An `&` that does not begin a well-formed entity is text, and is escaped (entities already there are kept as written). */
export function escapeStrayAmpersands(html: string): string {
	return html.replace(/&(?!(?:#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);)/gi, '&amp;');
}

/** Plain text (a comment, a header field) as HTML: escaped, line breaks kept. */
export function textToHtml(text: string): string {
	return escapeHtml(text).replace(/\r?\n/g, '<br>');
}
