/**
 * Pages bench: requests/s and latency of Yishi's pages against a bare node:http server and a
 * minimal SvelteKit page (tests/bench/minimal-kit, same SvelteKit/Svelte/Vite/adapter-node), each
 * served by its own child process the way src/cli/serve.ts serves Yishi; and the gzip bytes of the
 * JS and CSS each page loads, collected from the page itself (its modulepreload links, scripts,
 * stylesheets and the start script's imports), read from the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { load, type LoadResult } from './load.ts';
import { ROOT, startServer, type ServerProcess } from './proc.ts';
import { notMeasured, table, type Section } from './report.ts';
import { bytes, fmt, ms, pct } from './stats.ts';

const CONCURRENCY = 16;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const KIT_DIR = join(ROOT, 'tests/bench/minimal-kit');
const JS_BUDGET_RECORD = 50 * 1024;
const DAY = 24 * 60 * 60 * 1000;

interface Assets {
	js: string[];
	css: string[];
	jsGzip: number;
	cssGzip: number;
	editorInJs: boolean;
}

/**
 * The JS and CSS a page loads at first paint: what its HTML names (scripts, modulepreload and
 * stylesheet links, the start script's imports), the route nodes kit.start() imports
 * (node_ids), and every static import inside those files — all fetched from the server that
 * rendered the page, as a browser would, then gzipped at level 9.
 */
async function pageAssets(base: string, path: string, headers: Record<string, string> = {}): Promise<Assets> {
	const res = await fetch(base + path, { headers, redirect: 'manual' });
	const html = await res.text();
	const urls = new Set<string>();
	for (const m of html.matchAll(/<link\b[^>]*>/g)) {
		const tag = m[0];
		const href = /href="([^"]+)"/.exec(tag)?.[1];
		if (href && /rel="(modulepreload|stylesheet)"/.test(tag)) urls.add(href);
	}
	for (const m of html.matchAll(/<script\b[^>]*src="([^"]+)"/g)) urls.add(m[1]);
	for (const m of html.matchAll(/import\((?:"|')([^"']+)(?:"|')\)/g)) urls.add(m[1]);
	const files = [...urls].map((u) => new URL(u, base + path).pathname).filter((p) => p.startsWith('/_app/'));
	const cache = new Map<string, Buffer>();
	const get = async (file: string): Promise<Buffer> => {
		let body = cache.get(file);
		if (!body) {
			const r = await fetch(base + file, { headers: { 'accept-encoding': 'identity' } });
			if (r.status !== 200) throw new Error(`${path}: ${file} answered ${r.status} (was build/ rebuilt while the bench ran?)`);
			body = Buffer.from(await r.arrayBuffer());
			cache.set(file, body);
		}
		return body;
	};
	// Route nodes: kit.start(app, el, { node_ids: [0, 2] }) imports them through app.js, or, with the router's
	// server resolution (svelte.config.js), through the page's own `server_route: { nodes: { '2': () => import(...) } }`,
	// which the import() scan above already collected.
	const nodeIds =
		/node_ids:\s*\[([\d,\s]*)\]/
			.exec(html)?.[1]
			.split(',')
			.map((x) => x.trim())
			.filter(Boolean) ?? [];
	const appFile = files.find((f) => /\/entry\/app\.[^/]+\.js$/.test(f));
	if (nodeIds.length > 0) {
		if (!appFile) throw new Error(`${path}: route nodes but no entry/app.js`);
		const appCode = (await get(appFile)).toString('utf8');
		for (const id of nodeIds) {
			if (files.some((f) => new RegExp(`/nodes/${id}\\.[\\w-]+\\.js$`).test(f))) continue;
			const m = new RegExp(`\\.\\./nodes/${id}\\.[\\w-]+\\.js`).exec(appCode);
			if (!m) throw new Error(`${path}: neither the page nor app.js names route node ${id}`);
			files.push(new URL(m[0], `http://x${appFile}`).pathname);
		}
	} else if (files.some((f) => f.endsWith('.js'))) throw new Error(`${path}: the page loads JS but names no route nodes`);
	// No node_ids and no scripts: a page with \`csr = false\`, which loads no JavaScript at all.
	const seen = new Set(files.filter((f) => f.endsWith('.js')));
	const queue = [...seen];
	while (queue.length > 0) {
		const f = queue.pop()!;
		const code = (await get(f)).toString('utf8');
		for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) {
			const target = new URL(m[1], `http://x${f}`).pathname;
			if (!seen.has(target)) {
				seen.add(target);
				queue.push(target);
			}
		}
	}
	const js = [...seen];
	const css = files.filter((f) => f.endsWith('.css'));
	const gz = async (f: string) => gzipSync(await get(f), { level: 9 }).byteLength;
	let jsGzip = 0;
	let cssGzip = 0;
	let editorInJs = false;
	for (const f of js) {
		jsGzip += await gz(f);
		if (/ProseMirror|prosemirror|@tiptap|HocuspocusProvider/.test((await get(f)).toString('utf8'))) editorInJs = true;
	}
	for (const f of css) cssGzip += await gz(f);
	return { js, css, jsGzip, cssGzip, editorInJs };
}

function buildMinimalKit(): void {
	if (existsSync(join(KIT_DIR, 'build/handler.js'))) return;
	const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
		cwd: KIT_DIR,
		encoding: 'utf8',
		timeout: 120_000
	});
	if (r.status !== 0) throw new Error(`building tests/bench/minimal-kit failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
}

function newestMtime(dir: string): number {
	let newest = 0;
	for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
	return newest;
}

/**
 * A database with the demo and, when the build has the record page, one published record: 200
 * owners vote, the count is closed, signed by both 业委会, co-signed, and published.
 */
async function publishedRecordFixture(withRecord: boolean, log: (s: string) => void) {
	const { votingFixture } = await import('./ballots.ts');
	const { userIdOf } = await import('./fixture.ts');
	const { loadActor } = await import('../../src/lib/server/access.ts');
	const { clock } = await import('../../src/lib/server/util/clock.ts');
	const fixture = await votingFixture();
	const { database } = fixture.bench;
	let recordId: string | null = null;
	const realNow = clock.now;
	try {
		if (withRecord) {
			const { castElectronicBallot, closeBallot } = await import('../../src/lib/server/voting/index.ts');
			const { signCount, cosignCount, publishPreliminaryRecord } = await import('../../src/lib/server/records/publish.ts');
			const actor = async (login: string) => loadActor(database, await userIdOf(database, login));
			const choices = ['yes', 'yes', 'no', 'abstain'];
			// The fixture's voting window is open now; the count closes after its deadline (9 days on).
			await Promise.all(
				fixture.voters.map(async (id, v) =>
					castElectronicBallot(database, await loadActor(database, id), {
						ballotId: fixture.ballotId,
						choices: { A: choices[v % 4], B: choices[(v * 3) % 4] }
					})
				)
			);
			const offset = 10 * DAY;
			clock.now = () => Date.now() + offset;
			writeFileSync(fixture.clockFile, String(offset));
			await closeBallot(database, await actor('aijian_ywh'), { ballotId: fixture.ballotId });
			await signCount(database, await actor('aijian_ywh'), { ballotId: fixture.ballotId, compoundId: 'aijian', unitVotes: 'masked' });
			await signCount(database, await actor('hongqiao_ywh'), {
				ballotId: fixture.ballotId,
				compoundId: 'hongqiao',
				unitVotes: 'masked'
			});
			await cosignCount(database, await actor('scrutineer'), { ballotId: fixture.ballotId });
			const published = await publishPreliminaryRecord(database, await actor('juwei'), {
				ballotId: fixture.ballotId,
				minutes: [{ title: '侧门方案协商会', date: '2026-03-01', summary: '两个小区的业主代表讨论了侧门开放时间与门禁。' }],
				dissent: [{ from: '虹桥小区部分业主', summary: '担心夜间安全。' }]
			});
			recordId = published.recordId;
			log(`  published record ${recordId}`);
		}
	} finally {
		clock.now = realNow;
		fixture.bench.close();
	}
	return { url: fixture.bench.url, clockFile: fixture.clockFile, recordId, voters: fixture.voters.length, remove: fixture.bench.remove };
}

function loadRow(label: string, r: LoadResult, base: LoadResult | null): (string | number)[] {
	const statuses = Object.entries(r.statuses)
		.map(([s, n]) => `${s}×${fmt(n)}`)
		.join(', ');
	return [
		label,
		fmt(r.perSecond),
		ms(r.latency.p50),
		ms(r.latency.p99),
		bytes(Math.round(r.bytes / Math.max(1, r.requests))),
		statuses + (r.errors ? `, errors ${r.errors}` : ''),
		base ? pct(r.perSecond, base.perSecond) : '—'
	];
}

/** Whether the public record page (/records/[id]) exists in the source and in the build. */
function recordRoute(): { source: boolean; built: boolean } {
	const source = existsSync(join(ROOT, 'src/routes/records/[id]/+page.svelte'));
	const chunks = join(ROOT, 'build/server/chunks');
	const manifest = existsSync(chunks) ? readdirSync(chunks).find((f) => f.startsWith('manifest')) : undefined;
	const built = manifest !== undefined && readFileSync(join(chunks, manifest), 'utf8').includes('id: "/records/[id]"');
	return { source, built };
}

export async function runPages(log: (s: string) => void): Promise<Section> {
	const summary: Section['summary'] = [];
	const body: string[] = [];
	const opts = { concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: WARMUP_MS };
	if (!existsSync(join(ROOT, 'build/handler.js'))) throw new Error('no build/handler.js: run `npx vite build` first');
	buildMinimalKit();

	const results: { label: string; r: LoadResult }[] = [];
	const measure = async (label: string, server: ServerProcess, path: string) => {
		const r = await load(server.port, path, opts);
		if (r.errors > 0 || Object.keys(r.statuses).some((s) => s !== '200'))
			throw new Error(`${label}: non-200 answers or errors: ${JSON.stringify(r.statuses)}, ${r.errors} errors`);
		log(`  ${label}: ${fmt(r.perSecond)} req/s, p99 ${ms(r.latency.p99)}`);
		results.push({ label, r });
		return r;
	};

	const bare = await startServer('tests/bench/servers/bare-http.ts');
	try {
		await measure('bare node:http', bare, '/');
	} finally {
		await bare.stop();
	}
	const kit = await startServer('tests/bench/servers/kit-minimal.ts');
	let kitResult: LoadResult;
	let kitAssets: Assets;
	try {
		kitResult = await measure('minimal SvelteKit page', kit, '/');
		kitAssets = await pageAssets(kit.url, '/');
	} finally {
		await kit.stop();
	}

	const record = recordRoute();
	const yishiPages: { path: string; label: string }[] = [
		{ path: '/', label: 'Yishi / (home, anonymous)' },
		{ path: '/login', label: 'Yishi /login' }
	];
	const fixture = await publishedRecordFixture(record.built, log);
	if (fixture.recordId) yishiPages.push({ path: `/records/${fixture.recordId}`, label: 'Yishi public record /records/[id]' });
	const assets: { label: string; a: Assets }[] = [{ label: 'minimal SvelteKit page', a: kitAssets }];
	try {
		const app = await startServer('src/cli/serve.ts', {
			DATABASE_URL: fixture.url,
			YISHI_DEMO: '0',
			YISHI_ALLOW_DEMO_ACCOUNTS: '1',
			YISHI_TEST_CLOCK_FILE: fixture.clockFile
		});
		try {
			for (const p of yishiPages) {
				await measure(p.label, app, p.path);
				assets.push({ label: p.label, a: await pageAssets(app.url, p.path) });
			}
		} finally {
			await app.stop();
		}
	} finally {
		fixture.remove();
	}

	const base = results[0].r;
	body.push(
		`Each server is its own child process on 127.0.0.1 (one core for it, one for the load ` +
			`generator: on 2 cores the bare server is limited by the client). ` +
			`Load: ${CONCURRENCY} concurrent keep-alive connections from an in-process generator, ` +
			`${WARMUP_MS / 1000} s warm-up discarded, then ${DURATION_MS / 1000} s measured; every answer must be 200. ` +
			`Yishi runs as in production (\`tsx src/cli/serve.ts\` with the build in build/ from ` +
			`${new Date(newestMtime(join(ROOT, 'build/client'))).toISOString()}) on a fresh database ` +
			`with the demo and the record fixture below.\n\n` +
			table(
				['server / page', 'requests/s', 'p50', 'p99', 'bytes/answer', 'answers', 'of bare'],
				results.map(({ label, r }) => loadRow(label, r, label === 'bare node:http' ? null : base))
			)
	);
	for (const { label, r } of results.slice(2).filter((x) => !x.label.startsWith('Yishi public record'))) {
		summary.push([
			`${label}: requests/s, p99`,
			`${fmt(r.perSecond)}/s, ${ms(r.latency.p99)}`,
			`${pct(r.perSecond, kitResult.perSecond)} of the minimal SvelteKit page (the ≥ 60% target is the record page's)`
		]);
	}
	summary.push(['bare node:http / minimal SvelteKit page', `${fmt(base.perSecond)}/s / ${fmt(kitResult.perSecond)}/s`, 'baselines']);
	body.push(
		'### JS and CSS per page (gzip -9 bytes)\n\n' +
			"Collected as a browser loads them, from the server that rendered the page: the HTML's " +
			'scripts, modulepreload and stylesheet links and start-script imports, the route nodes ' +
			'kit.start() imports, and every static import inside those files. "editor" says whether ' +
			'any of that JS contains the editor (ProseMirror/Tiptap/Hocuspocus).\n\n' +
			table(
				['page', 'JS files', 'JS gzip', 'CSS files', 'CSS gzip', 'editor in JS'],
				assets.map(({ label, a }) => [
					label,
					a.js.length,
					bytes(a.jsGzip),
					a.css.length,
					bytes(a.cssGzip),
					a.editorInJs ? 'yes' : 'no'
				])
			)
	);
	for (const { label, a } of assets.slice(1).filter((x) => !x.label.startsWith('Yishi public record')))
		summary.push([
			`${label}: JS / CSS gzip`,
			`${bytes(a.jsGzip)} / ${bytes(a.cssGzip)}`,
			a.editorInJs ? 'editor code loaded here ✘' : 'no editor code ✔'
		]);
	const recordResult = results.find((r) => r.label.startsWith('Yishi public record'));
	const recordAssets = assets.find((a) => a.label.startsWith('Yishi public record'));
	if (recordResult && recordAssets) {
		const share = recordResult.r.perSecond / kitResult.perSecond;
		summary.unshift(
			[
				'public record page: requests/s, p99',
				`${fmt(recordResult.r.perSecond)}/s, ${ms(recordResult.r.latency.p99)}`,
				`${pct(recordResult.r.perSecond, kitResult.perSecond)} of the minimal SvelteKit page; ` +
					`target ≥ 60% ${share >= 0.6 ? '✔' : '✘'}`
			],
			[
				'public record page: JS gzip',
				bytes(recordAssets.a.jsGzip),
				`target ≤ 50 KB ${recordAssets.a.jsGzip <= JS_BUDGET_RECORD ? '✔' : '✘'}` +
					(recordAssets.a.editorInJs ? ', editor code loaded ✘' : ', no editor code ✔')
			]
		);
		body.push(
			'### Public record page\n\n' +
				`The fixture is a real record: ${fixture.voters} owners voted electronically on a ` +
				`two-motion ballot of 爱建 and 虹桥, the count was closed, signed by both 业委会, co-signed by ` +
				`the scrutineer and published (publishPreliminaryRecord) — all through the app's services; ` +
				`the clock moved with YISHI_TEST_CLOCK_FILE.`
		);
	} else {
		const why = !record.source
			? 'the public record page (src/routes/records/[id]) does not exist yet.'
			: 'src/routes/records/[id] exists but build/ predates it: run `npx vite build` before `npm run bench`.';
		body.push(
			`### Public record page\n\n${notMeasured(why)} Targets: ≥ 60% of the minimal SvelteKit ` +
				`page's requests/s, ≤ ${JS_BUDGET_RECORD / 1024} KB gzip JS, no editor code.`
		);
		summary.unshift(['public record page', 'not measured', why]);
	}
	return { id: 'pages', title: '4. Pages', body: body.join('\n\n'), summary };
}
