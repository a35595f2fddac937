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
import { bytes, fmt, ms, now, ratio, sleep, summarize, waitFor } from './stats.ts';
import { assertSameText, loadTrace, patchCount, verifyTrace, type Trace } from './trace.ts';

const CONTENT_FIELD = 'content';
const EDITORS = 50;
const ROUNDS = 10;
const ROUND_WINDOW_MS = 250;
const REPLAY_TIMEOUT_MS = 120_000;
/** Bounded: a replay that has not sent everything after this long fails instead of hanging the run. */
const REPLAY_BUDGET_MS = 300_000;

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
		if (!(await waitFor(() => paragraphText(observer.doc, false) !== null, 10_000))) throw new Error(`${target.label}: observer never saw the paragraph`);
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
				if (now() - started > REPLAY_BUDGET_MS) throw new Error(`${target.label}: only ${n} of ${trace.txns.length} updates sent after ${REPLAY_BUDGET_MS / 1000} s`);
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
		if (!(await waitFor(() => clients.every((c) => paragraphText(c.doc, false) !== null), 10_000))) throw new Error(`${target.label}: editors never saw the paragraph`);
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
		for (const [i, c] of clients.entries()) assertSameText(paragraphText(c.doc, false)!.toString(), finalText, `${target.label} editor ${i}`);
		const markers = finalText.match(/⟦\d+:\d+⟧/g)?.length ?? 0;
		if (markers !== EDITORS * ROUNDS) throw new Error(`${target.label}: ${markers} markers in the final text, expected ${EDITORS * ROUNDS}`);
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

export async function runCollab(log: (s: string) => void): Promise<Section> {
	const summary: Section['summary'] = [];
	const body: string[] = [];

	const trace = loadTrace();
	const verified = verifyTrace(trace);
	body.push(
		`Trace: automerge-paper (${fmt(trace.txns.length)} transactions, ` + `${fmt(patchCount(trace))} patches, final text ${fmt(trace.endContent.length)} characters). ` +
			`Applying every patch to startContent as plain strings gives endContent (checked, ${ms(verified.ms)}). ` +
			`Each trace transaction is one Yjs transaction, so one provider update; a second provider ` + `on the same document must end with exactly endContent. ` +
			`Flow control: the writer keeps at most ~8k unacknowledged updates in flight.`
	);
	log(`  trace verified (${ms(verified.ms)})`);

	// ── baseline: bare Hocuspocus ──
	const bare = await startServer('tests/bench/servers/bare-hocuspocus.ts');
	let bareReplay: ReplayResult;
	let bareEditors: { samples: number[]; missing: number };
	try {
		const target: Target = { label: 'bare Hocuspocus', wsUrl: `ws://127.0.0.1:${bare.port}`, auth: () => null, origin: bare.url };
		// Editors first, on a fresh server and a bench process without the replay's garbage.
		bareEditors = await editors(target, 'bench-editors');
		log(`  bare editors: p50 ${ms(summarize(bareEditors.samples).p50)}`);
		collectGarbage();
		bareReplay = await replay(target, 'bench-trace', trace, bare);
		log(`  bare replay: sent ${ms(bareReplay.sentMs)}, acked ${ms(bareReplay.ackMs)}, observed ${ms(bareReplay.observedMs)}`);
	} finally {
		await bare.stop();
	}

	// ── Yishi /collab ──
	let yishi: { replay: ReplayResult; editors: { samples: number[]; missing: number }; cold: { ms: number; dbMs: number } } | null = null;
	let yishiReason: string | null = null;
	if (!existsSync(ATTACH)) yishiReason = 'src/lib/server/collab/attach.ts (attachCollab) does not exist yet, so there is no /collab to replay through.';
	else if (!existsSync(join(ROOT, 'build/handler.js'))) yishiReason = 'no build/handler.js: run `npx vite build` first.';
	if (yishiReason === null) {
		yishi = await runYishi(trace, log);
	}

	const sBare = summarize(bareEditors.samples);
	const rows = [replayRow('bare Hocuspocus (baseline)', bareReplay)];
	if (yishi) rows.push(replayRow('Yishi /collab', yishi.replay));
	body.push(
		'### Trace replay\n\n' +
			table(['server', 'updates', 'all sent', 'all acknowledged', 'observer has endContent', 'updates/s', 'server RSS idle', 'RSS after', 'peak RSS', 'server CPU', 'bench-process CPU'], rows) +
			`\n\n"all acknowledged": Hocuspocus acknowledges every update (provider.unsyncedChanges ` + `back to 0); Yishi acknowledges only after the update is committed to the database. ` +
			`Server CPU is the server process's user+system time during the replay; the bench process ` + `(writer + observer provider) runs on the other core.` +
			`\n\nEncoded final document: ${bytes(bareReplay.encodedBytes)} (update format V1).`
	);
	summary.push(['trace replay, bare Hocuspocus', `${fmt(bareReplay.updates / (bareReplay.observedMs / 1000))} updates/s (${ms(bareReplay.observedMs)})`, 'baseline, final text = endContent ✔']);
	if (yishi) {
		summary.push([
			'trace replay, Yishi /collab',
			`${fmt(yishi.replay.updates / (yishi.replay.observedMs / 1000))} updates/s (${ms(yishi.replay.observedMs)})`,
			`${ratio(bareReplay.observedMs, yishi.replay.observedMs)} of bare; final text = endContent ✔`
		]);
	} else summary.push(['trace replay, Yishi /collab', 'not measured', yishiReason!]);

	const editorRows: (string | number)[][] = [['bare Hocuspocus (baseline)', fmt(sBare.n), ms(sBare.p50), ms(sBare.p99), ms(sBare.max), fmt(bareEditors.missing)]];
	if (yishi) {
		const s = summarize(yishi.editors.samples);
		editorRows.push(['Yishi /collab', fmt(s.n), ms(s.p50), ms(s.p99), ms(s.max), fmt(yishi.editors.missing)]);
		summary.push(['50 editors, propagation p50 / p99', `${ms(s.p50)} / ${ms(s.p99)}`, `bare: ${ms(sBare.p50)} / ${ms(sBare.p99)}`]);
	} else summary.push(['50 editors, propagation p50 / p99', 'not measured', `bare: ${ms(sBare.p50)} / ${ms(sBare.p99)}`]);
	body.push(
		`### ${EDITORS} concurrent editors on one document\n\n` +
			`${ROUNDS} rounds; in each, every editor inserts one marker at a random place at a random ` + `moment within ${ROUND_WINDOW_MS} ms; ` +
			`every other editor records when the marker arrives (all clients in the bench process, ` + `one clock). At the end all ${EDITORS} texts must be equal and hold all ${EDITORS * ROUNDS} markers.\n\n` +
			table(['server', 'samples', 'p50', 'p99', 'max', 'not observed'], editorRows)
	);

	if (yishi) {
		body.push(
			'### Cold load of the finished document\n\n' +
				`After the replay the Yishi server was restarted; a new provider connected and synced the ` + `finished document in **${ms(yishi.cold.ms)}** ` +
				`(connect + auth + load from the database + sync; target < 150 ms). Loading it in the ` + `bench process with loadStoredDocument: ${ms(yishi.cold.dbMs)}.`
		);
		summary.push(['cold load of the finished document', ms(yishi.cold.ms), yishi.cold.ms < 150 ? 'target < 150 ms ✔' : 'target < 150 ms ✘']);
	} else {
		body.push(`### Yishi /collab\n\n${notMeasured(yishiReason!)} Replay, ${EDITORS} editors, cold load and Yishi server memory wait for it.`);
		summary.push(['cold load of the finished document', 'not measured', yishiReason!]);
	}
	return { id: 'collab', title: '3. Collaboration (/collab)', body: body.join('\n\n'), summary };
}

/** The Yishi half: a real `tsx src/cli/serve.ts` on a bench database with the demo and a draft. */
async function runYishi(trace: Trace, log: (s: string) => void) {
	const { createBenchDb, sessionTokens, userIdOf } = await import('./fixture.ts');
	const { loadActor } = await import('../../src/lib/server/access.ts');
	const { createDraft, loadStoredDocument } = await import('../../src/lib/server/drafting/index.ts');
	const bench = await createBenchDb('collab');
	try {
		const admin = await loadActor(bench.database, await userIdOf(bench.database, 'admin'));
		const draft = await createDraft(bench.database, admin, { title: '基准测试方案', compoundIds: ['aijian', 'hongqiao'], alternatives: [{ title: '回放' }, { title: '多人编辑' }] });
		const [traceAlt, editorsAlt] = draft.alternatives;
		const tokens = await sessionTokens(bench.database, await userIdOf(bench.database, 'aijian_owner'), EDITORS);
		bench.close();
		const env = { DATABASE_URL: bench.url, YISHI_DEMO: '0', YISHI_ALLOW_DEMO_ACCOUNTS: '1' };
		let server = await startServer('src/cli/serve.ts', env);
		let target: Target = { label: 'Yishi', wsUrl: `ws://127.0.0.1:${server.port}/collab`, auth: (i) => tokens[i % tokens.length], origin: server.url };
		let replayResult: ReplayResult;
		let editorsResult: { samples: number[]; missing: number };
		try {
			editorsResult = await editors(target, editorsAlt.documentName);
			log(`  Yishi editors: p50 ${ms(summarize(editorsResult.samples).p50)}`);
			collectGarbage();
			replayResult = await replay(target, traceAlt.documentName, trace, server);
			log(`  Yishi replay: sent ${ms(replayResult.sentMs)}, acked ${ms(replayResult.ackMs)}, observed ${ms(replayResult.observedMs)}`);
		} finally {
			await server.stop();
		}
		// Cold: a new server process, the document loaded from the database on first connect.
		server = await startServer('src/cli/serve.ts', env);
		let coldMs: number;
		try {
			target = { ...target, wsUrl: `ws://127.0.0.1:${server.port}/collab`, origin: server.url };
			const started = now();
			const reader = connect(target, traceAlt.documentName, 0);
			try {
				await synced(reader, 'Yishi cold reader');
				coldMs = now() - started;
				assertSameText(paragraphText(reader.doc, false)?.toString() ?? '', trace.endContent, 'Yishi cold load');
			} finally {
				reader.destroy();
			}
		} finally {
			await server.stop();
		}
		const { openDatabase } = await import('../../src/lib/server/db/client.ts');
		const database = openDatabase(bench.url);
		let dbMs: number;
		try {
			const started = now();
			const stored = await loadStoredDocument(database, traceAlt.id);
			dbMs = now() - started;
			const doc = (stored as { doc?: Y.Doc }).doc ?? (stored as unknown as Y.Doc);
			const fragment = doc.getXmlFragment(CONTENT_FIELD);
			const text = ((fragment.get(0) as Y.XmlElement)?.get(0) as Y.XmlText | undefined)?.toString() ?? '';
			assertSameText(text, trace.endContent, 'stored document');
		} finally {
			database.close();
		}
		return { replay: replayResult, editors: editorsResult, cold: { ms: coldMs, dbMs } };
	} finally {
		bench.remove();
	}
}
