/**
 * Server-side rendering of an alternative: Y.Doc → ProseMirror (with the editor's schema) →
 * HTML via @tiptap/html's generateHTML → the allow-list sanitiser; and the canonical text + hash.
 *
 * Only ever render a throwaway Y.Doc loaded from storage: @tiptap/y-tiptap (the editor's own
 * binding) drops nodes the schema rejects by deleting them from the Y.Doc it reads, so what is
 * rendered is what an editor would show. Frozen fingerprints depend on this conversion: it
 * replaced y-prosemirror 1.3.7 with byte-identical results on the texts frozen before
 * (tests/integration/drafting/fingerprints.test.ts), and any later change must keep them so.
 */
import { getSchema } from '@tiptap/core';
import { generateHTML } from '@tiptap/html/server';
import type { Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import {
	blocksFromProseMirror,
	canonicalText,
	headerLines,
	sha256Hex,
	type DraftHeader,
	type ProseMirrorJSON
} from '../../domain/drafting/canonical.ts';
import { CONTENT_FIELD, readHeader } from '../../domain/drafting/document.ts';
import { draftExtensions } from '../../domain/drafting/extensions.ts';
import { escapeHtml } from '../../domain/drafting/sanitize.ts';
import { sanitizeHtml } from './sanitize.ts';

let schema: Schema | null = null;
function draftSchema(): Schema {
	schema ??= getSchema(draftExtensions);
	return schema;
}

export interface RenderContext {
	label: string;
	/** Participating compounds in the set's order. */
	compounds: { id: string; name: string }[];
}

export interface RenderedAlternative {
	header: DraftHeader;
	json: ProseMirrorJSON;
	blocks: string[];
	/** Sanitised HTML of the body only. */
	bodyHtml: string;
	/** Sanitised HTML of header + body: what is displayed, printed and frozen. */
	html: string;
	/** Canonical plain text (domain/drafting/canonical.ts). */
	text: string;
	textHash: string;
	htmlHash: string;
}

function headerHtml(header: DraftHeader, ctx: RenderContext): string {
	const rows = (field: Record<string, string>) =>
		ctx.compounds.map((c) => `<dt>${escapeHtml(c.name)}</dt><dd>${escapeHtml(field[c.id] ?? '')}</dd>`).join('');
	return (
		`<section class="draft-header"><h2>方案${escapeHtml(ctx.label)}：${escapeHtml(header.title)}</h2>` +
		`<dl><dt>预计费用</dt><dd>${escapeHtml(header.estimatedCost)}</dd><dt>费用承担</dt><dd>${escapeHtml(header.whoPays)}</dd></dl>` +
		`<h3>各小区得到</h3><dl>${rows(header.gains)}</dl><h3>各小区让出</h3><dl>${rows(header.givesUp)}</dl></section>`
	);
}

export function renderDocument(doc: Y.Doc, ctx: RenderContext): RenderedAlternative {
	const header = readHeader(doc);
	const root = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(CONTENT_FIELD), draftSchema());
	const json = root.toJSON() as ProseMirrorJSON;
	const bodyHtml = sanitizeHtml(generateHTML(json, draftExtensions));
	const html = sanitizeHtml(`${headerHtml(header, ctx)}<section class="draft-body">${bodyHtml}</section>`);
	const blocks = blocksFromProseMirror(json);
	const text = canonicalText({ label: ctx.label, header, compounds: ctx.compounds, blocks });
	return { header, json, blocks, bodyHtml, html, text, textHash: sha256Hex(text), htmlHash: sha256Hex(html) };
}

/** Header lines + body blocks: the unit of comparison for version diffs. */
export function diffableBlocks(rendered: RenderedAlternative, ctx: RenderContext): string[] {
	return [...headerLines({ label: ctx.label, header: rendered.header, compounds: ctx.compounds }), ...rendered.blocks];
}
