import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	alternativeIdOf,
	anchorFromTextRange,
	CONTENT_FIELD,
	documentName,
	initializeDraftDocument,
	readHeader,
	replaceDocumentContent,
	resolveAnchor,
	textSegments
} from '../../../src/lib/domain/drafting/document.ts';

function docWith(paragraphs: string[]): Y.Doc {
	const doc = new Y.Doc();
	for (const text of paragraphs) {
		const p = new Y.XmlElement('paragraph');
		doc.getXmlFragment(CONTENT_FIELD).push([p]);
		const t = new Y.XmlText();
		p.push([t]);
		t.insert(0, text);
	}
	return doc;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('document names', () => {
	it('round-trips and rejects names that are not ours', () => {
		expect(alternativeIdOf(documentName('abc123'))).toBe('abc123');
		expect(alternativeIdOf('alt:../x')).toBeNull();
		expect(alternativeIdOf('other:abc')).toBeNull();
	});
});

describe('anchors', () => {
	it('follow the quoted words through concurrent inserts before and inside the line', () => {
		const server = docWith(['开放时间', '夜间由保安巡逻。']);
		const peer = new Y.Doc();
		sync(server, peer);
		const anchor = anchorFromTextRange(server, 8, 12)!;
		expect(resolveAnchor(server, anchor)?.text).toBe('保安巡逻');
		((peer.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '新：');
		((peer.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '（草案）');
		sync(peer, server);
		expect(resolveAnchor(server, anchor)).toEqual({ from: 14, to: 18, text: '保安巡逻' });
	});

	it('do not grow when text is typed exactly at either edge', () => {
		const doc = docWith(['甲乙丙丁']);
		const anchor = anchorFromTextRange(doc, 1, 3)!;
		const t = (doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		t.insert(3, '尾');
		t.insert(1, '头');
		expect(resolveAnchor(doc, anchor)?.text).toBe('乙丙');
	});

	it('span paragraphs, and are orphaned when their text is deleted', () => {
		const doc = docWith(['第一段', '第二段']);
		const anchor = anchorFromTextRange(doc, 1, 6)!;
		expect(resolveAnchor(doc, anchor)?.text).toBe('一段\n第二');
		doc.getXmlFragment(CONTENT_FIELD).delete(0, 2);
		expect(resolveAnchor(doc, anchor)).toBeNull();
		expect(anchorFromTextRange(docWith([]), 0, 1)).toBeNull();
	});
});

describe('restore', () => {
	it('makes the live document show the version, as ordinary operations that sync', () => {
		const live = new Y.Doc();
		initializeDraftDocument(live, { title: '全天开放', compoundIds: ['aj', 'hq'] });
		const version = new Y.Doc();
		sync(live, version);
		const vt = new Y.XmlText();
		const vp = new Y.XmlElement('heading');
		vp.setAttribute('level', 2 as unknown as string);
		version.getXmlFragment(CONTENT_FIELD).push([vp]);
		vp.push([vt]);
		vt.insert(0, '旧稿', { bold: {} });
		(version.getMap('header').get('gains') as Y.Map<string>).set('aj', '近地铁');
		const peer = new Y.Doc();
		sync(live, peer);
		const liveText = docWith(['新稿']);
		sync(liveText, live);
		live.transact(() => replaceDocumentContent(live, version));
		expect(textSegments(live.getXmlFragment(CONTENT_FIELD)).text).toBe('旧稿');
		expect((live.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).getAttribute('level')).toBe(2);
		expect(((live.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta()).toEqual([
			{ insert: '旧稿', attributes: { bold: {} } }
		]);
		expect(readHeader(live).gains).toEqual({ aj: '近地铁', hq: '' });
		sync(live, peer);
		expect(textSegments(peer.getXmlFragment(CONTENT_FIELD)).text).toBe('旧稿');
	});
});
