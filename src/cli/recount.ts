/**
 * 复核 (recount): re-derives every figure of a frozen vote export from its inputs alone and
 * compares it with the stated result; or verifies published outcome records (hash chain, each
 * record's hash, and that each record's vote export recounts to its figures).
 *
 *   npm run recount -- <export.json>      a vote export (yishi-vote-export)
 *   npm run recount -- <units.json> --proof <proof.json>
 *                                         also checks an owner's receipt (yishi-inclusion-proof, or the
 *                                         receipt download holding several) against that export
 *   npm run recount -- <records.json>     a download of /api/v1/records or /api/v1/records/{id}
 *   npm run recount -- <yishi.db>         a database file (or a file:/libsql: URL)
 *   npm run recount                       the database at DATABASE_URL (default data/yishi.db)
 *
 * Exit codes: 0 the recount matches; 1 something disagrees (each disagreement is listed);
 * 2 the file cannot be read or is not a valid export (nothing could be recounted).
 */
import { existsSync, readFileSync } from 'node:fs';
import { formatResultReport, parseExport, recountExport, diffValues, type VoteExport } from '../lib/domain/voting/index.ts';
import { exportSha256, verifyInclusionProof } from '../lib/domain/records/index.ts';

/** Records (a database or a records download) go to the records verifier; vote exports are recounted here. */
async function dispatch(argv: string[]): Promise<number> {
	const proofAt = argv.indexOf('--proof');
	if (proofAt >= 0) {
		const rest = argv.filter((_, i) => i !== proofAt && i !== proofAt + 1);
		if (rest.length !== 1 || !argv[proofAt + 1]) {
			console.error('用法 / usage: npm run recount -- <units.json> --proof <proof.json>');
			return 2;
		}
		return recountVoteExport(rest[0], argv[proofAt + 1]);
	}
	if (argv.length > 1) {
		console.error('用法 / usage: npm run recount -- <export.json | records.json | yishi.db> [--proof proof.json]');
		return 2;
	}
	const input = argv[0] ?? process.env.DATABASE_URL ?? 'file:data/yishi.db';
	const isRecords =
		/^(file|libsql|https?):/.test(input) ||
		(existsSync(input) &&
			(readFileSync(input).subarray(0, 16).toString('latin1').startsWith('SQLite format 3') ||
				/"format"\s*:\s*"yishi-records?"/.test(readFileSync(input, 'utf8').slice(0, 200))));
	if (isRecords) {
		const { verifyRecordsInput } = await import('./verify-records.ts');
		return verifyRecordsInput(input);
	}
	return recountVoteExport(input);
}

function recountVoteExport(path: string, proofPath?: string): number {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		console.error(`无法读取文件 / cannot read file: ${path}: ${error instanceof Error ? error.message : String(error)}`);
		return 2;
	}
	const parsed = parseExport(text.replace(/^\uFEFF/, ''));
	if (!parsed.ok) {
		console.error('导出文件格式有误，无法复核 / malformed export, cannot recount:');
		for (const p of parsed.problems) console.error(`  ${p.path}: ${p.zh} / ${p.en}`);
		return 2;
	}
	const doc = parsed.doc;
	let recomputed;
	try {
		recomputed = recountExport(doc);
	} catch (error) {
		console.error(`复核失败 / recount failed: ${error instanceof Error ? error.message : String(error)}`);
		return 2;
	}
	console.log(`${doc.meta.title}（${doc.meta.ballotId}）`);
	console.log(`投票期 / voting period: ${doc.meta.opensAt} — ${doc.meta.closesAt}`);
	console.log(formatResultReport(recomputed));
	console.log('');
	const disagreements = diffValues(doc.result, recomputed, 'result');
	const proofProblems = proofPath === undefined ? 0 : checkProofs(doc, proofPath);
	if (proofProblems < 0) return 2;
	if (disagreements.length === 0) {
		console.log('复核一致 / recount matches');
		return proofProblems === 0 ? 0 : 1;
	}
	console.log(`复核不一致 / recount DISAGREES (${disagreements.length}):`);
	for (const d of disagreements) {
		console.log(`  ${d.path}: 公布 / stated ${JSON.stringify(d.stated)} ≠ 复核 / recomputed ${JSON.stringify(d.recomputed)}`);
	}
	return 1;
}

const CHOICE_LABELS: Record<string, string> = { yes: '同意', no: '反对', abstain: '弃权' };

/**
 * Checks each inclusion proof in the file against the export: prints each row that is counted,
 * returns the number of problems (−1 when the file cannot be read).
 */
function checkProofs(doc: VoteExport, proofPath: string): number {
	let value: unknown;
	try {
		value = JSON.parse(readFileSync(proofPath, 'utf8').replace(/^\uFEFF/, ''));
	} catch (error) {
		console.error(`无法读取回执证明 / cannot read proof: ${proofPath}: ${error instanceof Error ? error.message : String(error)}`);
		return -1;
	}
	const proofs: unknown[] = Array.isArray((value as { proofs?: unknown[] })?.proofs) ? (value as { proofs: unknown[] }).proofs : [value];
	console.log('');
	console.log(`回执核对 / receipt check: 分户表决数据校验码 / export sha256 ${exportSha256(doc)}`);
	let problems = 0;
	if (proofs.length === 0) {
		console.log('  回执里没有计入的票 / the receipt holds no counted row');
		return 1;
	}
	for (const proof of proofs) {
		const check = verifyInclusionProof(proof, doc);
		const row = (proof as { row?: { unitId?: string; motionId?: string; choice?: string } })?.row;
		const label = `${row?.unitId ?? '?'} · ${row?.motionId ?? '?'} · ${CHOICE_LABELS[row?.choice ?? ''] ?? row?.choice ?? '?'}`;
		if (check.ok) console.log(`  已计入 / counted: ${label}`);
		else {
			problems += check.problems.length;
			console.log(`  回执不符 / receipt DOES NOT verify: ${label}`);
			for (const p of check.problems) console.log(`    ${p.zh} / ${p.en}`);
		}
	}
	return problems;
}

process.exitCode = await dispatch(process.argv.slice(2));
