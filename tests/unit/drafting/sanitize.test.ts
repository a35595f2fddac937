import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHref, textToHtml } from '../../../src/lib/domain/drafting/sanitize.ts';
import { sanitizeHtml } from '../../../src/lib/server/drafting/sanitize.ts';
import { renderCorpus } from '../../fixtures/drafting/render-corpus.ts';
import frozenCorpus from '../../fixtures/drafting/sanitized-html.json';

describe('sanitizeHtml', () => {
	it.each([
		['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
		['<p onclick="alert(1)" style="color:red">x</p>', '<p>x</p>'],
		['<img src=x onerror=alert(1)>', ''],
		['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
		['<a href="java&#x09;script:alert(1)">x</a>', '<a>x</a>'],
		['<a href=" JAVASCRIPT:alert(1)">x</a>', '<a>x</a>'],
		['<a href="data:text/html,<script>">x</a>', '<a>x</a>'],
		['<a href="//evil.example/">x</a>', '<a>x</a>'],
		[
			'<a href="https://example.org/?a=1&amp;b=2">x</a>',
			'<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">x</a>'
		],
		['<svg><script>alert(1)</script></svg>ok', 'ok'],
		['<iframe src="https://evil.example"></iframe>ok', 'ok'],
		['<!-- <script>alert(1)</script> -->ok', 'ok'],
		['<style>p{}</style><p>a</p>', '<p>a</p>'],
		['1 < 2 > 0 & done', '1 &lt; 2 &gt; 0 &amp; done'],
		['<p>a<br/>b</p>', '<p>a<br>b</p>'],
		['<ol start="3" onmouseover="x"><li>c</li></ol>', '<ol start="3"><li>c</li></ol>'],
		['<td colspan="2" rowspan="x">c</td>', '<td colspan="2">c</td>'],
		['<div class="x" onload="y">t</div>', '<div class="x">t</div>'],
		// A browser reads this as <p onclick=…>: so does the parser, and the handler goes.
		['<p/onclick=alert(1)>x</p>', '<p>x</p>']
	])('%s', (input, expected) => {
		expect(sanitizeHtml(input)).toBe(expected);
	});

	it('is idempotent on its own output', () => {
		const once = sanitizeHtml('<p>a <a href="https://x.example">b</a> <strong>c</strong> &amp; d</p><script>x</script>');
		expect(sanitizeHtml(once)).toBe(once);
	});
});

/** The OWASP XSS filter-evasion cheat sheet, as far as it applies to HTML that reaches a page. */
describe('hostile markup (OWASP filter evasion)', () => {
	const OUT = 'rel="noopener noreferrer nofollow" target="_blank"';
	it.each([
		['<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>', '<a>x</a>'],
		[`<a href="${[...'javascript:'].map((c) => `&#${String(c.charCodeAt(0)).padStart(7, '0')}`).join('')}alert(1)">x</a>`, '<a>x</a>'],
		['<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>', '<a>x</a>'],
		['<a href="jav&#x0A;ascript:alert(1)">x</a>', '<a>x</a>'],
		['<a href="jav&#x0D;ascript:alert(1)">x</a>', '<a>x</a>'],
		['<a href=" &#14;  javascript:alert(1)">x</a>', '<a>x</a>'],
		['<a href="javascript&colon;alert(1)">x</a>', '<a>x</a>'],
		['<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
		['<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', '<a>x</a>'],
		['<a href=javascript:alert(1)>x</a>', '<a>x</a>'],
		// Old IE took backticks as quotes; a browser today reads a quoted relative path, which stays inert.
		['<a href=`javascript:alert(1)`>x</a>', `<a href="\`javascript:alert(1)\`" ${OUT}>x</a>`],
		['<a href="\\\\evil.example\\x">x</a>', '<a>x</a>'],
		// An <svg> never closed swallows the rest: dropped with its content, as a browser would nest it.
		['<svg/onload=alert(1)>ok', ''],
		['<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>ok', 'ok'],
		['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ''],
		['<math href="javascript:alert(1)">x</math>ok', 'ok'],
		['<<script>alert(1);//<</script>p>x', '&lt;p&gt;x'],
		['<scr<script>ipt>alert(1)</scr</script>ipt>', 'ipt&gt;alert(1)ipt&gt;'],
		['<p <script>alert(1)</script>>x</p>', '<p>alert(1)&gt;x</p>'],
		['<IMG """><SCRIPT>alert(1)</SCRIPT>">', '"&gt;'],
		['<p style="background:url(javascript:alert(1))">x</p>', '<p>x</p>'],
		['<p style="behavior: url(x.htc); -moz-binding: url(x)">x</p>', '<p>x</p>'],
		['<div style="width: expression(alert(1))" class="ok">x</div>', '<div class="ok">x</div>'],
		['<p onmouseover&#61;"alert(1)">x</p>', '<p>x</p>'],
		['<a href="https://x.example" onmouseover="alert(1)" ONCLICK=alert(2)>x</a>', `<a href="https://x.example" ${OUT}>x</a>`],
		['<a href="https://x.example"/target=_self>x</a>', `<a href="https://x.example" ${OUT}>x</a>`],
		['<a href="https://x.example" href="javascript:alert(1)">x</a>', `<a href="https://x.example" ${OUT}>x</a>`],
		['<div class="a&quot; onclick=&quot;x">t</div>', '<div>t</div>'],
		['<p title="&lt;script&gt;">x</p>', '<p>x</p>'],
		['<BODY ONLOAD=alert(1)><p>x</p>', '<p>x</p>'],
		['<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">', ''],
		['<base href="javascript:alert(1)//"><a href="/x">x</a>', `<a href="/x" ${OUT}>x</a>`],
		['<object data="javascript:alert(1)">fallback</object>ok', 'ok'],
		['<embed src="data:image/svg+xml;base64,PHN2Zz4=">ok', 'ok'],
		['<form action="javascript:alert(1)"><button>x</button></form>', 'x'],
		['<input onfocus=alert(1) autofocus>', ''],
		['<details open ontoggle=alert(1)>x</details>', 'x'],
		['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ''],
		['<template><script>alert(1)</script></template>ok', 'ok'],
		['<textarea><script>alert(1)</script></textarea>ok', 'ok'],
		['<title><img src=x onerror=alert(1)></title>ok', 'ok'],
		['<xmp><img src=x onerror=alert(1)></xmp>ok', 'ok'],
		['<![CDATA[<script>alert(1)</script>]]>ok', 'ok'],
		['<?xml version="1.0"?><p>x</p>', '<p>x</p>'],
		['<!--[if gte IE 4]><script>alert(1)</script><![endif]-->ok', 'ok'],
		['<strong><em><u>深</u></em></strong>', '<strong><em><u>深</u></em></strong>'],
		['<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
		['a &0; b &#xZZ; c', 'a &amp;0; b &amp;#xZZ; c']
	])('%s', (input, expected) => {
		expect(sanitizeHtml(input)).toBe(expected);
	});

	it('leaves no tag, attribute or link that can run script', () => {
		const samples = [
			'<a href="jAvAsCrIpT&#x3A;alert(1)">x</a>',
			'<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
			'<a href="&#1;javascript:alert(1)">x</a>'
		];
		for (const html of samples.map(sanitizeHtml)) {
			expect(html).not.toMatch(/<(script|svg|math|img|iframe|style|animate)/i);
			expect(html).not.toMatch(/\son[a-z]+=/i);
			expect(html).not.toMatch(/javascript/i);
		}
	});
});

describe('frozen texts keep their fingerprint', () => {
	// Rendered by the sanitiser that froze the texts already in the field; see render-corpus.ts.
	it('produces byte-identical HTML for everything the renderer emits', () => {
		expect(renderCorpus(sanitizeHtml)).toEqual(frozenCorpus);
	});

	it('leaves HTML it already cleaned unchanged', () => {
		for (const { html } of Object.values(frozenCorpus)) expect(sanitizeHtml(html)).toBe(html);
	});
});

describe('isSafeHref', () => {
	it('allows web, mail, phone and relative links only', () => {
		expect(['https://a.example', 'http://a.example', 'mailto:x@y.cn', 'tel:021-12345678', '/drafts/1', '#top'].every(isSafeHref)).toBe(
			true
		);
		expect(['javascript:alert(1)', 'vbscript:x', 'data:text/html,x', '', '//evil.example', '\\\\evil'].some(isSafeHref)).toBe(false);
	});
});

describe('escaping plain text', () => {
	it('escapes every markup character and keeps line breaks', () => {
		expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
		expect(textToHtml('第一行\n<b>第二行</b>')).toBe('第一行<br>&lt;b&gt;第二行&lt;/b&gt;');
	});
});
