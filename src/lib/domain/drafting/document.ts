/**
 * The shape of an alternative's Y.Doc, and the pure operations on it that server and editor share.
 *
 *   doc.getXmlFragment('content')  the ProseMirror body (Tiptap Collaboration `field: 'content'`)
 *   doc.getMap('header')           title, estimatedCost, whoPays: strings (last writer wins);
 *                                  gains, givesUp: nested Y.Maps keyed by compound id → string
 *
 * Invariant: the server creates the header and its nested maps when the alternative is created.
 * Clients must never create 'gains'/'givesUp' themselves: two clients each creating a nested map
 * under the same key would race, and the loser's edits would disappear with its map.
 */
import * as Y from 'yjs';
import type { DraftHeader } from './canonical.ts';

export const CONTENT_FIELD = 'content';
export const HEADER_FIELD = 'header';
export const DOCUMENT_PREFIX = 'alt:';

export function documentName(alternativeId: string): string {
	return DOCUMENT_PREFIX + alternativeId;
}

/** The alternative id of a wire document name, or null when the name is not ours. */
export function alternativeIdOf(name: string): string | null {
	if (!name.startsWith(DOCUMENT_PREFIX)) return null;
	const id = name.slice(DOCUMENT_PREFIX.length);
	return /^[a-z0-9]{1,64}$/.test(id) ? id : null;
}

/** Writes the initial header into an empty document. */
export function initializeDraftDocument(doc: Y.Doc, init: { title: string; compoundIds: string[] }): void {
	doc.transact(() => {
		const header = doc.getMap(HEADER_FIELD);
		header.set('title', init.title);
		header.set('estimatedCost', '');
		header.set('whoPays', '');
		const gains = new Y.Map<string>();
		const givesUp = new Y.Map<string>();
		for (const id of init.compoundIds) {
			gains.set(id, '');
			givesUp.set(id, '');
		}
		header.set('gains', gains);
		header.set('givesUp', givesUp);
	});
}

function stringOf(value: unknown): string {
	return typeof value === 'string' ? value : value instanceof Y.Text ? value.toString() : '';
}

function recordOf(value: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (value instanceof Y.Map) for (const [k, v] of value.entries()) out[k] = stringOf(v);
	return out;
}

export function readHeader(doc: Y.Doc): DraftHeader {
	const header = doc.getMap(HEADER_FIELD);
	return {
		title: stringOf(header.get('title')),
		estimatedCost: stringOf(header.get('estimatedCost')),
		whoPays: stringOf(header.get('whoPays')),
		gains: recordOf(header.get('gains')),
		givesUp: recordOf(header.get('givesUp'))
	};
}

export interface TextSegment {
	type: Y.XmlText;
	/** Offset of the segment's first character in the plain text. */
	start: number;
	length: number;
}

/**
 * The body as plain text for anchoring: each leaf block (an element without element children other
 * than hard breaks) is one line; lines are joined with '\n'; a hard break is one '\n'. Offsets into
 * this text map to (Y.XmlText, index) through the segments.
 */
export function textSegments(fragment: Y.XmlFragment): { text: string; segments: TextSegment[] } {
	let text = '';
	const segments: TextSegment[] = [];
	let firstLine = true;
	const isLeaf = (el: Y.XmlElement) =>
		el.toArray().every((c) => c instanceof Y.XmlText || (c instanceof Y.XmlElement && c.nodeName === 'hardBreak'));
	const walk = (node: Y.XmlElement | Y.XmlFragment): void => {
		for (const child of node.toArray()) {
			if (!(child instanceof Y.XmlElement)) continue;
			if (!isLeaf(child)) {
				walk(child);
				continue;
			}
			if (!firstLine) text += '\n';
			firstLine = false;
			for (const inline of child.toArray()) {
				if (inline instanceof Y.XmlText) {
					const s = inline
						.toDelta()
						.map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : ' '))
						.join('');
					segments.push({ type: inline, start: text.length, length: inline.length });
					text += s;
				} else text += '\n';
			}
		}
	};
	walk(fragment);
	return { text, segments };
}

function encodeBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

function decodeBase64(text: string): Uint8Array {
	const s = atob(text);
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

export function encodeRelativePosition(pos: Y.RelativePosition): string {
	return encodeBase64(Y.encodeRelativePosition(pos));
}

/** Throws on malformed input (callers turn that into a validation error). */
export function decodeRelativePosition(encoded: string): Y.RelativePosition {
	return Y.decodeRelativePosition(decodeBase64(encoded));
}

/**
 * Anchors for the plain-text range [from, to). The start sticks to the character after it and the
 * end to the character before it, so text typed at either edge stays outside the range.
 * Returns null when the range touches no text.
 */
export function anchorFromTextRange(doc: Y.Doc, from: number, to: number): { start: string; end: string } | null {
	const { segments } = textSegments(doc.getXmlFragment(CONTENT_FIELD));
	if (!(from < to)) return null;
	const touching = segments.filter((s) => s.length > 0 && s.start < to && s.start + s.length > from);
	const startSeg = touching[0];
	const endSeg = touching[touching.length - 1];
	if (!startSeg || !endSeg) return null;
	const startIndex = Math.max(0, from - startSeg.start);
	const endIndex = Math.min(endSeg.length, to - endSeg.start);
	return {
		start: encodeRelativePosition(Y.createRelativePositionFromTypeIndex(startSeg.type, startIndex, 0)),
		end: encodeRelativePosition(Y.createRelativePositionFromTypeIndex(endSeg.type, endIndex, -1))
	};
}

/** The current plain-text range of an anchor, or null when its text was deleted (an orphaned comment). */
export function resolveAnchor(doc: Y.Doc, anchor: { start: string; end: string }): { from: number; to: number; text: string } | null {
	const { text, segments } = textSegments(doc.getXmlFragment(CONTENT_FIELD));
	const locate = (encoded: string): number | null => {
		const abs = Y.createAbsolutePositionFromRelativePosition(decodeRelativePosition(encoded), doc);
		if (!abs) return null;
		const seg = segments.find((s) => s.type === abs.type);
		return seg ? seg.start + Math.min(abs.index, seg.length) : null;
	};
	const from = locate(anchor.start);
	const to = locate(anchor.end);
	if (from === null || to === null || to <= from) return null;
	return { from, to, text: text.slice(from, to) };
}

function cloneXml(node: Y.XmlElement | Y.XmlText): Y.XmlElement | Y.XmlText {
	if (node instanceof Y.XmlText) {
		const text = new Y.XmlText();
		text.applyDelta(node.toDelta());
		return text;
	}
	const el = new Y.XmlElement(node.nodeName);
	for (const [key, value] of Object.entries(node.getAttributes())) el.setAttribute(key, value as string);
	el.insert(
		0,
		node
			.toArray()
			.filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText)
			.map(cloneXml)
	);
	return el;
}

function syncMap(target: Y.Map<unknown>, key: string, source: Record<string, string>): void {
	let nested = target.get(key);
	if (!(nested instanceof Y.Map)) {
		nested = new Y.Map<string>();
		target.set(key, nested);
	}
	const map = nested as Y.Map<string>;
	for (const k of [...map.keys()]) if (!(k in source)) map.delete(k);
	for (const [k, v] of Object.entries(source)) if (map.get(k) !== v) map.set(k, v);
}

/**
 * Makes `target` show what `source` shows, as new operations on `target` (so it syncs to every
 * editor as an ordinary change, and history keeps both). Call inside one transaction.
 * Comments anchored in the replaced body become orphaned: the text they pointed at is gone.
 */
export function replaceDocumentContent(target: Y.Doc, source: Y.Doc): void {
	const fragment = target.getXmlFragment(CONTENT_FIELD);
	if (fragment.length > 0) fragment.delete(0, fragment.length);
	const children = source
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText);
	fragment.insert(0, children.map(cloneXml));
	const header = target.getMap<unknown>(HEADER_FIELD);
	const wanted = readHeader(source);
	for (const key of ['title', 'estimatedCost', 'whoPays'] as const) if (header.get(key) !== wanted[key]) header.set(key, wanted[key]);
	syncMap(header, 'gains', wanted.gains);
	syncMap(header, 'givesUp', wanted.givesUp);
}
