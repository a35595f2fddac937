/**
 * How /collab refuses: a typed error Hocuspocus understands (it reads `reason` for its
 * permission-denied message and `code`/`reason` when closing a document connection), plus closing
 * the WebSocket itself with our code so the provider sees it as a close event.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { COLLAB_CLOSE, type CollabCloseKind } from '../../domain/drafting/limits.ts';

export class CollabRefusal extends Error {
	readonly code: number;
	readonly reason: string;
	readonly kind: CollabCloseKind;
	constructor(kind: CollabCloseKind, detail = '') {
		// An empty message keeps Hocuspocus from logging expected refusals as errors.
		super(detail);
		this.name = 'CollabRefusal';
		this.kind = kind;
		this.code = COLLAB_CLOSE[kind].code;
		this.reason = COLLAB_CLOSE[kind].reason;
	}
}

/** The WebSocket of each upgrade request, so hooks that only see the request can close it. */
const sockets = new WeakMap<IncomingMessage, WebSocket>();

export function rememberSocket(request: IncomingMessage, socket: WebSocket): void {
	sockets.set(request, socket);
}

/**
 * Closes the request's WebSocket with the refusal's code, after the current turn so a message
 * Hocuspocus is sending about the refusal (permission-denied, close) goes out first.
 */
export function closeSocket(request: IncomingMessage | undefined, refusal: CollabRefusal): void {
	const socket = request ? sockets.get(request) : undefined;
	if (!socket) return;
	setImmediate(() => {
		if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(refusal.code, refusal.reason);
	});
}
