/**
 * The one Node entry of Yishi, bundled by `npm run build` to build/server.js (plain `node`, no
 * TypeScript loader). It holds no server code of its own: it loads adapter-node's handler.js, whose
 * `init` hook registers the server functions (database, /collab, health, backups, shutdown; see
 * src/lib/server/ops/registry.ts), and carries the app and the /collab WebSocket on one port.
 *
 *   node build/server.js            production: migrations, no demo data, a one-time setup link while
 *                                   no administrator exists, refuses demo accounts with the demo password
 *   node build/server.js --demo     (`npm start`) also seeds the 爱建/虹桥 demo into an empty database
 *
 *   PORT (3000), HOST (0.0.0.0), DATABASE_URL (file:data/yishi.db), YISHI_DEMO (0: never seed,
 *   1: seed an empty database), YISHI_ALLOW_DEMO_ACCOUNTS (1: start in production despite demo
 *   accounts), BODY_SIZE_LIMIT (48M), BACKUP_DIR / BACKUP_KEEP / BACKUP_HOUR,
 *   SHUTDOWN_TIMEOUT_MS (10000), YISHI_SCHEDULER (0: off) / YISHI_SCHEDULER_INTERVAL_MS (30000),
 *   YISHI_BUILD_DIR (the build to serve, when not the entry's own folder)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { getRuntime, type YishiRuntime } from '../lib/server/ops/registry.ts';
// A pure module (no state): the ORIGIN check and its warning, shared with the link builders.
import { ORIGIN_UNSET_WARNING, configuredOrigin } from '../lib/server/public-origin.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Bundled, the entry sits in build/ beside handler.js; from the sources (tsx src/cli/serve.ts) it
// serves ../../build. YISHI_BUILD_DIR names another copy of a build.
const buildDir = process.env.YISHI_BUILD_DIR
	? resolve(process.env.YISHI_BUILD_DIR)
	: existsSync(resolve(here, 'handler.js'))
		? here
		: resolve(here, '../../build');
const handlerPath = resolve(buildDir, 'handler.js');
if (!existsSync(handlerPath)) {
	console.error('没有找到构建产物 build/handler.js，请先运行 npm run build。');
	process.exit(1);
}

// adapter-node reads these when handler.js loads. Photos are up to 10 MB each, four per form, and
// a 20,000-unit roster is a few MB: its default of 512 KB would refuse both.
process.env.BODY_SIZE_LIMIT ||= '48M';

// Without ORIGIN, adapter-node assumes https, and SvelteKit's origin check would then refuse
// every form post made over plain http (a 居委 laptop on the local network). Tell it the real
// scheme of each connection instead, in a header of our own that clients cannot set.
const SCHEME_HEADER = 'x-yishi-scheme';
if (process.env.ORIGIN === '') delete process.env.ORIGIN;
const deriveScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (deriveScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;

type Handler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;
const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: Handler };
const runtime = getRuntime();
if (!runtime) {
	console.error('构建产物缺少服务端注册（hooks.server.ts 的 init），请重新运行 npm run build。');
	process.exit(1);
}

const database = await runtime.prepare();

/**
 * Start-up data, decided in one place (src/lib/server/admin/startup.ts): `--demo` (npm start) or
 * YISHI_DEMO=1 seeds the demo into an empty database; YISHI_DEMO=0 or a plain `node build/server.js`
 * is production: never seeds, prints a one-time setup link while no administrator exists, and refuses
 * to start while demo accounts still open with the demo password (unless YISHI_ALLOW_DEMO_ACCOUNTS=1).
 */
async function startupData(runtime: YishiRuntime): Promise<(url: string) => void> {
	const demo = process.env.YISHI_DEMO === '0' ? false : process.env.YISHI_DEMO === '1' || process.argv.includes('--demo');
	const host = process.env.HOST ?? '0.0.0.0';
	const listening = `http://${host === '0.0.0.0' ? 'localhost' : host}:${process.env.PORT ?? 3000}`;
	const outcome = await runtime.startup({
		demo,
		allowDemoAccounts: process.env.YISHI_ALLOW_DEMO_ACCOUNTS === '1',
		origin: process.env.ORIGIN || listening
	});
	if (!outcome.start) {
		console.error(outcome.refusal);
		await runtime.shutdown(Promise.resolve());
		process.exit(1);
	}
	return (url) => runtime.printStartup(outcome, process.env.ORIGIN || url);
}
const afterListen = await startupData(runtime);

/** One line per failed request (status ≥ 500): method, path without the query, status, time. No headers, so no cookies. */
function logFailure(req: IncomingMessage, res: ServerResponse, started: number): void {
	if (res.statusCode < 500) return;
	const path = (req.url ?? '').split('?')[0];
	console.error(`[request] ${req.method} ${path} → ${res.statusCode} (${Math.round(performance.now() - started)} ms)`);
}

async function healthz(res: ServerResponse): Promise<void> {
	const report = await runtime!.health();
	res.writeHead(report.ok ? 200 : 503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
	res.end(JSON.stringify(report));
}

const server = createServer((req, res) => {
	const started = performance.now();
	res.once('finish', () => logFailure(req, res, started));
	if (req.url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return void healthz(res);
	if (deriveScheme) req.headers[SCHEME_HEADER] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
	handler(req, res);
});
runtime.attachCollab(server);
let backups: string | null;
try {
	backups = runtime.startBackups(process.env);
} catch (error) {
	console.error(`备份设置有误：${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
let scheduler: string | null;
try {
	scheduler = runtime.startScheduler(process.env);
} catch (error) {
	console.error(`定时任务设置有误：${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => {
	const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
	console.log(`议事 Yishi 已启动：${url}`);
	console.log(`数据库：${database.url}`);
	if (backups) console.log(`备份：${backups}`);
	if (!configuredOrigin()) console.log(ORIGIN_UNSET_WARNING);
	if (scheduler) console.log(`定时任务：${scheduler}`);
	afterListen(url);
});

/**
 * SIGTERM/SIGINT: stop accepting connections and let requests in flight finish (their writes are
 * acknowledged only after COMMIT), then store open documents, drain the write queue and close the
 * database. Connections still open after SHUTDOWN_TIMEOUT_MS are cut.
 */
let closing = false;
async function shutdown(signal: string) {
	if (closing) return;
	closing = true;
	console.log(`收到 ${signal}，正在关闭…`);
	const timeout = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
	const requestsDone = new Promise<void>((done) => server.close(() => done()));
	server.closeIdleConnections();
	const cut = setTimeout(() => server.closeAllConnections(), timeout);
	try {
		await runtime!.shutdown(requestsDone);
	} catch (error) {
		console.error('关闭时出错：', error);
		process.exit(1);
	}
	clearTimeout(cut);
	console.log('已安全关闭。');
	process.exit(0);
}
// A rejection nobody awaited belongs to one request or connection: log it, keep serving the others.
process.on('unhandledRejection', (reason) => console.error('[yishi] 未处理的异步错误 / unhandled rejection:', reason));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
