/**
 * The one Node entry of Yishi: prepares the database (migrations, demo on an empty database),
 * serves the SvelteKit app built by `vite build`, and carries the /collab WebSocket on the same port.
 *
 *   PORT (3000), HOST (0.0.0.0), DATABASE_URL (file:data/yishi.db), YISHI_DEMO (1: seed when empty),
 *   YISHI_BUILD_DIR (build)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { getDatabase, prepareDatabase } from '../lib/server/db/client.ts';
import { seedDemoIfEmpty, printDemoLogins } from '../lib/server/demo/seed.ts';
import { attachCollab } from '../lib/server/collab/attach.ts';
import { ORIGIN_UNSET_WARNING, configuredOrigin } from '../lib/server/public-origin.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// YISHI_BUILD_DIR lets the browser tests run a copy of the build, safe from a rebuild meanwhile.
const handlerPath = resolve(process.env.YISHI_BUILD_DIR ? resolve(process.env.YISHI_BUILD_DIR) : resolve(root, 'build'), 'handler.js');
if (!existsSync(handlerPath)) {
	console.error('没有找到构建产物 build/handler.js，请先运行 npm run build。');
	process.exit(1);
}

const database = getDatabase();
await prepareDatabase(database);
const seeded = process.env.YISHI_DEMO === '0' ? null : await seedDemoIfEmpty(database);

// Without ORIGIN, adapter-node assumes https, and SvelteKit's origin check would then refuse
// every form post made over plain http (a 居委 laptop on the local network). Tell it the real
// scheme of each connection instead, in a header of our own that clients cannot set.
const SCHEME_HEADER = 'x-yishi-scheme';
if (process.env.ORIGIN === '') delete process.env.ORIGIN;
const deriveScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (deriveScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;

const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void };
const server = createServer((req, res) => {
	if (deriveScheme) req.headers[SCHEME_HEADER] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
	handler(req, res);
});
const collab = attachCollab(server, database);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => {
	const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
	console.log(`议事 Yishi 已启动：${url}`);
	console.log(`数据库：${database.url}`);
	if (!configuredOrigin()) console.log(ORIGIN_UNSET_WARNING);
	if (seeded) printDemoLogins(seeded, url);
});

let closing = false;
async function shutdown(signal: string) {
	if (closing) return;
	closing = true;
	console.log(`收到 ${signal}，正在关闭…`);
	server.close();
	await collab.close();
	database.close();
	process.exit(0);
}
// A rejection nobody awaited belongs to one request or connection: log it, keep serving the others.
process.on('unhandledRejection', (reason) => console.error('[yishi] 未处理的异步错误 / unhandled rejection:', reason));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
