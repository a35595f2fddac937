/**
 * Real parts for collaboration tests: an http.Server on 127.0.0.1 with attachCollab, and
 * @hocuspocus/provider clients over real WebSockets (ws as the WebSocket implementation, with the
 * cookie/Origin headers a browser would send).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitUntil } from '../../helpers/wait.ts';
import { attachCollab, type AttachedCollab, type CollabOptions } from '../../../src/lib/server/collab/attach.ts';
import type { Database } from '../../../src/lib/server/db/client.ts';
import { CONTENT_FIELD, textSegments } from '../../../src/lib/domain/drafting/document.ts';

/** Servers and clients not yet stopped or destroyed, for collabForEachTest (each-test.ts) to end after a test. */
export const live = { servers: new Set<RunningServer>(), clients: new Set<Client>() };

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
	const running: RunningServer = {
		port,
		url: `ws://127.0.0.1:${port}/collab`,
		server,
		collab,
		async stop() {
			live.servers.delete(running);
			await collab.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
	live.servers.add(running);
	return running;
}

export interface Client {
	provider: HocuspocusProvider;
	doc: Y.Doc;
	closes: { code: number; reason: string }[];
	failures: string[];
	scope: string | null;
	/**
	 * Every SyncStatus the server sent, in order: true = applied and stored, false = refused (read-only).
	 * The server answers each step 2 or update the client sends with exactly one, in order.
	 */
	syncStatuses: boolean[];
	/** How many step 2 and update messages the client sent: the next one's answer is syncStatuses[updatesSent]. */
	updatesSent: number;
	/** How many sync step 1 messages the client sent, and how many step 2 answers arrived (one each, in order). */
	syncRequests: number;
	syncAnswers: number;
	destroy(): void;
}

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_STATUS = 8;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The message type and, for a sync message, its sync type (lib0 encoding: document name first). */
function messageKind(data: Uint8Array): { type: number; syncType: number | null; decoder: decoding.Decoder } {
	const decoder = decoding.createDecoder(data);
	decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder);
	return { type, syncType: type === MESSAGE_SYNC ? decoding.readVarUint(decoder) : null, decoder };
}

export function connect(url: string, name: string, auth: { token?: string; cookie?: string; origin?: string } = {}): Client {
	const headers: Record<string, string> = {};
	if (auth.cookie) headers.cookie = `yishi_session=${auth.cookie}`;
	if (auth.origin) headers.origin = auth.origin;
	class BrowserLikeWebSocket extends WebSocket {
		constructor(address: string, protocols?: string | string[]) {
			super(address, protocols, { headers });
			// Counts what the client sends, so an answer can be matched to the message it answers.
			const send = this.send.bind(this) as (...args: unknown[]) => void;
			this.send = ((data: Uint8Array, ...rest: unknown[]) => {
				const { syncType } = messageKind(new Uint8Array(data));
				if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) client.updatesSent++;
				else if (syncType === SYNC_STEP_1) client.syncRequests++;
				send(data, ...rest);
			}) as WebSocket['send'];
		}
	}
	const doc = new Y.Doc();
	const client: Client = {
		doc,
		closes: [],
		failures: [],
		scope: null,
		syncStatuses: [],
		updatesSent: 0,
		syncRequests: 0,
		syncAnswers: 0,
		provider: undefined as unknown as HocuspocusProvider,
		destroy: () => {
			live.clients.delete(client);
			client.provider.destroy();
		}
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
	client.provider.on('message', ({ event }: { event: MessageEvent }) => {
		const { type, syncType, decoder } = messageKind(new Uint8Array(event.data as ArrayBuffer));
		if (type === MESSAGE_SYNC_STATUS) client.syncStatuses.push(decoding.readVarInt(decoder) === 1);
		else if (syncType === SYNC_STEP_2) client.syncAnswers++;
	});
	live.clients.add(client);
	return client;
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
	await waitUntil(predicate, { timeoutMs, what });
}

/** Connected, initial sync done, and every local change acknowledged by the server. */
export async function waitSynced(client: Client, timeoutMs = 30_000): Promise<void> {
	await waitFor(() => client.provider.isSynced && client.provider.unsyncedChanges === 0, timeoutMs, 'provider synced');
}

/**
 * Waits for the server's answer to the next message `send()` makes the client send: the answer is a
 * refusal or an acknowledgement, so nothing is assumed about how long the server takes.
 */
export async function answerTo(client: Client, send: () => void, timeoutMs = 30_000): Promise<boolean> {
	const index = client.updatesSent;
	send();
	if (client.updatesSent === index) throw new Error('no update was sent');
	await waitFor(() => client.syncStatuses.length > index, timeoutMs, 'the server to answer the update');
	return client.syncStatuses[index];
}

/**
 * A positive barrier: asks the server for a sync over this client's connection and waits for the
 * answer. The server sends on one connection in order, so everything it sent this client before
 * (a broadcast of someone else's edit, a notice) has arrived when this resolves.
 */
export async function roundTrip(client: Client, timeoutMs = 30_000): Promise<void> {
	const index = client.syncRequests;
	client.provider.forceSync();
	await waitFor(() => client.syncAnswers > index, timeoutMs, 'the answer to a sync request');
}

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
