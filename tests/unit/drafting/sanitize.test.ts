import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHref, sanitizeHtml, textToHtml } from '../../../src/lib/domain/drafting/sanitize.ts';

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
		['<a href="https://example.org/?a=1&amp;b=2">x</a>', '<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">x</a>'],
		['<svg><script>alert(1)</script></svg>ok', 'ok'],
		['<iframe src="https://evil.example"></iframe>ok', 'ok'],
		['<!-- <script>alert(1)</script> -->ok', 'ok'],
		['<style>p{}</style><p>a</p>', '<p>a</p>'],
		['1 < 2 > 0 & done', '1 &lt; 2 &gt; 0 &amp; done'],
		['<p>a<br/>b</p>', '<p>a<br>b</p>'],
		['<ol start="3" onmouseover="x"><li>c</li></ol>', '<ol start="3"><li>c</li></ol>'],
		['<td colspan="2" rowspan="x">c</td>', '<td colspan="2">c</td>'],
		['<div class="x" onload="y">t</div>', '<div class="x">t</div>'],
		['<p/onclick=alert(1)>x</p>', '&lt;p/onclick=alert(1)&gt;x</p>']
	])('%s', (input, expected) => {
		expect(sanitizeHtml(input)).toBe(expected);
	});

	it('is idempotent on its own output', () => {
		const once = sanitizeHtml('<p>a <a href="https://x.example">b</a> <strong>c</strong> &amp; d</p><script>x</script>');
		expect(sanitizeHtml(once)).toBe(once);
	});
});

describe('isSafeHref', () => {
	it('allows web, mail, phone and relative links only', () => {
		expect(['https://a.example', 'http://a.example', 'mailto:x@y.cn', 'tel:021-12345678', '/drafts/1', '#top'].every(isSafeHref)).toBe(true);
		expect(['javascript:alert(1)', 'vbscript:x', 'data:text/html,x', '', '//evil.example', '\\\\evil'].some(isSafeHref)).toBe(false);
	});
});

describe('escaping plain text', () => {
	it('escapes every markup character and keeps line breaks', () => {
		expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
		expect(textToHtml('第一行\n<b>第二行</b>')).toBe('第一行<br>&lt;b&gt;第二行&lt;/b&gt;');
	});
});
