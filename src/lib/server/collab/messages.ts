/**
 * Reading the Hocuspocus wire format far enough to find the Yjs update inside a message:
 *   varString documentName, varUint messageType, then for Sync (0) / SyncReply (4):
 *   varUint syncType (0 step1, 1 step2, 2 update), varUint8Array payload.
 * Throws on a malformed message (the caller closes the connection with 4400).
 */
import * as decoding from 'lib0/decoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_SYNC_REPLY = 4;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export interface ParsedMessage {
	documentName: string;
	messageType: number;
	syncType: number | null;
	/** The Yjs update carried by a step-2 or update message; null for everything else. */
	update: Uint8Array | null;
}

export function parseMessage(data: Uint8Array): ParsedMessage {
	const decoder = decoding.createDecoder(data);
	const documentName = decoding.readVarString(decoder);
	const messageType = decoding.readVarUint(decoder);
	if (messageType !== MESSAGE_SYNC && messageType !== MESSAGE_SYNC_REPLY)
		return { documentName, messageType, syncType: null, update: null };
	const syncType = decoding.readVarUint(decoder);
	if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return { documentName, messageType, syncType, update: null };
	return { documentName, messageType, syncType, update: decoding.readVarUint8Array(decoder) };
}

const PARSED = Symbol('yishi.parsedMessage');
type WithParse = { [PARSED]?: ParsedMessage };

/**
 * One parse per message: Hocuspocus hands the same payload object to every extension's
 * `beforeHandleMessage` for one message, so the limits extension (which runs first) leaves what it
 * read on it and the persistence extension reads it back (parsing again only if it is missing).
 * A property of the payload rather than a WeakMap keyed by the bytes: no table entry per message
 * for the garbage collector to clear.
 */
export function keepParse(payload: object, parsed: ParsedMessage): void {
	(payload as WithParse)[PARSED] = parsed;
}

export function parseOf(payload: object, data: Uint8Array): ParsedMessage {
	return (payload as WithParse)[PARSED] ?? parseMessage(data);
}
