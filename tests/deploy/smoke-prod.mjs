// Starts a production install's entry (DIR/build/server.js) with the node running this script,
// and checks that it serves a page, answers /healthz, upgrades /collab to a WebSocket, and exits
// cleanly on SIGTERM. Plain JavaScript with no dependencies: it runs under every Node version CI
// covers. Used by tests/deploy/smoke-prod.sh; usage: node tests/deploy/smoke-prod.mjs DIR
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const install = resolve(process.argv[2] ?? '.');
const port = await new Promise((done) => {
	const srv = createServer().listen(0, '127.0.0.1', () => {
		const { port } = srv.address();
		srv.close(() => done(port));
	});
});
const data = mkdtempSync(join(tmpdir(), 'yishi-smoke-'));
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${join(data, 'yishi.db')}` };
delete env.ORIGIN;
const child = spawn(process.execPath, [join(install, 'build/server.js')], { cwd: install, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
const exited = new Promise((done) => child.on('exit', (code, signal) => done(code ?? signal)));

function fail(message) {
	console.error(`smoke (node ${process.version}): ${message}\n--- server output ---\n${output}`);
	child.kill('SIGKILL');
	rmSync(data, { recursive: true, force: true });
	process.exit(1);
}

const url = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
for (;;) {
	if (child.exitCode !== null) fail('the server exited while starting');
	try {
		if ((await fetch(`${url}/healthz`)).ok) break;
	} catch {
		// not listening yet
	}
	if (Date.now() > deadline) fail('the server did not start within 60 s');
	await new Promise((r) => setTimeout(r, 100));
}

const page = await fetch(`${url}/login`);
const html = await page.text();
if (page.status !== 200 || !html.includes('登录')) fail(`GET /login answered ${page.status}`);

const upgraded = await new Promise((done) => {
	const req = request({
		host: '127.0.0.1',
		port,
		path: '/collab',
		headers: {
			Connection: 'Upgrade',
			Upgrade: 'websocket',
			'Sec-WebSocket-Version': '13',
			'Sec-WebSocket-Key': Buffer.from('yishi-smoke-key!').toString('base64')
		}
	});
	req.on('upgrade', (res, socket) => {
		socket.destroy();
		done(res.statusCode);
	});
	req.on('response', (res) => done(res.statusCode));
	req.on('error', (e) => done(e.message));
	req.end();
});
if (upgraded !== 101) fail(`/collab did not upgrade: ${upgraded}`);

child.kill('SIGTERM');
const code = await exited;
if (code !== 0) fail(`exit after SIGTERM: ${code}`);
rmSync(data, { recursive: true, force: true });
console.log(`smoke (node ${process.version}): page, /healthz, /collab upgrade and SIGTERM all fine`);
