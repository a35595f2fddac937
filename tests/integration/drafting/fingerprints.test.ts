/**
 * The fingerprint (定稿指纹, SHA-256 of the canonical text) of a text that is already frozen must
 * come out byte-identical when the same stored document is rendered again, whatever library
 * renders it: ballots, notices and published records carry it. The fixture was frozen with the
 * renderer of its day (tests/fixtures/drafting/make-frozen-texts.ts, y-prosemirror 1.3.7).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { renderDocument } from '../../../src/lib/server/drafting/render.ts';
import { freezeDemoDrafts } from '../../fixtures/drafting/demo-freeze.ts';

interface Fixture {
	compounds: { id: string; name: string }[];
	texts: { name: string; label: string; state: string; json: unknown; text: string; textHash: string; html: string; htmlHash: string }[];
	demo: { label: string; textHash: string; htmlHash: string }[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/drafting/frozen-texts.json'), 'utf8')) as Fixture;

describe('fingerprints of frozen texts', () => {
	const render = (frozen: Fixture['texts'][number]) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Buffer.from(frozen.state, 'base64'));
		return renderDocument(doc, { label: frozen.label, compounds: fixture.compounds });
	};
	const cases = fixture.texts.map((t) => [t.name, t] as const);

	it.each(cases)('renders the stored state of "%s" to the same text and fingerprint', (_name, frozen) => {
		const rendered = render(frozen);
		expect(rendered.json).toEqual(frozen.json);
		expect(rendered.text).toBe(frozen.text);
		expect(rendered.textHash).toBe(frozen.textHash);
	});

	it.each(cases)('renders the stored state of "%s" to the same frozen HTML', (_name, frozen) => {
		const rendered = render(frozen);
		expect(rendered.html).toBe(frozen.html);
		expect(rendered.htmlHash).toBe(frozen.htmlHash);
	});

	it("freezes the demo's side-gate alternatives to the fingerprints they always had", async () => {
		expect(await freezeDemoDrafts()).toEqual(fixture.demo);
	});
});
