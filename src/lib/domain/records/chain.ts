/**
 * Verifies published records: each document's hash over its canonical JSON, and the chain — the
 * record with seq n names the hash of the record with seq n − 1. Works the same on rows read from
 * the database and on the /api/v1/records download, so anyone can check without our server.
 */
import { CanonicalJsonError, canonicalJson, sha256Hex } from './canonical.ts';
import { RECORD_FORMAT, RECORD_VERSIONS, type RecordDocument } from './document.ts';
import { disputeDateProblems } from './window.ts';

export interface ChainEntry {
	seq: number;
	id: string;
	/** The stated hash. */
	hash: string;
	/** The stated hash of the previous record (a column beside the document). */
	prevHash: string | null;
	/** The document as published: its canonical text, or the parsed value. */
	document: string | unknown;
}

export interface ChainProblem {
	seq: number;
	id: string;
	zh: string;
	en: string;
}

export interface ChainReport {
	ok: boolean;
	checked: number;
	head: { seq: number; hash: string } | null;
	problems: ChainProblem[];
}

function parse(entry: ChainEntry): { doc: RecordDocument | null; canonical: string | null; problem: string | null } {
	let value: unknown = entry.document;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return { doc: null, canonical: null, problem: '记录内容不是有效的 JSON / not valid JSON' };
		}
	}
	try {
		const canonical = canonicalJson(value);
		if (typeof entry.document === 'string' && canonical !== entry.document) {
			return {
				doc: value as RecordDocument,
				canonical,
				problem: '存储文本不是规范 JSON（被改动过）/ stored text is not canonical (altered)'
			};
		}
		return { doc: value as RecordDocument, canonical, problem: null };
	} catch (error) {
		const reason = error instanceof CanonicalJsonError ? error.message : String(error);
		return { doc: null, canonical: null, problem: `记录含有不允许的值（如小数）/ ${reason}` };
	}
}

/**
 * Checks every entry's hash and the links between them. Entries may come in any order; they are
 * checked by seq. `complete` (default true) also demands seq 1…n without gaps: a filtered list
 * can only have each document checked, not the chain.
 */
export function verifyChain(entries: ChainEntry[], options: { complete?: boolean } = {}): ChainReport {
	const complete = options.complete ?? true;
	const problems: ChainProblem[] = [];
	const sorted = [...entries].sort((a, b) => a.seq - b.seq);
	const add = (e: { seq: number; id: string }, zh: string, en: string) => problems.push({ seq: e.seq, id: e.id, zh, en });
	let previous: ChainEntry | null = null;
	for (const entry of sorted) {
		const { doc, canonical, problem } = parse(entry);
		if (problem) add(entry, problem, problem);
		if (canonical !== null) {
			const hash = sha256Hex(canonical);
			if (hash !== entry.hash)
				add(
					entry,
					`记录的校验码不符：计算得 ${hash.slice(0, 16)}…，记载为 ${String(entry.hash).slice(0, 16)}…`,
					`hash mismatch: computed ${hash}, stated ${entry.hash}`
				);
		}
		if (doc) {
			if (doc.format !== RECORD_FORMAT || !RECORD_VERSIONS.includes(doc.version))
				add(entry, '不认识的记录格式', `unknown format ${String(doc.format)} v${String(doc.version)}`);
			if (doc.seq !== entry.seq) add(entry, '记录序号与内容不一致', `seq column ${entry.seq} ≠ document seq ${doc.seq}`);
			if (doc.id !== entry.id) add(entry, '记录编号与内容不一致', `id column ${entry.id} ≠ document id ${doc.id}`);
			if (doc.prevHash !== entry.prevHash) add(entry, '记录内的前一条校验码与记载不一致', `document prevHash ≠ stated prevHash`);
			// A final record repeats its preliminary's window; the dates are recounted on the preliminary.
			if (doc.stage === 'preliminary') for (const p of disputeDateProblems(doc.dispute, doc.publishedAt)) add(entry, p.zh, p.en);
		}
		if (complete) {
			const expectedSeq = previous ? previous.seq + 1 : 1;
			if (entry.seq !== expectedSeq)
				add(entry, `记录序号不连续：应为 ${expectedSeq}`, `seq gap: expected ${expectedSeq}, got ${entry.seq}`);
			const expectedPrev = previous ? previous.hash : null;
			if (entry.prevHash !== expectedPrev)
				add(entry, '与前一条记录的校验码对不上（链条断开）', `chain broken: prevHash ≠ hash of seq ${entry.seq - 1}`);
		}
		previous = entry;
	}
	const last = sorted.at(-1);
	return { ok: problems.length === 0, checked: sorted.length, head: last ? { seq: last.seq, hash: last.hash } : null, problems };
}
