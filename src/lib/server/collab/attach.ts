/**
 * The collaboration server: Hocuspocus on the app's own HTTP server, WebSocket path /collab.
 *
 * Client side (the editor, later) — connect with
 *   new HocuspocusProvider({ url: `${wsOrigin}/collab`, name: `alt:${alternativeId}`, document: ydoc })
 * in the browser (the yishi_session cookie goes along, same origin), or pass `token: <session token>`
 * where cookies are not available. The editor status comes from the provider alone:
 *   离线     — provider 'status' event is 'disconnected' (or navigator.onLine is false);
 *   正在同步 — connected and `provider.unsyncedChanges > 0` ('unsyncedChanges' event), or not yet
 *             'synced' after connecting;
 *   已保存   — connected, synced, and `unsyncedChanges === 0`. This is a real guarantee: the server
 *             acknowledges an update only after it is committed (see persistence.ts).
 *   只读     — 'authenticated' event with scope 'readonly', or a stateless '{"event":"draft.frozen"}'.
 * On 'authenticationFailed' or a close code from COLLAB_CLOSE (domain/drafting/limits.ts),
 * show its message and call provider.disconnect() for 4401/4403/4404/4413/4507, which retrying
 * cannot fix; 4500/4503 are worth retrying.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type Extension, type connectedPayload } from '@hocuspocus/server';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { alternativeIdOf } from '../../domain/drafting/document.ts';
import {
	COLLAB_CLOSE,
	DRAFT_PHASE_RULES,
	MAX_BYTES_BEFORE_SIGN_IN,
	MAX_DOCUMENTS_PER_CONNECTION,
	MAX_FRAME_BYTES
} from '../../domain/drafting/limits.ts';
import { connectBus, type Bus, type LiveEvent } from '../bus/redis.ts';
import type { Database } from '../db/client.ts';
import { loadStoredDocument, phaseOf } from '../drafting/store.ts';
import { authExtension } from './auth.ts';
import { limitsExtension, type LimitsOptions } from './limits.ts';
import { registerLive } from './live.ts';
import { persistenceExtension } from './persistence.ts';
import { FROZEN_EVENT, lockDocument, phaseLockExtension } from './phase-lock.ts';
import { rememberSocket } from './refusal.ts';
import { rememberRawSocket } from './sends.ts';

export const COLLAB_PATH = '/collab';
/** Origin of Yjs transactions made by the server (restore), so they are never mistaken for a client's. */
export const SERVER_ORIGIN = 'yishi-server';

export interface CollabOptions extends LimitsOptions {
	/**
	 * Quiet time after a client's edit before the document is compacted from memory (Hocuspocus's
	 * onStoreDocument debounce; while edits keep coming, at least every 10 s). Default 2000 ms.
	 */
	compactAfterIdleMs?: number;
	/** Extra origins allowed besides the request's own host (defaults to $ORIGIN, as adapter-node uses it). */
	allowedOrigins?: string[];
	/**
	 * Upgrades on other paths: 'refuse' (404, the production server: nobody else listens) or 'leave'
	 * them to other listeners (Vite's HMR socket under `vite dev`).
	 */
	otherUpgrades?: 'refuse' | 'leave';
	/**
	 * Redis (redis://…) shared by every app process serving this database: documents, comments and
	 * freezes reach editors on the other processes at once (bus/redis.ts). Defaults to $REDIS_URL;
	 * unset, this process works alone.
	 */
	redisUrl?: string;
}

export interface AttachedCollab {
	hocuspocus: Hocuspocus;
	/** The Redis bus, when configured. */
	bus: Bus | null;
	close(): Promise<void>;
}

/**
 * Cross-site WebSocket hijacking guard: browsers always send Origin on a WebSocket handshake and
 * attach cookies regardless of it, so a foreign page could otherwise edit with a resident's
 * session. Requests without Origin come from non-browser clients, which hold their own token.
 */
export function isSameOrigin(request: IncomingMessage, allowed: readonly string[]): boolean {
	const origin = request.headers.origin;
	if (origin === undefined) return true;
	if (allowed.includes(origin)) return true;
	try {
		return new URL(origin).host === request.headers.host;
	} catch {
		return false;
	}
}

function refuseUpgrade(socket: Duplex, status: string, message: string): void {
	const body = Buffer.from(message, 'utf8');
	socket.end(
		`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
			`Content-Length: ${body.length}\r\n\r\n${message}`
	);
}

/** Which connection, for the log: peer address and the upgrade request's path. */
function describeConnection(request: IncomingMessage): string {
	return `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'} ${(request.url ?? '').slice(0, 100)}`;
}

/**
 * An `error` event without a listener kills the process, and Node hands the raw socket of an
 * upgrade over with no error listener of its own. Each socket error is about one connection only:
 * log it (once) and let that socket close.
 */
function containSocketErrors(emitter: NodeJS.EventEmitter, request: IncomingMessage, what: string): void {
	let logged = false;
	emitter.on('error', (error: Error & { code?: string }) => {
		if (logged) return;
		logged = true;
		console.warn(`[collab] ${what} ${describeConnection(request)}: ${error.code ?? ''} ${error.message}`);
	});
}

/** Documents each connection (by its upgrade request) is signed in to. */
const signedIn = new WeakMap<IncomingMessage, Set<string>>();

/** Records each document a connection has signed in to (Hocuspocus's `connected`, after onAuthenticate). */
const signInTracker: Extension = {
	async connected({ request, documentName }: connectedPayload) {
		signedIn.get(request)?.add(documentName);
	}
};

/**
 * Looks at each message before Hocuspocus does, which queues every message for a document until
 * the connection is signed in to it: a message whose document name cannot be read is closed with
 * 4400, a connection naming more than MAX_DOCUMENTS_PER_CONNECTION documents with 4429, and one
 * sending more than MAX_BYTES_BEFORE_SIGN_IN for a document it is not signed in to with 4431.
 */
function guardMessages(ws: WebSocket, request: IncomingMessage): void {
	const names = new Set<string>();
	const documents = new Set<string>();
	signedIn.set(request, documents);
	const pending = new Map<string, number>();
	const close = (kind: 'malformed' | 'tooManyDocuments' | 'unauthenticatedFlood') => {
		console.warn(`[collab] closing ${describeConnection(request)}: ${COLLAB_CLOSE[kind].reason}`);
		ws.close(COLLAB_CLOSE[kind].code, COLLAB_CLOSE[kind].reason);
	};
	ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
		if (ws.readyState !== ws.OPEN) return;
		const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : new Uint8Array(data);
		let name: string;
		try {
			name = decoding.readVarString(decoding.createDecoder(bytes));
		} catch {
			return close('malformed');
		}
		if (!names.has(name)) {
			names.add(name);
			if (names.size > MAX_DOCUMENTS_PER_CONNECTION) return close('tooManyDocuments');
		}
		if (documents.has(name)) return;
		const bytesBefore = (pending.get(name) ?? 0) + bytes.byteLength;
		pending.set(name, bytesBefore);
		if (bytesBefore > MAX_BYTES_BEFORE_SIGN_IN) close('unauthenticatedFlood');
	});
}

/**
 * Live events from other processes reach this process's open documents; they are not shared
 * again. And each time the Redis subscriber is (again) ready — after Redis was away, editors on
 * each process saw only their own process's edits — every open document is re-subscribed, gets
 * whatever was stored meanwhile (every acknowledged edit of every process is in the database) and
 * publishes a sync step 1, so the processes also exchange what they hold in memory. A freeze
 * announced while Redis was away is caught up too: a document frozen meanwhile is locked.
 */
function joinBus(bus: Bus, hocuspocus: Hocuspocus, database: Database): void {
	const quiet = bus.extension.redisTransactionOrigin;
	bus.onEvent((event: LiveEvent) => {
		const document = hocuspocus.documents.get(event.documentName);
		if (!document) return;
		if (event.kind === 'apply') Y.applyUpdate(document, Buffer.from(event.update, 'base64'), quiet);
		else {
			if (event.kind === 'lock') for (const connection of document.getConnections()) connection.readOnly = true;
			const payload = event.kind === 'lock' ? FROZEN_EVENT : event.payload;
			for (const connection of document.getConnections()) connection.sendStateless(payload);
		}
	});
	bus.onReady(() => {
		for (const [documentName, document] of hocuspocus.documents) {
			const alternativeId = alternativeIdOf(documentName);
			if (!alternativeId) continue;
			void (async () => {
				await bus.extension.subscribeDocument(documentName);
				const stored = new Y.Doc();
				try {
					await loadStoredDocument(database, alternativeId, stored);
					Y.applyUpdate(document, Y.encodeStateAsUpdate(stored), quiet);
					const phase = await phaseOf(database.db, alternativeId);
					if (phase && !DRAFT_PHASE_RULES[phase].edit && [...document.getConnections()].some((c) => !c.readOnly))
						lockDocument(hocuspocus, documentName);
				} catch (error) {
					console.error(`[bus] re-reading ${documentName} after Redis returned failed`, error);
				} finally {
					stored.destroy();
				}
				await bus.extension.publishSyncStep1(documentName, document);
			})();
		}
	});
}

export function attachCollab(server: Server, database: Database, options: CollabOptions = {}): AttachedCollab {
	const persistence = persistenceExtension(database);
	const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
	const bus = redisUrl ? connectBus(redisUrl) : null;
	const hocuspocus = new Hocuspocus({
		name: 'yishi-collab',
		quiet: true,
		debounce: options.compactAfterIdleMs ?? 2000,
		maxDebounce: 10_000,
		extensions: [
			authExtension(database),
			phaseLockExtension(database),
			limitsExtension(options),
			persistence,
			signInTracker,
			...(bus ? [bus.extension] : [])
		]
	});
	if (bus) joinBus(bus, hocuspocus, database);
	const allowed = options.allowedOrigins ?? (process.env.ORIGIN ? [process.env.ORIGIN] : []);
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

	const otherUpgrades = options.otherUpgrades ?? 'refuse';

	const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (request.url ?? '').split('?')[0];
		if (path !== COLLAB_PATH && !path.startsWith(COLLAB_PATH + '/')) {
			// Under `vite dev`, other paths (the HMR socket) belong to other listeners.
			if (otherUpgrades === 'leave') return;
			containSocketErrors(socket, request, 'socket error');
			return refuseUpgrade(socket, '404 Not Found', '没有这个连接地址');
		}
		containSocketErrors(socket, request, 'socket error');
		if (!isSameOrigin(request, allowed)) return refuseUpgrade(socket, '403 Forbidden', '跨站连接被拒绝');
		// maxPayload on the server: a frame over MAX_FRAME_BYTES (or a header announcing one) is
		// refused with 1009 before it is buffered; other protocol errors close with 1002 / 1007.
		wss.handleUpgrade(request, socket, head, (ws) => {
			containSocketErrors(ws, request, 'closed for');
			guardMessages(ws, request);
			rememberSocket(request, ws);
			rememberRawSocket(request, socket);
			hocuspocus.handleConnection(ws, request);
		});
	};
	server.on('upgrade', onUpgrade);

	const unregister = registerLive(database, {
		async applyUpdate(documentName, update) {
			const document =
				hocuspocus.documents.get(documentName) ?? (await hocuspocus.loadingDocuments.get(documentName)?.catch(() => undefined));
			// Idempotent: if the load already read the stored update, applying it again changes nothing.
			if (document) Y.applyUpdate(document, update, SERVER_ORIGIN);
		},
		lock: (documentName) => lockDocument(hocuspocus, documentName),
		tell: (documentName, payload) => hocuspocus.documents.get(documentName)?.broadcastStateless(payload),
		share: bus
			? (event) => {
					if (event.kind === 'apply')
						bus.publish({
							kind: 'apply',
							documentName: event.documentName,
							update: Buffer.from(event.update).toString('base64')
						});
					else if (event.kind === 'lock') bus.publish({ kind: 'lock', documentName: event.documentName });
					// An open document's broadcast already went out on its own channel (the extension).
					else if (!hocuspocus.documents.has(event.documentName))
						bus.publish({ kind: 'tell', documentName: event.documentName, payload: event.payload ?? '' });
				}
			: undefined
	});

	return {
		hocuspocus,
		bus,
		async close() {
			server.off('upgrade', onUpgrade);
			unregister();
			for (const ws of wss.clients) ws.close(1001, 'server shutting down');
			await new Promise<void>((resolve) => wss.close(() => resolve()));
			// Documents unload (each compacted from memory first) as their sockets close.
			const deadline = Date.now() + 2000;
			while ((hocuspocus.documents.size > 0 || hocuspocus.unloadingDocuments.size > 0) && Date.now() < deadline)
				await new Promise((r) => setTimeout(r, 10));
			persistence.stop();
			// Let in-flight appends and compactions finish before the caller closes the database.
			await persistence.drain();
			await bus?.close();
		}
	};
}
