/**
 * 复核 (recount): re-derives every figure of a frozen vote export from its inputs alone and
 * compares it with the stated result; or verifies published outcome records (hash chain, each
 * record's hash, and that each record's vote export recounts to its figures).
 *
 *   npm run recount -- <export.json>      a vote export (yishi-vote-export)
 *   npm run recount -- <records.json>     a download of /api/v1/records or /api/v1/records/{id}
 *   npm run recount -- <yishi.db>         a database file (or a file:/libsql: URL)
 *   npm run recount                       the database at DATABASE_URL (default data/yishi.db)
 *
 * Exit codes: 0 the recount matches; 1 something disagrees (each disagreement is listed);
 * 2 the file cannot be read or is not a valid export (nothing could be recounted).
 */
import { existsSync, readFileSync } from 'node:fs';
import { formatResultReport, parseExport, recountExport, diffValues } from '../lib/domain/voting/index.ts';

/** Records (a database or a records download) go to the records verifier; vote exports are recounted here. */
async function dispatch(argv: string[]): Promise<number> {
	if (argv.length > 1) {
		console.error('用法 / usage: npm run recount -- <export.json | records.json | yishi.db>');
		return 2;
	}
	const input = argv[0] ?? process.env.DATABASE_URL ?? 'file:data/yishi.db';
	const isRecords =
		/^(file|libsql|https?):/.test(input) ||
		(existsSync(input) && (readFileSync(input).subarray(0, 16).toString('latin1').startsWith('SQLite format 3') || /"format"\s*:\s*"yishi-records?"/.test(readFileSync(input, 'utf8').slice(0, 200))));
	if (isRecords) {
		const { verifyRecordsInput } = await import('./verify-records.ts');
		return verifyRecordsInput(input);
	}
	return recountVoteExport(input);
}

function recountVoteExport(path: string): number {
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
	if (disagreements.length === 0) {
		console.log('复核一致 / recount matches');
		return 0;
	}
	console.log(`复核不一致 / recount DISAGREES (${disagreements.length}):`);
	for (const d of disagreements) {
		console.log(`  ${d.path}: 公布 / stated ${JSON.stringify(d.stated)} ≠ 复核 / recomputed ${JSON.stringify(d.recomputed)}`);
	}
	return 1;
}

process.exitCode = await dispatch(process.argv.slice(2));
