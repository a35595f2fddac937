/** Serves the built minimal SvelteKit app exactly as src/cli/serve.ts serves Yishi: createServer(handler). */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { handler } = (await import(pathToFileURL(resolve(import.meta.dirname, '../minimal-kit/build/handler.js')).href)) as {
	handler: (req: unknown, res: unknown) => void;
};
const server = createServer((req, res) => handler(req, res));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
