/**
 * Limits extension: refuses oversized or malformed messages BEFORE they are stored or applied, so
 * the document is untouched. The offending connection is closed (4400 malformed, 4413 update too
 * large, 4507 document too large); other editors of the document are not affected.
 */
import type { Extension, beforeHandleMessagePayload, afterLoadDocumentPayload, afterUnloadDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { MAX_DOCUMENT_BYTES, MAX_UPDATE_BYTES } from '../../domain/drafting/limits.ts';
import { keepParse, parseMessage, type ParsedMessage } from './messages.ts';
import { loadedBytes } from './persistence.ts';
import { CollabRefusal, closeSocket } from './refusal.ts';

/** Room for the document name and framing around an update. */
const ENVELOPE_BYTES = 1024;

export interface LimitsOptions {
	maxUpdateBytes?: number;
	maxDocumentBytes?: number;
}

export function limitsExtension(options: LimitsOptions = {}): Extension {
	const maxUpdate = options.maxUpdateBytes ?? MAX_UPDATE_BYTES;
	const maxDocument = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
	/**
	 * An upper bound of each open document's encoded size: the stored bytes at load, then grown by every
	 * accepted update. Re-measured (one encode) only when the bound crosses the limit, so the
	 * common case costs nothing and a refusal is always based on a real measurement.
	 */
	const sizeBound = new Map<string, number>();

	return {
		priority: 200,
		async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
			// The stored bytes the persistence extension just read, when it did; else measure.
			sizeBound.set(documentName, loadedBytes.get(document) ?? Y.encodeStateAsUpdate(document).byteLength);
		},
		async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
			sizeBound.delete(documentName);
		},
		async beforeHandleMessage(payload: beforeHandleMessagePayload) {
			const { update: data, connection, document, documentName } = payload;
			const refuse = (refusal: CollabRefusal): never => {
				closeSocket(connection.request, refusal);
				throw refusal;
			};
			if (data.byteLength > maxUpdate + ENVELOPE_BYTES) return refuse(new CollabRefusal('updateTooLarge'));
			let parsed: ParsedMessage;
			try {
				parsed = parseMessage(data);
				keepParse(payload, parsed);
			} catch {
				return refuse(new CollabRefusal('malformed'));
			}
			if (!parsed.update || connection.readOnly) return;
			if (parsed.update.byteLength > maxUpdate) return refuse(new CollabRefusal('updateTooLarge'));
			try {
				// Decoding the whole update catches truncated or garbage bytes before anything is stored.
				Y.decodeUpdate(parsed.update);
			} catch {
				return refuse(new CollabRefusal('malformed'));
			}
			let bound = (sizeBound.get(documentName) ?? 0) + parsed.update.byteLength;
			if (bound > maxDocument) {
				bound = Y.encodeStateAsUpdate(document).byteLength + parsed.update.byteLength;
				if (bound > maxDocument) return refuse(new CollabRefusal('documentTooLarge'));
			}
			sizeBound.set(documentName, bound);
		}
	};
}
