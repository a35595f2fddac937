import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	countedRows,
	inclusionProofs,
	merkleRootOf,
	unitExportCommitment,
	verifyInclusionProof,
	type InclusionProof
} from '../../../src/lib/domain/records/index.ts';
import { parseExport, type VoteExport } from '../../../src/lib/domain/voting/index.ts';

const fixture = fileURLToPath(new URL('../voting/fixtures/gate-major.json', import.meta.url));
function gate(): VoteExport {
	const parsed = parseExport(readFileSync(fixture, 'utf8'));
	if (!parsed.ok) throw new Error('fixture does not parse');
	return parsed.doc;
}

describe('inclusion proofs over the counted rows (record v2 receipts)', () => {
	it('one row per counted unit and motion: a superseded ballot is not a row', () => {
		const doc = gate();
		const rows = countedRows(doc);
		const keys = rows.map((r) => `${r.compoundId}/${r.unitId}/${r.motionId}`);
		expect(new Set(keys).size).toBe(rows.length);
		expect(rows.length).toBeLessThanOrEqual(doc.ballots.length);
		expect(unitExportCommitment(doc).leafCount).toBe(rows.length);
	});

	it('every counted row of every unit has a proof that verifies, for trees of every size from 1 to 40 rows', () => {
		const doc = gate();
		const all = countedRows(doc);
		for (let n = 1; n <= Math.min(40, all.length); n++) {
			// A smaller export: only the first n counted rows' units remain voted.
			const keep = new Set(all.slice(0, n).map((r) => r.seq));
			const small: VoteExport = { ...doc, ballots: doc.ballots.filter((b) => keep.has(b.seq)) };
			const rows = countedRows(small);
			const units = new Set(rows.map((r) => r.unitId));
			const proofs = inclusionProofs(small, 'rec', units);
			expect(proofs).toHaveLength(rows.length);
			const root = merkleRootOf(rows);
			for (const proof of proofs) expect(verifyInclusionProof(proof, small, root)).toEqual({ ok: true, problems: [] });
		}
		// About 0.5 s of hashing on an idle machine; CI shares its cores, so it gets a minute, not the default 5 s.
	}, 60_000);

	it('a changed choice, a changed path, another export or another record root is refused', () => {
		const doc = gate();
		const [proof] = inclusionProofs(doc, 'rec', new Set([countedRows(doc)[3].unitId]));
		const flipped: InclusionProof = { ...proof, row: { ...proof.row, choice: proof.row.choice === 'yes' ? 'no' : 'yes' } };
		expect(verifyInclusionProof(flipped).ok).toBe(false);
		const badPath: InclusionProof = { ...proof, path: proof.path.map((p, i) => (i === 0 ? { ...p, hash: '0'.repeat(64) } : p)) };
		expect(verifyInclusionProof(badPath).ok).toBe(false);
		const other: VoteExport = {
			...doc,
			ballots: doc.ballots.map((b) => (b.seq === proof.row.seq ? b : { ...b, castAt: b.castAt })).slice(1)
		};
		expect(verifyInclusionProof(proof, other).ok).toBe(false);
		expect(verifyInclusionProof(proof, doc, 'f'.repeat(64)).ok).toBe(false);
		expect(verifyInclusionProof({ format: 'something else' }).ok).toBe(false);
	});

	it('the root does not depend on the order of the ballots in the export', () => {
		const doc = gate();
		const reversed: VoteExport = { ...doc, ballots: [...doc.ballots].reverse() };
		expect(merkleRootOf(countedRows(reversed))).toBe(merkleRootOf(countedRows(doc)));
	});
});
