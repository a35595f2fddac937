/** Baseline for the pages bench: a bare node:http server answering every GET with a small fixed HTML page. */
import { createServer } from 'node:http';

const body = Buffer.from(
	'<!doctype html><html lang="zh-CN"><head><meta ' +
		'charset="utf-8"><title>议事</title></head><body><h1>议事</h1><p>bare node:http</p></body></html>'
);
const server = createServer((req, res) => {
	res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
	res.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
