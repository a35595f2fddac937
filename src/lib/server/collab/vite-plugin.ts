/**
 * `vite dev`: carries /collab on Vite's own HTTP server, like src/cli/serve.ts does in production.
 * The collaboration modules are loaded through `server.ssrLoadModule`, so they are the same module
 * instances SvelteKit's SSR uses (one database, one write queue, one live-document registry).
 * Only type imports here: a value import would load a second copy into Vite's config process.
 * Edits to the collab modules need a dev-server restart to take effect.
 */
import type { Plugin, ViteDevServer } from 'vite';
import type { AttachedCollab } from './attach.ts';

export function collabDevServer(): Plugin {
	return {
		name: 'yishi:collab-dev',
		apply: 'serve',
		configureServer(server: ViteDevServer) {
			const httpServer = server.httpServer;
			if (!httpServer) return; // middleware mode: whoever owns the HTTP server attaches collab
			let attached: Promise<AttachedCollab | null> | null = null;
			httpServer.once('listening', () => {
				attached = (async () => {
					const db = (await server.ssrLoadModule('/src/lib/server/db/client.ts')) as typeof import('../db/client.ts');
					const collab = (await server.ssrLoadModule('/src/lib/server/collab/attach.ts')) as typeof import('./attach.ts');
					const database = db.getDatabase();
					await db.prepareDatabase(database);
					// Vite's HMR socket shares this server: upgrades on other paths are Vite's.
					return collab.attachCollab(httpServer as import('node:http').Server, database, { otherUpgrades: 'leave' });
				})().catch((error: unknown) => {
					server.config.logger.error(`[yishi] 协作服务启动失败：${error instanceof Error ? error.stack : String(error)}`);
					return null;
				});
			});
			httpServer.once('close', () => {
				void attached?.then((a) => a?.close());
			});
		}
	};
}
