/**
 * 公示记录校验: checks the hash chain and every record's hash, that each record's published
 * vote export recounts to its figures, and that each period it states (notice, voting window,
 * dispute window) is the one the rule and the named calendar give (✔/✘ per period).
 *
 *   npx tsx src/cli/verify-records.ts data/yishi.db          a database file (or a file:/libsql: URL)
 *   npx tsx src/cli/verify-records.ts records.json           a download of GET /api/v1/records
 *   npx tsx src/cli/verify-records.ts record.json            a download of GET /api/v1/records/{id}
 *
 * Exit codes: 0 everything verifies; 1 something was changed (each problem listed); 2 the input
 * cannot be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	checkRecordAgainstExport,
	formatPeriodChecks,
	recountPeriods,
	verifyChain,
	type ChainProblem,
	type RecordDocument
} from '../lib/domain/records/index.ts';

/**
 * 期间复核: recomputes each record's notice period, voting window and dispute window from the start,
 * length, rule and calendar version it states, prints ✔/✘ per period, and adds each ✘ to `problems`.
 */
function checkPeriods(records: { seq: number; id: string; document: RecordDocument }[], problems: ChainProblem[]): void {
	for (const r of records) {
		const checks = recountPeriods(r.document);
		if (checks.length === 0) continue;
		console.log(`#${r.seq} ${r.document.content?.title ?? r.id} 期间复核 / periods:`);
		for (const line of formatPeriodChecks(checks)) console.log(`  ${line}`);
		// A preliminary record's dispute window is already recounted by verifyChain: not counted twice.
		const failed = checks.filter((c) => !c.ok && !(c.name === '询异期' && r.document.stage === 'preliminary'));
		for (const c of failed) {
			problems.push({
				seq: r.seq,
				id: r.id,
				zh: `${c.name}日期与规则不符：${c.problems.join('；')}`,
				en: `${c.name} dates do not follow the rule`
			});
		}
	}
}

function print(problems: ChainProblem[], checked: number, head: { seq: number; hash: string } | null): number {
	if (problems.length === 0) {
		console.log(`公示记录校验通过 / records verify: ${checked} 条记录${head ? `，链头 #${head.seq} ${head.hash}` : ''}`);
		return 0;
	}
	console.log(`公示记录校验失败 / records DO NOT verify (${problems.length}):`);
	for (const p of problems) console.log(`  #${p.seq} ${p.id}: ${p.zh}${p.zh === p.en ? '' : ` / ${p.en}`}`);
	return 1;
}

async function fromDatabase(url: string): Promise<number> {
	const { openDatabase } = await import('../lib/server/db/client.ts');
	const { verifyRecordChain } = await import('../lib/server/records/read.ts');
	const database = openDatabase(url);
	try {
		const report = await verifyRecordChain(database);
		const { outcomeRecords } = await import('../lib/server/db/schema/index.ts');
		const rows = await database.db
			.select({ seq: outcomeRecords.seq, id: outcomeRecords.id, document: outcomeRecords.document })
			.from(outcomeRecords);
		const problems = [...report.problems];
		checkPeriods(
			rows.map((r) => ({ seq: r.seq, id: r.id, document: JSON.parse(r.document) as RecordDocument })),
			problems
		);
		return print(problems, report.checked, report.head);
	} finally {
		database.close();
	}
}

type ApiRecord = { id: string; seq: number; hash: string; prevHash: string | null; document: RecordDocument; voteExport?: unknown };

function fromJson(text: string): number {
	let value: { format?: string; complete?: boolean; records?: ApiRecord[] } & Partial<ApiRecord>;
	try {
		value = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		console.error(`不是有效的 JSON / not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
		return 2;
	}
	if (value.format === 'yishi-records' && Array.isArray(value.records)) {
		const report = verifyChain(
			value.records.map((r) => ({ seq: r.seq, id: r.id, hash: r.hash, prevHash: r.prevHash, document: r.document })),
			{ complete: value.complete !== false }
		);
		if (value.complete === false)
			console.log('注意：这是筛选后的列表，只校验每条记录，不校验链条 / filtered list: records checked, chain not');
		const problems = [...report.problems];
		checkPeriods(value.records, problems);
		return print(problems, report.checked, report.head);
	}
	if (value.format === 'yishi-record' && value.document && typeof value.seq === 'number') {
		const report = verifyChain(
			[{ seq: value.seq, id: value.id!, hash: value.hash!, prevHash: value.prevHash ?? null, document: value.document }],
			{ complete: false }
		);
		const problems = [...report.problems];
		checkPeriods([{ seq: value.seq, id: value.id!, document: value.document }], problems);
		if (value.voteExport === undefined && value.document.version !== 1) {
			// v2: the per-unit export is not public; an owner recounts it with npm run recount -- units.json.
			console.log(
				`分户表决数据不公开，其校验码 ${value.document.content.voteExport.sha256}；本小区业主可登录下载后用 npm run recount 复核 / ` +
					'the per-unit export is not public; owners recount their download against this hash'
			);
			return print(problems, 1, { seq: value.seq, hash: value.hash! });
		}
		const check = checkRecordAgainstExport(value.document.content, value.voteExport);
		for (const p of check.problems) problems.push({ seq: value.seq, id: value.id!, zh: p, en: p });
		if (check.ok) console.log('表决数据复核与公示数字一致 / the vote export recounts to the published figures');
		return print(problems, 1, { seq: value.seq, hash: value.hash! });
	}
	console.error('不认识的文件：须为 /api/v1/records 或 /api/v1/records/{id} 的下载 / unknown file');
	return 2;
}

/** Verifies a database (path or URL) or a downloaded records JSON; returns the exit code. */
export async function verifyRecordsInput(input: string): Promise<number> {
	if (/^(file|libsql|https?):/.test(input)) return fromDatabase(input);
	if (!existsSync(input)) {
		console.error(`找不到文件 / no such file: ${input}`);
		return 2;
	}
	const head = readFileSync(input).subarray(0, 16).toString('latin1');
	if (head.startsWith('SQLite format 3')) return fromDatabase(`file:${resolve(input)}`);
	return fromJson(readFileSync(input, 'utf8'));
}

async function main(argv: string[]): Promise<number> {
	const input = argv[0];
	if (!input || argv.length > 1) {
		console.error('用法 / usage: npx tsx src/cli/verify-records.ts <yishi.db | records.json | record.json>');
		return 2;
	}
	return verifyRecordsInput(input);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
	process.exitCode = await main(process.argv.slice(2));
