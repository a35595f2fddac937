/**
 * Several app processes (issue #16): 30 editors co-editing one document, on one process and then
 * spread round-robin over three processes on the same database file with Redis in between
 * (REDIS_URL, bus/redis.ts). Reported side by side: propagation from the moment an editor types
 * a paragraph to the moment each other editor's document holds it, split into deliveries within
 * one process and across processes. Editors connect to the processes directly (nginx in front is
 * covered by tests/deploy/cluster.test.ts, which checks p99 < 100 ms behind it).
 *
 * Paced typing (one paragraph every 20 ms, each editor in turn), one unmeasured warm-up round,
 * then four measured rounds; the final text of every editor and of the database must agree or the
 * bench fails. Needs Debian's redis-server (/usr/bin/redis-server); without it: not measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startServer, freePort, type ServerProcess } from './proc.ts';
import { notMeasured, table, type Section } from './report.ts';
import { ms, sleep, summarize } from './stats.ts';
import { waitUntil } from '../helpers/wait.ts';
import { createBenchDb, sessionTokens, userIdOf } from './fixture.ts';
import { CONTENT_FIELD, textSegments } from '../../src/lib/domain/drafting/document.ts';

const REDIS = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
const EDITORS = 30;
const ROUNDS = 5;
const PACE_MS = 20;
const MARKER = /⟦(\d+)⟧/g;

interface Editor {
	provider: HocuspocusProvider;
	doc: Y.Doc;
	server: number;
	seen: Map<string, number>;
}

function startRedis(port: number): Promise<ChildProcess> {
	const child = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	return new Promise((done, fail) => {
		const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${out}`)), 20_000);
		child.stdout!.on('data', (d) => {
			out += d;
			if (out.includes('Ready to accept connections')) {
				clearTimeout(timer);
				done(child);
			}
		});
		child.once('exit', () => fail(new Error(`redis-server exited: ${out}`)));
	});
}

function connect(server: ServerProcess, index: number, token: string, name: string): Editor {
	const doc = new Y.Doc();
	const editor: Editor = { doc, server: index, seen: new Map(), provider: undefined as unknown as HocuspocusProvider };
	doc.getXmlFragment(CONTENT_FIELD).observeDeep((events) => {
		const t = performance.now();
		for (const event of events)
			for (const item of event.changes.added)
				for (const part of item.content.getContent())
					for (const m of String(part).matchAll(MARKER)) if (!editor.seen.has(m[1])) editor.seen.set(m[1], t);
	});
	class WithCookie extends WebSocket {
		constructor(address: string, protocols?: string | string[]) {
			super(address, protocols, { headers: { cookie: `yishi_session=${token}`, origin: server.url } });
		}
	}
	editor.provider = new HocuspocusProvider({
		url: `ws://127.0.0.1:${server.port}/collab`,
		name,
		document: doc,
		WebSocketPolyfill: WithCookie as unknown as typeof globalThis.WebSocket
	} as ConstructorParameters<typeof HocuspocusProvider>[0]);
	return editor;
}

function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	return waitUntil(check, { timeoutMs, everyMs: 5, what });
}

async function measure(servers: ServerProcess[], tokens: string[], name: string, dbUrl: string, alternativeId: string) {
	const editors = tokens.map((token, i) => connect(servers[i % servers.length], i % servers.length, token, name));
	try {
		await until(() => editors.every((e) => e.provider.isSynced), 60_000, 'editors synced');
		let next = 0;
		const typed = new Map<string, { at: number; by: Editor; round: number }>();
		for (let round = 0; round < ROUNDS; round++) {
			for (const editor of editors) {
				const marker = String(next++);
				editor.doc.transact(() => {
					const paragraph = new Y.XmlElement('paragraph');
					editor.doc.getXmlFragment(CONTENT_FIELD).push([paragraph]);
					const text = new Y.XmlText();
					paragraph.push([text]);
					text.insert(0, `第⟦${marker}⟧段`);
				});
				typed.set(marker, { at: performance.now(), by: editor, round });
				await sleep(PACE_MS);
			}
		}
		await until(() => editors.every((e) => [...typed.keys()].every((m) => e.seen.has(m))), 60_000, 'every editor has every paragraph');
		await until(() => editors.every((e) => e.provider.unsyncedChanges === 0), 60_000, 'every edit acknowledged');
		const text = textSegments(editors[0].doc.getXmlFragment(CONTENT_FIELD)).text;
		for (const e of editors)
			if (textSegments(e.doc.getXmlFragment(CONTENT_FIELD)).text !== text) throw new Error('editors did not converge');
		const { openDatabase } = await import('../../src/lib/server/db/client.ts');
		const { loadStoredDocument } = await import('../../src/lib/server/drafting/store.ts');
		const database = openDatabase(dbUrl);
		const stored = new Y.Doc();
		try {
			await loadStoredDocument(database, alternativeId, stored);
		} finally {
			database.close();
		}
		if (textSegments(stored.getXmlFragment(CONTENT_FIELD)).text !== text)
			throw new Error('the stored document differs from the editors');
		const same: number[] = [];
		const cross: number[] = [];
		for (const [marker, { at, by, round }] of typed) {
			if (round === 0) continue;
			for (const e of editors) if (e !== by) (e.server === by.server ? same : cross).push(e.seen.get(marker)! - at);
		}
		return { all: summarize([...same, ...cross]), same: summarize(same), cross: summarize(cross) };
	} finally {
		for (const e of editors) e.provider.destroy();
	}
}

export async function runCluster(log: (s: string) => void): Promise<Section> {
	const title = '5. Several app processes (Redis)';
	if (!existsSync(REDIS))
		return {
			id: 'cluster',
			title,
			summary: [['30 editors on 3 processes', 'not measured', 'no redis-server']],
			body: notMeasured(`${REDIS} is not installed (apt-get install redis-server)`)
		};
	const bench = await createBenchDb('cluster');
	const { createDraft } = await import('../../src/lib/server/drafting/index.ts');
	const { loadActor } = await import('../../src/lib/server/access.ts');
	const facilitatorId = await userIdOf(bench.database, 'facilitator');
	const tokens = await sessionTokens(bench.database, facilitatorId, EDITORS);
	const actor = await loadActor(bench.database, facilitatorId);
	const make = async (title: string) =>
		(
			await createDraft(bench.database, actor, {
				title,
				compoundIds: ['aijian', 'hongqiao'],
				sessionId: 'gate-case',
				alternatives: [{ title: '甲' }, { title: '乙' }]
			})
		).alternatives[0].id;
	const single = await make('单进程基准');
	const multi = await make('三进程基准');
	bench.close();
	const redisPort = await freePort();
	const redis = await startRedis(redisPort);
	const env = {
		DATABASE_URL: bench.url,
		YISHI_DEMO: '0',
		YISHI_ALLOW_DEMO_ACCOUNTS: '1',
		ORIGIN: 'http://127.0.0.1:{PORT}',
		REDIS_URL: `redis://127.0.0.1:${redisPort}`
	};
	const servers: ServerProcess[] = [];
	try {
		for (let i = 0; i < 3; i++) servers.push(await startServer('src/cli/serve.ts', env));
		const one = await measure(servers.slice(0, 1), tokens, `alt:${single}`, bench.url, single);
		log(`  one process: p50 ${ms(one.all.p50)}, p99 ${ms(one.all.p99)}`);
		const three = await measure(servers, tokens, `alt:${multi}`, bench.url, multi);
		log(`  three processes: p50 ${ms(three.all.p50)}, p99 ${ms(three.all.p99)} (across processes p99 ${ms(three.cross.p99)})`);
		const row = (label: string, s: ReturnType<typeof summarize>) => [label, s.n, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
		return {
			id: 'cluster',
			title,
			summary: [
				['30 editors, one process: propagation p50 / p99', `${ms(one.all.p50)} / ${ms(one.all.p99)}`, 'baseline'],
				['30 editors on three processes + Redis: p50 / p99', `${ms(three.all.p50)} / ${ms(three.all.p99)}`, 'p99 < 100 ms']
			],
			body: [
				`${EDITORS} editors (@hocuspocus/provider in the bench process) co-edit one document; one ` +
					`paragraph every ${PACE_MS} ms, each editor in turn, ${ROUNDS - 1} measured rounds after ` +
					`one warm-up round. Propagation: typed → present in each other editor's document. Three ` +
					`processes: editors round-robin, each process on the same database file, Redis on ` +
					`loopback. Every editor's text, and the stored document, agree at the end.`,
				table(
					['deliveries', 'n', 'p50', 'p90', 'p99', 'max'],
					[
						row('one process', one.all),
						row('three processes, all', three.all),
						row('three processes, same process', three.same),
						row('three processes, across processes', three.cross)
					]
				)
			].join('\n\n')
		};
	} finally {
		await Promise.all(servers.map((s) => s.stop()));
		const exited = new Promise((r) => redis.once('exit', r));
		redis.kill('SIGKILL');
		await exited;
		bench.remove();
	}
}
