import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { TestDatabase } from '../../helpers/db.ts';
import { databaseForEachTest } from '../../helpers/each-test.ts';
import { addComment, freezeDrafting, getAlternative, getFrozenText, listComments } from '../../../src/lib/server/drafting/index.ts';
import { CONTENT_FIELD } from '../../../src/lib/domain/drafting/document.ts';
import { seedGateCase } from '../collab/factories.ts';
import { editStored, setHeader } from './helpers.ts';

let database: TestDatabase;
let gate: Awaited<ReturnType<typeof seedGateCase>>;

databaseForEachTest(async (created) => {
	database = created;
	gate = await seedGateCase(database);
});

/** What a hostile client could put into the Y.Doc directly, bypassing any editor. */
function writePayloads(doc: Y.Doc): void {
	setHeader(doc, { title: '<img src=x onerror=alert(1)>', whoPays: '"><script>alert(2)</script>' });
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	const p1 = new Y.XmlElement('paragraph');
	p1.setAttribute('onclick', 'alert(3)');
	p1.setAttribute('style', 'background:url(javascript:alert(4))');
	fragment.push([p1]);
	const t1 = new Y.XmlText();
	p1.push([t1]);
	t1.insert(0, '<script>alert(5)</script> 正文 ');
	t1.insert(t1.length, '点我', { link: { href: 'javascript:alert(6)' } });
	t1.insert(t1.length, ' 再点', { link: { href: 'JaVa\tScRiPt:alert(7)' } });
	t1.insert(t1.length, ' 官网', { link: { href: 'https://example.org/" onmouseover="alert(8)' } });
	const img = new Y.XmlElement('image');
	img.setAttribute('src', 'x');
	img.setAttribute('onerror', 'alert(9)');
	fragment.push([img]);
	const script = new Y.XmlElement('script');
	fragment.push([script]);
	const t2 = new Y.XmlText();
	script.push([t2]);
	t2.insert(0, 'alert(10)');
}

/** Inert: no real tag (escaped text does not count) that runs script or styles. */
function expectInert(html: string): void {
	const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
	expect(tags.length).toBeGreaterThan(0);
	for (const raw of tags) {
		// Quoted attribute values are data; only names and unquoted parts can carry behaviour.
		const tag = raw.replace(/"[^"]*"/g, '""');
		expect(raw).not.toMatch(/href="\s*javascript:/i);
		expect(tag).not.toMatch(/^<(script|img|iframe|style|object|embed|svg)/i);
		expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
		expect(tag).not.toMatch(/javascript:/i);
		expect(tag).not.toMatch(/\sstyle\s*=/i);
	}
	expect(html).not.toMatch(/<script/i);
	expect(html).not.toContain('alert(10)');
}

describe('hostile content', () => {
	it('renders inert in the live view and in the frozen text', async () => {
		await editStored(database, gate.altA.id, writePayloads);
		const view = await getAlternative(database, await gate.aijianOwner.actor(), gate.altA.id);
		expectInert(view.html);
		expect(view.html).toContain('&lt;script&gt;alert(5)&lt;/script&gt;');
		expect(view.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(view.html).toMatch(/<a href="https:\/\/example\.org\/&quot; onmouseover=&quot;alert\(8\)"/);

		await freezeDrafting(database, await gate.coordinator.actor(), gate.draft.set.id);
		const frozen = await getFrozenText(database, await gate.scrutineer.actor(), gate.altA.id);
		expectInert(frozen.html);
		// The canonical text keeps what people typed, as text.
		expect(frozen.text).toContain('<script>alert(5)</script> 正文 点我 再点 官网');
	});

	it('escapes comment bodies', async () => {
		await editStored(database, gate.altA.id, (doc) => {
			const p = new Y.XmlElement('paragraph');
			doc.getXmlFragment(CONTENT_FIELD).push([p]);
			const t = new Y.XmlText();
			p.push([t]);
			t.insert(0, '普通的一句话');
		});
		const owner = await gate.aijianOwner.actor();
		await addComment(database, owner, {
			alternativeId: gate.altA.id,
			body: '<img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>',
			range: { from: 0, to: 2 }
		});
		const [thread] = await listComments(database, owner, gate.altA.id);
		expect(thread.bodyHtml).toBe('&lt;img src=x onerror=alert(1)&gt;&lt;a href=&quot;javascript:alert(2)&quot;&gt;x&lt;/a&gt;');
	});
});
