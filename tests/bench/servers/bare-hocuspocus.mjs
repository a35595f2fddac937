/**
 * Baseline for the collaboration bench: a bare Hocuspocus of the same version as Yishi's, in
 * memory, no auth, no persistence, no extensions. Listens on 127.0.0.1:$PORT; SIGTERM stops it.
 * Plain JavaScript, run by plain `node` like Yishi's production entry (build/server.js) it is
 * compared with: no TypeScript loader in either process.
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
const stop = async () => {
	await server.destroy();
	process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
