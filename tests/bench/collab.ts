/**
 * Collaboration bench: the real editing trace replayed through @hocuspocus/provider clients,
 * first against a bare Hocuspocus of the same version (in memory, no auth, no persistence), then
 * against Yishi's /collab on a real database file; 50 concurrent editors on one document; cold
 * load of the finished document; server memory.
 *
 * Both servers run as child processes and both are driven by the same client code, so the ratio
 * compares servers, not set-ups. The text lives where the editor keeps it: XmlFragment 'content'
 * → one paragraph → XmlText (a Y.Text), the same shape on both servers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { cpuMsOf, peakRssOf, rssOf } from './machine.ts';
import { ROOT, startServer, type ServerProcess } from './proc.ts';
import { notMeasured, table, type Section } from './report.ts';
import { bytes, fmt, median, ms, now, sleep, summarize, waitFor } from './stats.ts';
import { assertSameText, loadTrace, patchCount, verifyTrace, type Trace } from './trace.ts';

const CONTENT_FIELD = 'content';
const EDITORS = 50;
const ROUNDS = 10;
const ROUND_WINDOW_MS = 250;
const REPLAY_TIMEOUT_MS = 120_000;
/** Bounded: a replay that has not sent everything after this long fails instead of hanging the run. */
const REPLAY_BUDGET_MS = 600_000;

export interface Target {
	label: string;
	wsUrl: string;
	/** Auth for one client: a session token (sent as cookie and as the provider token). */
	auth: (i: number) => string | null;
	origin: string;
}

function socketClass(token: string | null, origin: string) {
	const headers: Record<string, string> = { origin };
	if (token) headers.cookie = `yishi_session=${token}`;
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	};
}

interface Client {
	provider: HocuspocusProvider;
	doc: Y.Doc;
	failure: () => string | null;
	destroy: () => void;
}

export function connect(target: Target, name: string, i: number): Client {
	const token = target.auth(i);
	const doc = new Y.Doc();
	let failure: string | null = null;
	const provider = new HocuspocusProvider({
		url: target.wsUrl,
		name,
		document: doc,
		token: token ?? '',
		WebSocketPolyfill: socketClass(token, target.origin),
		// A bench client must not reconnect on its own: a reconnect would hide a failure.
		maxAttempts: 1,
		onAuthenticationFailed: ({ reason }) => (failure = `authentication failed: ${reason}`),
		onClose: ({ event }) => {
			if (event.code !== 1000 && event.code !== 1005) failure ??= `closed with ${event.code} ${event.reason}`;
		}
	} as ConstructorParameters<typeof HocuspocusProvider>[0]);
	return {
		provider,
		doc,
		failure: () => failure,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

export async function synced(client: Client, what: string, timeoutMs = 20_000): Promise<void> {
	const ok = await waitFor(() => client.provider.isSynced || client.failure() !== null, timeoutMs, 2);
	if (client.failure()) throw new Error(`${what}: ${client.failure()}`);
	if (!ok) throw new Error(`${what}: not synced after ${timeoutMs} ms`);
}

/** The paragraph's XmlText, created by `creator` if the document has none yet. */
function paragraphText(doc: Y.Doc, create: boolean): Y.XmlText | null {
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	if (fragment.length === 0) {
		if (!create) return null;
		doc.transact(() => {
			const paragraph = new Y.XmlElement('paragraph');
			paragraph.insert(0, [new Y.XmlText()]);
			fragment.insert(0, [paragraph]);
		});
	}
	const first = fragment.get(0);
	if (!(first instanceof Y.XmlElement)) return null;
	const text = first.get(0);
	return text instanceof Y.XmlText ? text : null;
}

interface ReplayResult {
	updates: number;
	sentMs: number;
	ackMs: number;
	observedMs: number;
	rssIdle: number | null;
	rssAfter: number | null;
	rssPeak: number | null;
	encodedBytes: number;
	serverCpuMs: number | null;
	clientCpuMs: number;
}

export async function replay(target: Target, name: string, trace: Trace, server: ServerProcess): Promise<ReplayResult> {
	const rssIdle = rssOf(server.pid);
	const writer = connect(target, name, 0);
	const observer = connect(target, name, 1);
	try {
		await synced(writer, `${target.label} writer`);
		await synced(observer, `${target.label} observer`);
		const text = paragraphText(writer.doc, true)!;
		if (text.length > 0) throw new Error(`${target.label}: document ${name} is not empty`);
		if (!(await waitFor(() => paragraphText(observer.doc, false) !== null, 10_000)))
			throw new Error(`${target.label}: observer never saw the paragraph`);
		const seen = () => paragraphText(observer.doc, false);
		const expected = trace.endContent;

		const serverCpu0 = cpuMsOf(server.pid);
		const clientCpu0 = process.cpuUsage();
		const started = now();
		if (trace.startContent) writer.doc.transact(() => text.insert(0, trace.startContent));
		let n = 0;
		for (const txn of trace.txns) {
			writer.doc.transact(() => {
				for (const [pos, del, ins] of txn.patches) {
					if (del > 0) text.delete(pos, del);
					if (ins.length > 0) text.insert(pos, ins);
				}
			});
			n++;
			if (n % 256 === 0) {
				// Flow control: at most ~8k unacknowledged updates in flight, as a real client
				// (which types far slower) would never exceed; lets the socket drain.
				await new Promise((r) => setImmediate(r));
				if (writer.provider.unsyncedChanges > 8192) {
					await waitFor(() => writer.provider.unsyncedChanges < 4096 || writer.failure() !== null, REPLAY_TIMEOUT_MS, 1);
				}
				if (writer.failure()) throw new Error(`${target.label} writer after ${n} updates: ${writer.failure()}`);
				if (now() - started > REPLAY_BUDGET_MS)
					throw new Error(`${target.label}: only ${n} of ${trace.txns.length} updates sent after ${REPLAY_BUDGET_MS / 1000} s`);
			}
		}
		const sentMs = now() - started;
		if (!(await waitFor(() => writer.provider.unsyncedChanges === 0 || writer.failure() !== null, REPLAY_TIMEOUT_MS, 1))) {
			throw new Error(`${target.label}: ${writer.provider.unsyncedChanges} updates never acknowledged`);
		}
		if (writer.failure()) throw new Error(`${target.label} writer: ${writer.failure()}`);
		const ackMs = now() - started;
		const arrived = await waitFor(() => seen()?.length === expected.length && seen()!.toString() === expected, REPLAY_TIMEOUT_MS, 2);
		const observedMs = now() - started;
		const serverCpu1 = cpuMsOf(server.pid);
		const clientCpu = process.cpuUsage(clientCpu0);
		assertSameText(text.toString(), expected, `${target.label} writer`);
		if (!arrived) assertSameText(seen()?.toString() ?? '', expected, `${target.label} observer`);
		return {
			updates: n,
			sentMs,
			ackMs,
			observedMs,
			rssIdle,
			rssAfter: rssOf(server.pid),
			rssPeak: peakRssOf(server.pid),
			encodedBytes: Y.encodeStateAsUpdate(writer.doc).byteLength,
			serverCpuMs: serverCpu0 === null || serverCpu1 === null ? null : serverCpu1 - serverCpu0,
			clientCpuMs: (clientCpu.user + clientCpu.system) / 1000
		};
	} finally {
		writer.destroy();
		observer.destroy();
	}
}

/** Every editor inserts a unique marker at a random moment of each round; every other editor times its arrival. */
async function editors(target: Target, name: string): Promise<{ samples: number[]; missing: number }> {
	const clients = Array.from({ length: EDITORS }, (_, i) => connect(target, name, i));
	try {
		for (const [i, c] of clients.entries()) await synced(c, `${target.label} editor ${i}`);
		paragraphText(clients[0].doc, true);
		if (!(await waitFor(() => clients.every((c) => paragraphText(c.doc, false) !== null), 10_000)))
			throw new Error(`${target.label}: editors never saw the paragraph`);
		const sentAt = new Map<string, number>();
		const samples: number[] = [];
		let expected = 0;
		clients.forEach((c, i) => {
			paragraphText(c.doc, false)!.observe((event) => {
				if (event.transaction.local) return;
				const at = now();
				for (const op of event.delta) {
					if (typeof op.insert !== 'string') continue;
					for (const m of op.insert.matchAll(/⟦(\d+):(\d+)⟧/g)) {
						if (Number(m[1]) === i) continue;
						const t0 = sentAt.get(m[0]);
						if (t0 !== undefined) samples.push(at - t0);
					}
				}
			});
		});
		for (let round = 0; round < ROUNDS; round++) {
			await Promise.all(
				clients.map(async (c, i) => {
					await sleep(Math.random() * ROUND_WINDOW_MS);
					const text = paragraphText(c.doc, false)!;
					const marker = `⟦${i}:${round}⟧`;
					sentAt.set(marker, now());
					// At either end: a random index could split another editor's marker.
					text.insert(Math.random() < 0.5 ? 0 : text.length, marker);
				})
			);
			expected += EDITORS * (EDITORS - 1);
			await waitFor(() => samples.length >= expected, 10_000, 2);
			const failed = clients.find((c) => c.failure());
			if (failed) throw new Error(`${target.label} editor: ${failed.failure()}`);
		}
		// All editors must end with the same text holding every marker.
		const finalText = paragraphText(clients[0].doc, false)!.toString();
		for (const [i, c] of clients.entries())
			assertSameText(paragraphText(c.doc, false)!.toString(), finalText, `${target.label} editor ${i}`);
		const markers = finalText.match(/⟦\d+:\d+⟧/g)?.length ?? 0;
		if (markers !== EDITORS * ROUNDS)
			throw new Error(`${target.label}: ${markers} markers in the final text, expected ${EDITORS * ROUNDS}`);
		return { samples, missing: expected - samples.length };
	} finally {
		for (const c of clients) c.destroy();
	}
}

function replayRow(label: string, r: ReplayResult): (string | number)[] {
	return [
		label,
		fmt(r.updates),
		ms(r.sentMs),
		ms(r.ackMs),
		ms(r.observedMs),
		fmt(r.updates / (r.observedMs / 1000)),
		r.rssIdle === null ? 'n/a' : bytes(r.rssIdle),
		r.rssAfter === null ? 'n/a' : bytes(r.rssAfter),
		r.rssPeak === null ? 'n/a' : bytes(r.rssPeak),
		r.serverCpuMs === null ? 'n/a' : ms(r.serverCpuMs),
		ms(r.clientCpuMs)
	];
}

function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

const ATTACH = join(ROOT, 'src/lib/server/collab/attach.ts');
/** Replays of bare Hocuspocus and of Yishi, alternating which goes first: the ratio is the median of the pairs. */
const PAIRS = 3;
const REPLAY_COLUMNS = ['pair', 'server', 'updates', 'all sent', 'all acknowledged', 'observer has endContent', 'updates/s'];
REPLAY_COLUMNS.push('server RSS idle', 'RSS after', 'peak RSS', 'server CPU', 'bench-process CPU');
/** Rounds of the in-process cold-load comparison (stored load vs plain Y.applyUpdate), alternating. */
const COLD_ROUNDS = 7;

/**
 * YISHI_BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every server process of the run to
 * <dir>/yishi and <dir>/bare (node --cpu-prof), to see where each server's time goes.
 */
function profileArgs(server: 'yishi' | 'bare'): string[] {
	const dir = process.env.YISHI_BENCH_CPU_PROF;
	return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, server)}`] : [];
}

interface YishiSetup {
	env: Record<string, string>;
	tokens: string[];
	/** One empty alternative per pair, and one for the editors. */
	traceAlts: { id: string; documentName: string }[];
	editorsAlt: { id: string; documentName: string };
	url: string;
	remove: () => void;
}

async function setUpYishi(): Promise<YishiSetup> {
	const { createBenchDb, sessionTokens, userIdOf } = await import('./fixture.ts');
	const { loadActor } = await import('../../src/lib/server/access.ts');
	const { createDraft } = await import('../../src/lib/server/drafting/index.ts');
	const bench = await createBenchDb('collab');
	const admin = await loadActor(bench.database, await userIdOf(bench.database, 'admin'));
	const names = ['回放一', '回放二', '回放三', '回放四', '回放五'].slice(0, PAIRS);
	const draft = await createDraft(bench.database, admin, {
		title: '基准测试方案',
		compoundIds: ['aijian', 'hongqiao'],
		alternatives: [...names.map((title) => ({ title })), { title: '多人编辑' }]
	});
	const tokens = await sessionTokens(bench.database, await userIdOf(bench.database, 'aijian_owner'), EDITORS);
	bench.close();
	return {
		env: { DATABASE_URL: bench.url, YISHI_DEMO: '0', YISHI_ALLOW_DEMO_ACCOUNTS: '1' },
		tokens,
		traceAlts: draft.alternatives.slice(0, PAIRS),
		editorsAlt: draft.alternatives[PAIRS],
		url: bench.url,
		remove: bench.remove
	};
}

async function startYishi(setup: YishiSetup): Promise<Started> {
	// The production entry as deployed (plain node, no TypeScript loader: tsx alone adds ~90 MB of
	// heap to this process, and the garbage collector's work grows with it).
	const server = await startServer('build/server.js', setup.env, { nodeArgs: profileArgs('yishi') });
	const auth = (i: number) => setup.tokens[i % setup.tokens.length];
	const target: Target = { label: 'Yishi', wsUrl: `ws://127.0.0.1:${server.port}/collab`, auth, origin: server.url };
	return { server, target };
}

type Started = { server: ServerProcess; target: Target };

async function onServer<T>(start: () => Promise<Started>, run: (s: ServerProcess, t: Target) => Promise<T>): Promise<T> {
	const { server, target } = await start();
	try {
		return await run(server, target);
	} finally {
		await server.stop();
	}
}

async function startBare(): Promise<Started> {
	const server = await startServer('tests/bench/servers/bare-hocuspocus.mjs', {}, { nodeArgs: profileArgs('bare') });
	return { server, target: { label: 'bare Hocuspocus', wsUrl: `ws://127.0.0.1:${server.port}`, auth: () => null, origin: server.url } };
}

interface Pair {
	bare: ReplayResult;
	yishi: ReplayResult;
	first: 'bare' | 'Yishi';
}

/**
 * Cold load, server side, against plain Yjs: the stored state loaded the way the server loads it
 * (the persistence extension's onLoadDocument into a Hocuspocus Document, database read included)
 * and, alternately, `Y.applyUpdate` of the same stored bytes into a new Y.Doc. Same process, same
 * bytes, interleaved rounds; the ratio is of the medians.
 */
interface ColdResult {
	loadMs: number[];
	applyMs: number[];
	bytes: number;
	rows: number;
}

async function coldRatio(url: string, alternativeId: string, documentName: string, expected: string): Promise<ColdResult> {
	const { openDatabase } = await import('../../src/lib/server/db/client.ts');
	const { persistenceExtension } = await import('../../src/lib/server/collab/persistence.ts');
	const { Document } = await import('@hocuspocus/server');
	const database = openDatabase(url);
	try {
		const { readSnapshot, readUpdates } = await import('../../src/lib/server/drafting/repository.ts');
		const { updatesOfRow } = await import('../../src/lib/server/drafting/store.ts');
		const snapshot = await readSnapshot(database.db, alternativeId);
		const rows = await readUpdates(database.db, alternativeId);
		const parts = [...(snapshot ? [snapshot.state] : []), ...rows.flatMap((row) => updatesOfRow(row))];
		const persistence = persistenceExtension(database);
		const loadMs: number[] = [];
		const applyMs: number[] = [];
		for (let round = 0; round < COLD_ROUNDS; round++) {
			collectGarbage();
			const viaServer = async () => {
				const document = new Document(documentName);
				const t0 = now();
				type LoadPayload = Parameters<NonNullable<typeof persistence.onLoadDocument>>[0];
				await persistence.onLoadDocument!({ document, documentName, context: {} } as LoadPayload);
				loadMs.push(now() - t0);
				assertSameText(paragraphText(document, false)?.toString() ?? '', expected, 'stored document');
				document.destroy();
			};
			const viaYjs = () => {
				const doc = new Y.Doc();
				const t0 = now();
				doc.transact(() => {
					for (const part of parts) Y.applyUpdate(doc, part);
				});
				applyMs.push(now() - t0);
				doc.destroy();
			};
			if (round % 2 === 0) {
				await viaServer();
				viaYjs();
			} else {
				viaYjs();
				await viaServer();
			}
		}
		persistence.stop();
		await persistence.drain();
		return { loadMs, applyMs, bytes: parts.reduce((n, p) => n + p.byteLength, 0), rows: rows.length + (snapshot ? 1 : 0) };
	} finally {
		database.close();
	}
}

export async function runCollab(log: (s: string) => void): Promise<Section> {
	const summary: Section['summary'] = [];
	const body: string[] = [];

	const trace = loadTrace();
	const verified = verifyTrace(trace);
	body.push(
		`Trace: automerge-paper (${fmt(trace.txns.length)} transactions, ${fmt(patchCount(trace))} patches, ` +
			`final text ${fmt(trace.endContent.length)} characters). ` +
			`Applying every patch to startContent as plain strings gives endContent (checked, ${ms(verified.ms)}). ` +
			`Each trace transaction is one Yjs transaction, so one provider update; ` +
			`a second provider on the same document must end with exactly endContent. ` +
			`Flow control: the writer keeps at most ~8k unacknowledged updates in flight.`
	);
	log(`  trace verified (${ms(verified.ms)})`);

	let yishiReason: string | null = null;
	if (!existsSync(ATTACH))
		yishiReason = 'src/lib/server/collab/attach.ts (attachCollab) does not exist yet, so there is no /collab to replay through.';
	else if (!existsSync(join(ROOT, 'build/server.js'))) yishiReason = 'no build/server.js: run `npm run build` first.';
	const setup = yishiReason === null ? await setUpYishi() : null;
	try {
		// ── 50 editors: on a fresh server each, before any replay ──
		const bareEditors = await onServer(startBare, (_s, target) => editors(target, 'bench-editors'));
		log(`  bare editors: p50 ${ms(summarize(bareEditors.samples).p50)}`);
		const yishiEditors = setup
			? await onServer(
					() => startYishi(setup),
					(_s, target) => editors(target, setup.editorsAlt.documentName)
				)
			: null;
		if (yishiEditors) log(`  Yishi editors: p50 ${ms(summarize(yishiEditors.samples).p50)}`);

		// ── trace replay: interleaved pairs, each replay on a fresh server ──
		const pairs: Pair[] = [];
		const bareRuns: ReplayResult[] = [];
		for (let i = 0; i < PAIRS; i++) {
			const runBare = async () => {
				collectGarbage();
				const r = await onServer(startBare, (server, target) => replay(target, `bench-trace-${i}`, trace, server));
				log(`  pair ${i + 1} bare: observed ${ms(r.observedMs)}, server CPU ${r.serverCpuMs === null ? 'n/a' : ms(r.serverCpuMs)}`);
				return r;
			};
			const runYishi = async () => {
				collectGarbage();
				const r = await onServer(
					() => startYishi(setup!),
					(server, target) => replay(target, setup!.traceAlts[i].documentName, trace, server)
				);
				log(
					`  pair ${i + 1} Yishi: observed ${ms(r.observedMs)}, server CPU ${r.serverCpuMs === null ? 'n/a' : ms(r.serverCpuMs)}`
				);
				return r;
			};
			if (!setup) {
				bareRuns.push(await runBare());
				continue;
			}
			if (i % 2 === 0) {
				const bare = await runBare();
				pairs.push({ bare, yishi: await runYishi(), first: 'bare' });
			} else {
				const yishi = await runYishi();
				pairs.push({ bare: await runBare(), yishi, first: 'Yishi' });
			}
		}

		// ── cold load: a new server process loads a finished document on first connect ──
		let cold: { providerMs: number; ratio: Awaited<ReturnType<typeof coldRatio>> } | null = null;
		if (setup) {
			const alt = setup.traceAlts[PAIRS - 1];
			const providerMs = await onServer(
				() => startYishi(setup),
				async (_server, target) => {
					const started = now();
					const reader = connect(target, alt.documentName, 0);
					try {
						await synced(reader, 'Yishi cold reader');
						const elapsed = now() - started;
						assertSameText(paragraphText(reader.doc, false)?.toString() ?? '', trace.endContent, 'Yishi cold load');
						return elapsed;
					} finally {
						reader.destroy();
					}
				}
			);
			const ratioResult = await coldRatio(setup.url, alt.id, alt.documentName, trace.endContent);
			cold = { providerMs, ratio: ratioResult };
			const [load, apply] = [median(ratioResult.loadMs), median(ratioResult.applyMs)];
			log(`  cold: provider ${ms(providerMs)}, stored load ${ms(load)} vs Y.applyUpdate ${ms(apply)}`);
		}

		// ── report ──
		const rate = (r: ReplayResult) => r.updates / (r.observedMs / 1000);
		const rows: (string | number)[][] = [];
		pairs.forEach((p, i) => {
			const bareRow = replayRow('bare Hocuspocus', p.bare);
			const yishiRow = replayRow('Yishi /collab', p.yishi);
			for (const row of p.first === 'bare' ? [bareRow, yishiRow] : [yishiRow, bareRow]) rows.push([`${i + 1}`, ...row]);
		});
		bareRuns.forEach((r, i) => rows.push([`${i + 1}`, ...replayRow('bare Hocuspocus', r)]));
		const ratios = pairs.map((p) => p.bare.observedMs / p.yishi.observedMs);
		const cpuPerUpdate = (r: ReplayResult) => (r.serverCpuMs === null ? NaN : (r.serverCpuMs * 1000) / r.updates);
		body.push(
			'### Trace replay, interleaved pairs\n\n' +
				`${PAIRS} pairs; in each pair bare Hocuspocus and Yishi replay the whole trace, each on a server process started for it, ` +
				`the first of the pair alternating (bare first in pairs 1 and 3). ` +
				`Both run under plain \`node\`: Yishi as deployed (\`node build/server.js\`, the app and /collab in one process), ` +
				`bare Hocuspocus from tests/bench/servers/bare-hocuspocus.mjs. ` +
				`The ratio of a pair is bare's time over Yishi's; the figure is the median of the pairs.\n\n` +
				table(REPLAY_COLUMNS, rows) +
				(pairs.length > 0
					? `\n\nRatios (bare time / Yishi time) per pair: ${ratios.map((r) => fmt(r, 2) + '×').join(', ')}; ` +
						`median **${fmt(median(ratios), 2)}×**. Server CPU per update, median of the pairs: ` +
						`bare ${fmt(median(pairs.map((p) => cpuPerUpdate(p.bare))), 0)} µs, ` +
						`Yishi ${fmt(median(pairs.map((p) => cpuPerUpdate(p.yishi))), 0)} µs.`
					: '') +
				`\n\n"all acknowledged": Hocuspocus acknowledges every update (provider.unsyncedChanges back to 0); ` +
				`Yishi acknowledges only after the update is committed to the database. ` +
				`Server CPU is the server process's user+system time during the replay; ` +
				`the bench process (writer + observer provider) runs on the other core.`
		);
		if (pairs.length > 0) {
			const median_ = median(ratios);
			const bareRate = `${fmt(median(pairs.map((p) => rate(p.bare))))} updates/s (median of ${PAIRS})`;
			summary.push(['trace replay, bare Hocuspocus', bareRate, 'baseline, final text = endContent ✔']);
			summary.push([
				'trace replay, Yishi /collab',
				`${fmt(median(pairs.map((p) => rate(p.yishi))))} updates/s (median of ${PAIRS})`,
				`median ratio ${fmt(median_, 2)}× of bare (pairs ${ratios.map((r) => fmt(r, 2)).join(', ')}); ` +
					`target ≥ 0.8× ${median_ >= 0.8 ? '✔' : '✘'}; final text = endContent ✔`
			]);
			// On a loaded machine the bench client sets the pace of both replays; server CPU per update does not depend on it.
			const bareCpu = median(pairs.map((p) => cpuPerUpdate(p.bare)));
			const yishiCpu = median(pairs.map((p) => cpuPerUpdate(p.yishi)));
			summary.push([
				'server CPU per update, bare / Yishi (median of pairs)',
				`${fmt(bareCpu, 0)} µs / ${fmt(yishiCpu, 0)} µs`,
				`bare's cost is ${fmt(bareCpu / yishiCpu, 2)}× of Yishi's; ` +
					`by server CPU the ≥ 0.8× goal is ${bareCpu / yishiCpu >= 0.8 ? '✔' : '✘'}`
			]);
		} else {
			summary.push([
				'trace replay, bare Hocuspocus',
				`${fmt(median(bareRuns.map(rate)))} updates/s`,
				'baseline, final text = endContent ✔'
			]);
			summary.push(['trace replay, Yishi /collab', 'not measured', yishiReason!]);
		}

		const sBare = summarize(bareEditors.samples);
		const editorRows: (string | number)[][] = [
			['bare Hocuspocus (baseline)', fmt(sBare.n), ms(sBare.p50), ms(sBare.p99), ms(sBare.max), fmt(bareEditors.missing)]
		];
		if (yishiEditors) {
			const s = summarize(yishiEditors.samples);
			editorRows.push(['Yishi /collab', fmt(s.n), ms(s.p50), ms(s.p99), ms(s.max), fmt(yishiEditors.missing)]);
			summary.push(['50 editors, propagation p50 / p99', `${ms(s.p50)} / ${ms(s.p99)}`, `bare: ${ms(sBare.p50)} / ${ms(sBare.p99)}`]);
		} else summary.push(['50 editors, propagation p50 / p99', 'not measured', `bare: ${ms(sBare.p50)} / ${ms(sBare.p99)}`]);
		body.push(
			`### ${EDITORS} concurrent editors on one document\n\n` +
				`${ROUNDS} rounds; in each, every editor inserts one marker at a random place ` +
				`at a random moment within ${ROUND_WINDOW_MS} ms; ` +
				`every other editor records when the marker arrives (all clients in the bench process, one clock). ` +
				`At the end all ${EDITORS} texts must be equal and hold all ${EDITORS * ROUNDS} markers.\n\n` +
				table(['server', 'samples', 'p50', 'p99', 'max', 'not observed'], editorRows)
		);

		if (cold) {
			const load = median(cold.ratio.loadMs);
			const apply = median(cold.ratio.applyMs);
			const r = load / apply;
			body.push(
				'### Cold load of the finished document\n\n' +
					`The document of the last pair's replay as stored after its server stopped: ` +
					`${fmt(cold.ratio.rows)} stored row(s) (snapshot and update rows), ${bytes(cold.ratio.bytes)}. ` +
					`In the bench process, ${COLD_ROUNDS} alternating rounds of (a) the server's load — ` +
					`the persistence extension's onLoadDocument into a new Hocuspocus Document, ` +
					`reading the database included — and (b) plain \`Y.applyUpdate\` of the same stored bytes into a new Y.Doc: ` +
					`(a) median ${ms(load)} (${cold.ratio.loadMs.map(ms).join(', ')}), ` +
					`(b) median ${ms(apply)} (${cold.ratio.applyMs.map(ms).join(', ')}); ratio **${fmt(r, 2)}×** (target ≤ 1.5×).\n\n` +
					`End to end, a new server process was started and a new provider connected and synced the finished document ` +
					`in ${ms(cold.providerMs)} ` +
					`(process already listening; connect + auth + load from the database + sync + the provider applying it).`
			);
			const verdict = `${fmt(r, 2)}×; target ≤ 1.5× ${r <= 1.5 ? '✔' : '✘'}`;
			summary.push(['cold load of the stored state / plain Y.applyUpdate', `${ms(load)} / ${ms(apply)}`, verdict]);
			summary.push(['cold load, provider connect → synced (new server process)', ms(cold.providerMs), 'end to end, for reference']);
		} else {
			body.push(
				`### Yishi /collab\n\n${notMeasured(yishiReason!)} ` +
					`Replay, ${EDITORS} editors, cold load and Yishi server memory wait for it.`
			);
			summary.push(['cold load of the finished document', 'not measured', yishiReason!]);
		}
		return { id: 'collab', title: '3. Collaboration (/collab)', body: body.join('\n\n'), summary };
	} finally {
		setup?.remove();
	}
}
