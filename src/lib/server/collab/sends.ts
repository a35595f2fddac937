/**
 * One socket write per burst instead of one per frame.
 *
 * When a group commit of editors' updates ends, every message of the group is released at once:
 * Hocuspocus applies each, broadcasts it to every connection of the document and acknowledges it
 * to its sender, one WebSocket frame each. ws writes each frame with its own cork/uncork, so
 * each frame is its own `writev` system call — the largest single cost of the collaboration
 * server (tests/bench/REPORT.md, collab notes). Holding each concerned socket corked until the
 * burst has run (the released messages are handled in microtasks of the same turn; setImmediate
 * comes after them) sends all of a burst's frames to a socket in one write. Nothing is sent
 * earlier than before — the acknowledgements still follow the commit — only together.
 */
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';

/** The raw socket under each /collab upgrade request (the one ws writes its frames to). */
const rawSockets = new WeakMap<IncomingMessage, Writable>();
const held = new Set<Writable>();
let releaseScheduled = false;

export function rememberRawSocket(request: IncomingMessage, socket: Writable): void {
	rawSockets.set(request, socket);
}

function release(): void {
	releaseScheduled = false;
	// A socket ended meanwhile was uncorked by end(); uncork() on it does nothing.
	for (const socket of held) socket.uncork();
	held.clear();
}

/** Holds the frames written to this request's socket from now until the current turn's microtasks have run. */
export function holdSends(request: IncomingMessage | undefined): void {
	const socket = request ? rawSockets.get(request) : undefined;
	if (!socket || held.has(socket) || socket.destroyed || !socket.writable) return;
	socket.cork();
	held.add(socket);
	if (!releaseScheduled) {
		releaseScheduled = true;
		setImmediate(release);
	}
}
