/**
 * Debian's nginx (/usr/sbin/nginx, as root) in front of built servers, configured from the sample
 * (src/deploy/nginx/yishi.conf) on loopback ports with a self-signed certificate made here. Shared
 * by the single-process (nginx.test.ts) and several-process (cluster.test.ts) deployment tests.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, untilServing } from '../helpers/process.ts';
import { ROOT } from './server.ts';

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface NginxSite {
	/** A temporary folder: certificate, configuration, pid, logs and nginx's temporary files. */
	dir: string;
	/** The self-signed certificate, to trust in the test's clients. */
	ca: Buffer;
	httpsPort: number;
	httpPort: number;
	/** https://127.0.0.1:<httpsPort>, the ORIGIN the app processes are given. */
	origin: string;
}

/** Makes the folder, the certificate and the two ports; nothing runs yet. */
export async function newNginxSite(name: string): Promise<NginxSite> {
	const dir = mkdtempSync(join(tmpdir(), `yishi-${name}-`));
	for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'temp', temp), { recursive: true });
	const key = join(dir, 'key.pem');
	const cert = join(dir, 'cert.pem');
	const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
	const request = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', ...subject, '-keyout', key, '-out', cert];
	execFileSync('openssl', request, { stdio: 'ignore' });
	const httpsPort = await freePort();
	const httpPort = await freePort();
	return { dir, ca: readFileSync(cert), httpsPort, httpPort, origin: `https://127.0.0.1:${httpsPort}` };
}

/** Replaces `from` in the sample; fails loudly when the sample no longer has it. */
export type SampleEdit = (from: string | RegExp, to: string) => void;

/**
 * The sample pointed at this site's ports, certificate and folders, inside a main configuration
 * that runs nginx in the foreground. `upstream` (given the sample) replaces its `server 127.0.0.1:3000;`;
 * `more` makes a test's own further edits.
 */
export function configFromSample(
	site: NginxSite,
	upstream: (sample: string) => string,
	more: (replace: SampleEdit) => void = () => {}
): string {
	let sample = readFileSync(join(ROOT, 'src/deploy/nginx/yishi.conf'), 'utf8');
	const replace: SampleEdit = (from, to) => {
		const next = sample.replace(from, to);
		if (next === sample) throw new Error(`the sample changed: ${String(from)} not found`);
		sample = next;
	};
	replace('server 127.0.0.1:3000;', upstream(sample));
	more(replace);
	replace(/\n\tlisten \[::\]:80;/, '');
	replace(/\n\tlisten \[::\]:443 ssl http2;/, '');
	replace('listen 80;', `listen 127.0.0.1:${site.httpPort};`);
	replace('listen 443 ssl http2;', `listen 127.0.0.1:${site.httpsPort} ssl http2;`);
	replace('/etc/letsencrypt/live/yishi.example.org/fullchain.pem', join(site.dir, 'cert.pem'));
	replace('/etc/letsencrypt/live/yishi.example.org/privkey.pem', join(site.dir, 'key.pem'));
	const temp = (name: string) => join(site.dir, 'temp', name);
	return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${join(site.dir, 'nginx.pid')};
error_log ${join(site.dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path ${temp('body')};
	proxy_temp_path ${temp('proxy')};
	fastcgi_temp_path ${temp('fastcgi')};
	uwsgi_temp_path ${temp('uwsgi')};
	scgi_temp_path ${temp('scgi')};
${sample}
}
`;
}

export interface RunningNginx {
	child: ChildProcess;
	/** Everything nginx printed so far. */
	log(): string;
	/** Stops nginx gracefully and removes the site's folder. */
	stop(): Promise<void>;
}

/** Checks `config` (nginx -t), starts nginx and resolves once `answers()` is true through it. */
export async function startNginx(site: NginxSite, config: string, answers: () => Promise<boolean>): Promise<RunningNginx> {
	const conf = join(site.dir, 'nginx.conf');
	writeFileSync(conf, config);
	execFileSync(NGINX, ['-t', '-p', site.dir, '-c', conf], { stdio: 'pipe' });
	const child = spawn(NGINX, ['-p', site.dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stderr!.on('data', (d) => (log += d));
	await untilServing(child, answers, () => log, 30_000);
	return {
		child,
		log: () => log,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGQUIT');
				await exited;
			}
			rmSync(site.dir, { recursive: true, force: true });
		}
	};
}
