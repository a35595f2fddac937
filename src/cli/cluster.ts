/**
 * `npm run start:cluster`: several app processes on one database file, each on its own port, for
 * nginx to balance across (src/deploy/nginx/yishi.conf, the "several processes" variant). Bundled
 * to build/cli/cluster.js. A small supervisor, not node:cluster: each process is a plain
 * `node build/server.js` with its own PORT, exactly what the systemd template unit
 * (src/deploy/systemd/yishi@.service) runs one of.
 *
 *   YISHI_PROCESSES   how many (default: the number of CPU cores, at least 2)
 *   PORT              the first port (3000); the others follow: 3001, 3002…
 *   REDIS_URL         needed for editors on different processes to see each other at once
 *                     (without it each process works alone; the supervisor warns)
 *   everything else (DATABASE_URL, ORIGIN, ADDRESS_HEADER…) goes to every process unchanged.
 *
 * The first process starts alone (it migrates the database and, with --demo, seeds it); the others
 * start once it answers /healthz. A process that exits is started again after a short pause; on
 * SIGTERM/SIGINT every process is asked to stop (each finishes its requests and stores its
 * documents) and the supervisor exits when all have.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../lib/server/ops/node-flags.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Bundled: build/cli/cluster.js beside build/server.js; from the sources: ../../build/server.js.
const entry = [resolve(here, '../server.js'), resolve(here, '../../build/server.js')].find((p) => existsSync(p));
if (!entry) {
	console.error('没有找到 build/server.js，请先运行 npm run build。');
	process.exit(1);
}

const count = Number(process.env.YISHI_PROCESSES || Math.max(2, availableParallelism()));
const firstPort = Number(process.env.PORT || 3000);
if (!Number.isInteger(count) || count < 1 || count > 64 || !Number.isInteger(firstPort) || firstPort < 1 || firstPort + count > 65536) {
	console.error('YISHI_PROCESSES 应为 1 到 64 之间的整数，PORT 应为有效端口。');
	process.exit(1);
}
if (!process.env.REDIS_URL && count > 1)
	console.warn('未设置 REDIS_URL：各进程的协作编辑要刷新后才能看到彼此（请配置 Redis，见 README）。');

const args = process.argv.slice(2);
const host = process.env.HOST ?? '0.0.0.0';
const children = new Map<number, ChildProcess>();
let stopping = false;

// The same arguments for all (--demo seeds only an empty database, so only the first start seeds).
function start(index: number): ChildProcess {
	const port = firstPort + index;
	const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, entry!, ...args], {
		env: { ...process.env, PORT: String(port) },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	children.set(index, child);
	console.log(`[cluster] 进程 ${index + 1}/${count}：pid ${child.pid}，端口 ${port}`);
	child.on('exit', (code, signal) => {
		children.delete(index);
		if (stopping) {
			if (children.size === 0) process.exit(0);
			return;
		}
		console.error(`[cluster] 进程 ${index + 1}（端口 ${port}）退出（${signal ?? code}），2 秒后重新启动`);
		setTimeout(() => {
			if (!stopping) start(index);
		}, 2000);
	});
	return child;
}

async function healthy(port: number, child: ChildProcess): Promise<void> {
	const address = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`第一个进程启动失败（${child.exitCode ?? child.signalCode}）`);
		try {
			if ((await fetch(`http://${address}:${port}/healthz`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

function stop(signal: NodeJS.Signals): void {
	if (stopping) return;
	stopping = true;
	console.log(`[cluster] 收到 ${signal}，正在关闭 ${children.size} 个进程…`);
	if (children.size === 0) process.exit(0);
	for (const child of children.values()) child.kill('SIGTERM');
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const first = start(0);
try {
	await healthy(firstPort, first);
} catch (error) {
	console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
	stopping = true;
	process.exit(1);
}
for (let i = 1; i < count && !stopping; i++) start(i);
