/**
 * 计票回执 (receipts) without exposure: a published record (v2) commits to the per-unit export by
 * its SHA-256 and by the Merkle root over its counted rows. An owner holding an inclusion proof
 * for their unit's row can check it against the root printed on the public record, and anyone
 * holding the export re-derives that root — so the owner knows their choice was counted, while
 * the public never sees a choice beside a unit.
 *
 * Rows: one per counted vote (the ballot that counts for a unit and motion, after both-channels
 * precedence), in roster order per compound, motions in the export's order. Leaf hash
 * SHA-256(0x00 ‖ canonical JSON of the row); inner node SHA-256(0x01 ‖ left ‖ right); an odd node
 * at the end of a level moves up unchanged. The root of no rows is SHA-256 of the empty string.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { canonicalJson } from './canonical.ts';
import { countedChoices, exportSha256 } from './vote-export.ts';
import type { VoteExport } from '../voting/export.ts';
import type { Choice } from '../voting/types.ts';

export const PROOF_FORMAT = 'yishi-inclusion-proof';
export const PROOF_VERSION = 1;

export interface CountedRow {
	compoundId: string;
	/** The unit's pseudonym as it stands in the export. */
	unitId: string;
	motionId: string;
	choice: Choice;
	channel: 'electronic' | 'paper';
	/** The counted ballot's seq in the export: names exactly one ballot. */
	seq: number;
}

export interface InclusionProof {
	format: typeof PROOF_FORMAT;
	version: typeof PROOF_VERSION;
	/** The record the proof was issued for, and the export it proves against. */
	recordId: string;
	exportSha256: string;
	merkleRoot: string;
	leafCount: number;
	leafIndex: number;
	row: CountedRow;
	/** Sibling hashes from the leaf up; `left` when the sibling is on the left. */
	path: { side: 'left' | 'right'; hash: string }[];
}

const encoder = new TextEncoder();

function concat(prefix: number, ...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
	out[0] = prefix;
	let at = 1;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

export function leafHash(row: CountedRow): Uint8Array {
	return sha256(concat(0, encoder.encode(canonicalJson(row))));
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
	return sha256(concat(1, left, right));
}

/** The counted rows of an export, in their canonical order. */
export function countedRows(doc: VoteExport): CountedRow[] {
	const rows: CountedRow[] = [];
	const motionIds = doc.meta.motions.map((m) => m.id);
	for (const roster of doc.rosters) {
		const counted = countedChoices(doc, roster.compoundId);
		for (const unit of roster.units) {
			const byMotion = counted.get(unit.unitId);
			if (!byMotion) continue;
			for (const motionId of motionIds) {
				const b = byMotion.get(motionId);
				if (b)
					rows.push({
						compoundId: roster.compoundId,
						unitId: unit.unitId,
						motionId,
						choice: b.choice,
						channel: b.channel,
						seq: b.seq
					});
			}
		}
	}
	return rows;
}

function levels(leaves: Uint8Array[]): Uint8Array[][] {
	const out = [leaves];
	while (out.at(-1)!.length > 1) {
		const below = out.at(-1)!;
		const level: Uint8Array[] = [];
		for (let i = 0; i < below.length; i += 2) level.push(i + 1 < below.length ? nodeHash(below[i], below[i + 1]) : below[i]);
		out.push(level);
	}
	return out;
}

export function merkleRootOf(rows: CountedRow[]): string {
	if (rows.length === 0) return encodeHexLowerCase(sha256(new Uint8Array(0)));
	return encodeHexLowerCase(levels(rows.map(leafHash)).at(-1)![0]);
}

/** What a v2 record states about its per-unit export. */
export function unitExportCommitment(doc: VoteExport): {
	format: string;
	version: number;
	sha256: string;
	merkleRoot: string;
	leafCount: number;
} {
	const rows = countedRows(doc);
	return { format: doc.format, version: doc.version, sha256: exportSha256(doc), merkleRoot: merkleRootOf(rows), leafCount: rows.length };
}

/** Inclusion proofs for the counted rows of the given unit pseudonyms (every motion). */
export function inclusionProofs(doc: VoteExport, recordId: string, unitIds: ReadonlySet<string>): InclusionProof[] {
	const rows = countedRows(doc);
	if (rows.length === 0) return [];
	const tree = levels(rows.map(leafHash));
	const root = encodeHexLowerCase(tree.at(-1)![0]);
	const sha = exportSha256(doc);
	const proofs: InclusionProof[] = [];
	rows.forEach((row, leafIndex) => {
		if (!unitIds.has(row.unitId)) return;
		const path: InclusionProof['path'] = [];
		let index = leafIndex;
		for (let depth = 0; depth < tree.length - 1; depth++) {
			const level = tree[depth];
			const sibling = index % 2 === 0 ? index + 1 : index - 1;
			if (sibling < level.length) path.push({ side: index % 2 === 0 ? 'right' : 'left', hash: encodeHexLowerCase(level[sibling]) });
			index = Math.floor(index / 2);
		}
		proofs.push({
			format: PROOF_FORMAT,
			version: PROOF_VERSION,
			recordId,
			exportSha256: sha,
			merkleRoot: root,
			leafCount: rows.length,
			leafIndex,
			row,
			path
		});
	});
	return proofs;
}

/** The root a proof's row and path lead to (hex), or null when the proof is malformed. */
export function rootFromProof(proof: InclusionProof): string | null {
	try {
		let hash = leafHash(proof.row);
		for (const step of proof.path) {
			const sibling = decodeHex(step.hash);
			if (sibling.length !== 32) return null;
			hash = step.side === 'left' ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
		}
		return encodeHexLowerCase(hash);
	} catch {
		return null;
	}
}

export interface ProofCheck {
	ok: boolean;
	problems: { zh: string; en: string }[];
}

/**
 * Checks one proof: its path leads to its stated root; and, given the export, that the export is
 * the one named (hash), its root is the stated root, and the row is exactly the counted row at
 * that index. `committedRoot` (from the public record) is checked when given.
 */
export function verifyInclusionProof(value: unknown, doc?: VoteExport, committedRoot?: string): ProofCheck {
	const problems: ProofCheck['problems'] = [];
	const proof = value as InclusionProof;
	if (
		!proof ||
		typeof proof !== 'object' ||
		proof.format !== PROOF_FORMAT ||
		proof.version !== PROOF_VERSION ||
		!proof.row ||
		!Array.isArray(proof.path)
	) {
		return { ok: false, problems: [{ zh: '不是有效的计票回执证明文件', en: 'not a yishi-inclusion-proof v1' }] };
	}
	const root = rootFromProof(proof);
	if (root === null || root !== proof.merkleRoot)
		problems.push({
			zh: '回执证明的路径推不出它记载的根校验码（被改动过）',
			en: 'the proof path does not lead to its stated Merkle root'
		});
	if (committedRoot !== undefined && proof.merkleRoot !== committedRoot)
		problems.push({ zh: '回执证明的根校验码与公示记录不一致', en: 'the proof root differs from the record’s committed root' });
	if (doc) {
		if (exportSha256(doc) !== proof.exportSha256)
			problems.push({ zh: '回执证明针对的不是这份分户表决数据', en: 'the proof names another export (sha256 differs)' });
		const rows = countedRows(doc);
		if (merkleRootOf(rows) !== proof.merkleRoot)
			problems.push({ zh: '分户表决数据的根校验码与回执证明不一致', en: 'the export’s Merkle root differs from the proof’s' });
		const at = rows[proof.leafIndex];
		if (!at || canonicalJson(at) !== canonicalJson(proof.row))
			problems.push({ zh: '这一行不在计入的票中（或已被后来的票取代）', en: 'the row is not the counted row at that index' });
	}
	return { ok: problems.length === 0, problems };
}
