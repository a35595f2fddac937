/**
 * The HTML allow-list for drafted text. The server renders documents with the editor schema,
 * which already escapes text and knows only its own nodes; this pass is the second wall: whatever
 * reaches a page or the printed notice passes through an explicit list of tags and attributes.
 *
 * Invariants of the output: no tag outside ALLOWED_TAGS, no attribute outside its tag's list
 * (so no on* handlers, no style), every href is http(s)/mailto/tel or relative, no comments, and
 * the content of script-like elements is dropped, not shown.
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

const VOID_TAGS = new Set(['br', 'hr']);
/** Elements whose content is code or markup, never text to show: dropped with their content. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'svg', 'math']);
const NUMERIC_ATTRS = new Set(['start', 'colspan', 'rowspan']);
const CLASS_PATTERN = /^[a-z][a-z0-9 _-]{0,60}$/;

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function decodeEntities(value: string): string {
	return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, body: string) => {
		if (body[0] === '#') {
			const n = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
		}
		const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', nbsp: '\u00a0' };
		return named[body.toLowerCase()] ?? whole;
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

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function cleanAttributes(tag: string, source: string): string {
	const allowed = ALLOWED_TAGS[tag];
	let out = '';
	const seen = new Set<string>();
	for (const m of source.matchAll(ATTR)) {
		const name = m[1].toLowerCase();
		if (!allowed.includes(name) || seen.has(name)) continue;
		const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
		if (name === 'href' && !isSafeHref(value)) continue;
		if (NUMERIC_ATTRS.has(name) && !/^\d{1,4}$/.test(value)) continue;
		if (name === 'class' && !CLASS_PATTERN.test(value)) continue;
		seen.add(name);
		out += ` ${name}="${escapeHtml(value)}"`;
	}
	// Links leave the site without handing it the page or a referrer.
	if (tag === 'a' && seen.has('href')) out += ' rel="noopener noreferrer nofollow" target="_blank"';
	return out;
}

/** Escapes a text run, keeping well-formed entities as they are. */
function cleanText(text: string): string {
	return text
		.replace(/&(?!(?:#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);)/gi, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');
}

export function sanitizeHtml(html: string): string {
	let out = '';
	let i = 0;
	while (i < html.length) {
		const lt = html.indexOf('<', i);
		if (lt === -1) {
			out += cleanText(html.slice(i));
			break;
		}
		out += cleanText(html.slice(i, lt));
		const rest = html.slice(lt);
		if (rest.startsWith('<!--')) {
			const end = html.indexOf('-->', lt + 4);
			i = end === -1 ? html.length : end + 3;
			continue;
		}
		if (rest.startsWith('<!') || rest.startsWith('<?')) {
			const end = html.indexOf('>', lt);
			i = end === -1 ? html.length : end + 1;
			continue;
		}
		const m = TAG.exec(rest);
		if (!m) {
			out += '&lt;';
			i = lt + 1;
			continue;
		}
		i = lt + m[0].length;
		const closing = m[1] === '/';
		const tag = m[2].toLowerCase();
		if (DROP_WITH_CONTENT.has(tag)) {
			if (!closing) {
				const close = new RegExp(`</${tag}\\s*>`, 'i').exec(html.slice(i));
				i = close ? i + close.index + close[0].length : html.length;
			}
			continue;
		}
		if (!(tag in ALLOWED_TAGS)) continue;
		if (closing) {
			if (!VOID_TAGS.has(tag)) out += `</${tag}>`;
		} else {
			out += `<${tag}${cleanAttributes(tag, m[3])}>`;
		}
	}
	return out;
}

/** Plain text (a comment, a header field) as HTML: escaped, line breaks kept. */
export function textToHtml(text: string): string {
	return escapeHtml(text).replace(/\r?\n/g, '<br>');
}
