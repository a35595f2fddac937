/**
 * The optional Redis bus: several app processes (on one database file) serve the same documents.
 * Only with REDIS_URL set; without it nothing here runs and one process works alone, as before.
 *
 * Two things cross it:
 * - Yjs document traffic, through @hocuspocus/extension-redis (one channel per open document,
 *   `yishi:<documentName>`): a change on one process publishes the update itself; a process that
 *   loads the document publishes a sync step 1 and the others answer with what it lacks. Updates arriving this way are applied with the
 *   extension's own origin and never pass `beforeHandleMessage`, so only the process whose client
 *   sent an update stores it (persistence.ts) — nothing is stored twice, and "acknowledged ⇒
 *   committed" still holds per process.
 * - Yishi's own live events (channel `yishi:live`, JSON): a server-made update to apply, a freeze
 *   (lock), a stateless message such as "comments changed". They start wherever the service ran,
 *   which need not be a process that has the document open (collab/live.ts).
 *
 * Degraded mode: every command is refused at once while Redis is away (no offline queue, so no
 * request and no document load ever waits for Redis); editing goes on per process, each storing
 * its own clients' updates. When the subscriber connection is ready again, `onReady` handlers run:
 * attach.ts re-subscribes every open document, folds in everything stored meanwhile (other
 * processes' acknowledged edits are all in the database) and publishes a sync step 1 so the
 * processes exchange whatever else one of them holds.
 */
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type {
	Document,
	onAwarenessUpdatePayload,
	onChangePayload,
	beforeBroadcastStatelessPayload,
	afterLoadDocumentPayload
} from '@hocuspocus/server';
import { OutgoingMessage } from '@hocuspocus/server';
import IORedis from 'ioredis';

export const BUS_PREFIX = 'yishi';
const LIVE_CHANNEL = `${BUS_PREFIX}:live`;

/** A live event between processes (collab/live.ts). Updates travel as base64. */
export type LiveEvent =
	| { kind: 'apply'; documentName: string; update: string }
	| { kind: 'lock'; documentName: string }
	| { kind: 'tell'; documentName: string; payload: string };

/** Quiet about failures while Redis is away: one line when it goes, one when it is back. */
function createClient(url: string, name: string, state: { down: boolean }): IORedis {
	const client = new IORedis(url, {
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		// Reconnect quickly at first, then every second at most.
		retryStrategy: (times) => Math.min(50 * times, 1000),
		connectionName: `yishi-${name}-${process.pid}`,
		lazyConnect: false
	});
	client.on('error', (error: Error & { code?: string }) => {
		if (state.down) return;
		state.down = true;
		console.warn(`[bus] Redis 不可用（${name}）：${error.code ?? error.message}；协作暂时只在本进程内同步`);
	});
	client.on('ready', () => {
		if (!state.down) return;
		state.down = false;
		console.log(`[bus] Redis 已恢复（${name}）`);
	});
	return client;
}

/**
 * The Hocuspocus Redis extension, made safe for Redis going away: publishing never throws into
 * Hocuspocus (its onChange hook is not awaited, a rejection would be unhandled), a document loads
 * even when it cannot subscribe (it is subscribed again when Redis returns), and there is no store
 * lock: Yishi has no onStoreDocument (persistence.ts stores every update before its ack).
 */
class YishiRedisExtension extends RedisExtension {
	/** Publishes a sync step 1 for the document: other processes answer with what it lacks. */
	publishSyncStep1(documentName: string, document: Document): Promise<unknown> {
		const message = new OutgoingMessage(documentName).createSyncMessage().writeFirstSyncStepFor(document);
		return this.publishRaw(documentName, message.toUint8Array());
	}

	publishRaw(documentName: string, message: Uint8Array): Promise<unknown> {
		const self = this as unknown as { encodeMessage(m: Uint8Array): Buffer };
		return this.pub.publish(`${this.configuration.prefix}:${documentName}`, self.encodeMessage(message)).catch(() => undefined);
	}

	subscribeDocument(documentName: string): Promise<void> {
		return this.sub.subscribe(`${this.configuration.prefix}:${documentName}`).then(
			() => undefined,
			() => undefined
		);
	}

	async afterLoadDocument(data: afterLoadDocumentPayload): Promise<unknown> {
		return super.afterLoadDocument(data).catch(() => undefined);
	}

	/**
	 * The update itself, one hop (the extension's own onChange publishes a sync step 1 instead,
	 * which takes three hops and an answer from every process for each keystroke). A process that
	 * misses one (Redis away) gets it from the resync when Redis returns; Yjs keeps an update whose
	 * predecessors are missing pending until they arrive.
	 */
	async onChange(data: onChangePayload): Promise<unknown> {
		if (data.transactionOrigin === this.redisTransactionOrigin) return;
		const message = new OutgoingMessage(data.documentName).createSyncMessage().writeUpdate(data.update);
		return this.publishRaw(data.documentName, message.toUint8Array());
	}

	onAwarenessUpdate(data: onAwarenessUpdatePayload): ReturnType<RedisExtension['onAwarenessUpdate']> {
		return super.onAwarenessUpdate(data).catch(() => undefined) as ReturnType<RedisExtension['onAwarenessUpdate']>;
	}

	beforeBroadcastStateless(data: beforeBroadcastStatelessPayload): ReturnType<RedisExtension['beforeBroadcastStateless']> {
		return super.beforeBroadcastStateless(data).catch(() => 0) as ReturnType<RedisExtension['beforeBroadcastStateless']>;
	}

	async onStoreDocument(): Promise<void> {}

	async afterStoreDocument(): Promise<void> {}
}

export interface Bus {
	/** Document fan-out for Hocuspocus (put it in the extensions list). */
	extension: YishiRedisExtension;
	/** Sends a live event to the other processes; dropped while Redis is away. */
	publish(event: LiveEvent): void;
	/** Live events from other processes (never this one's own). */
	onEvent(handler: (event: LiveEvent) => void): void;
	/** Runs whenever the document subscriber connection is (again) ready. */
	onReady(handler: () => void): void;
	/** True while both connections are up. */
	connected(): boolean;
	close(): Promise<void>;
}

export function connectBus(url: string): Bus {
	const identifier = `yishi-${process.pid}-${crypto.randomUUID()}`;
	const states = { pub: { down: false }, sub: { down: false }, livePub: { down: false }, liveSub: { down: false } };
	const clients: IORedis[] = [];
	const made = (name: keyof typeof states) => {
		const client = createClient(url, name, states[name]);
		clients.push(client);
		return client;
	};
	let clientCount = 0;
	const extension = new YishiRedisExtension({
		identifier,
		prefix: BUS_PREFIX,
		// Hocuspocus waits this long before unloading a document whose last connection left.
		disconnectDelay: 250,
		createClient: () => made(clientCount++ === 0 ? 'pub' : 'sub')
	});
	const livePub = made('livePub');
	const liveSub = made('liveSub');
	const handlers: ((event: LiveEvent) => void)[] = [];
	liveSub.on('message', (channel: string, text: string) => {
		if (channel !== LIVE_CHANNEL) return;
		let envelope: { from: string; event: LiveEvent };
		try {
			envelope = JSON.parse(text);
		} catch {
			return;
		}
		if (envelope.from === identifier) return;
		for (const handler of handlers) handler(envelope.event);
	});
	// Re-subscribed on every (re)connection: with no offline queue, ioredis's own resubscription
	// is not relied upon.
	liveSub.on('ready', () => void liveSub.subscribe(LIVE_CHANNEL).catch(() => undefined));

	return {
		extension,
		publish(event) {
			livePub.publish(LIVE_CHANNEL, JSON.stringify({ from: identifier, event })).catch(() => undefined);
		},
		onEvent: (handler) => void handlers.push(handler),
		onReady: (handler) => void extension.sub.on('ready', handler),
		connected: () => clients.every((c) => c.status === 'ready'),
		async close() {
			for (const client of clients) client.disconnect(false);
		}
	};
}
