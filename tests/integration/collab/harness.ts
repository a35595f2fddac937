/**
 * Real parts for collaboration tests: an http.Server on 127.0.0.1 with attachCollab, and
 * @hocuspocus/provider clients over real WebSockets (ws as the WebSocket implementation, with the
 * cookie/Origin headers a browser would send).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { attachCollab, type AttachedCollab, type CollabOptions } from '../../../src/lib/server/collab/attach.ts';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { CONTENT_FIELD, textSegments } from '../../../src/lib/domain/drafting/document.ts';

export interface RunningServer {
	port: number;
	url: string;
	server: Server;
	collab: AttachedCollab;
	stop(): Promise<void>;
}

export async function startServer(database: Database, options: CollabOptions = {}): Promise<RunningServer> {
	const server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	const collab = attachCollab(server, database, options);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		port,
		url: `ws://127.0.0.1:${port}/collab`,
		server,
		collab,
		async stop() {
			await collab.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

export interface Client {
	provider: HocuspocusProvider;
	doc: Y.Doc;
	closes: { code: number; reason: string }[];
	failures: string[];
	scope: string | null;
	destroy(): void;
}

export function connect(url: string, name: string, auth: { token?: string; cookie?: string; origin?: string } = {}): Client {
	const headers: Record<string, string> = {};
	if (auth.cookie) headers.cookie = `yishi_session=${auth.cookie}`;
	if (auth.origin) headers.origin = auth.origin;
	class BrowserLikeWebSocket extends WebSocket {
		constructor(address: string, protocols?: string | string[]) {
			super(address, protocols, { headers });
		}
	}
	const doc = new Y.Doc();
	const client: Client = {
		doc,
		closes: [],
		failures: [],
		scope: null,
		provider: undefined as unknown as HocuspocusProvider,
		destroy: () => client.provider.destroy()
	};
	client.provider = new HocuspocusProvider({
		url,
		name,
		document: doc,
		token: auth.token ?? null,
		WebSocketPolyfill: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket,
		onClose: ({ event }) => void client.closes.push({ code: event.code, reason: String(event.reason) }),
		onAuthenticationFailed: ({ reason }) => void client.failures.push(reason),
		onAuthenticated: ({ scope }) => void (client.scope = scope)
	} as ConstructorParameters<typeof HocuspocusProvider>[0]);
	return client;
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
	const start = Date.now();
	while (!(await predicate())) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Connected, initial sync done, and every local change acknowledged by the server. */
export async function waitSynced(client: Client, timeoutMs = 30_000): Promise<void> {
	await waitFor(() => client.provider.isSynced && client.provider.unsyncedChanges === 0, timeoutMs, 'provider synced');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Appends a paragraph with `text` to the body, as an editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
	doc.transact(() => {
		const paragraph = new Y.XmlElement('paragraph');
		doc.getXmlFragment(CONTENT_FIELD).push([paragraph]);
		const xmlText = new Y.XmlText();
		paragraph.push([xmlText]);
		xmlText.insert(0, text);
	});
}

export function bodyText(doc: Y.Doc): string {
	return textSegments(doc.getXmlFragment(CONTENT_FIELD)).text;
}
