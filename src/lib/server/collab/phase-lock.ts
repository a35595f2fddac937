/**
 * Phase-lock extension: after 定稿 nobody edits. Three walls, each enough on its own for its case:
 * - new connections to a frozen set are read-only (onAuthenticate, below);
 * - open connections are switched to read-only when the freeze commits (`lock`, via collab/live.ts);
 * - an update racing the freeze is refused by the phase check inside its own write transaction
 *   (drafting/store.ts appendClientUpdates, one INSERT … WHERE the set is drafting), which the
 *   persistence extension turns into read-only.
 */
import type { Extension, Hocuspocus, onAuthenticatePayload } from '@hocuspocus/server';
import { DRAFT_PHASE_RULES } from '../../domain/drafting/limits.ts';
import { alternativeIdOf } from '../../domain/drafting/document.ts';
import type { Database } from '../db/client.ts';
import { phaseOf } from '../drafting/store.ts';

export function phaseLockExtension(database: Database): Extension {
	return {
		// After auth (300), which has already refused strangers.
		priority: 250,
		async onAuthenticate({ documentName, connectionConfig }: onAuthenticatePayload) {
			const alternativeId = alternativeIdOf(documentName);
			const phase = alternativeId ? await phaseOf(database.db, alternativeId) : null;
			if (!phase || !DRAFT_PHASE_RULES[phase].edit) connectionConfig.readOnly = true;
		}
	};
}

/** The stateless message open editors receive at freeze (provider 'stateless' event, payload JSON). */
export const FROZEN_EVENT = JSON.stringify({ event: 'draft.frozen' });

/**
 * Makes every open connection of the document read-only (their later updates get
 * SyncStatus(false) and are never applied) and tells the editors, so they can switch to 已定稿.
 */
export function lockDocument(hocuspocus: Hocuspocus, documentName: string): void {
	const document = hocuspocus.documents.get(documentName);
	if (!document) return;
	for (const connection of document.getConnections()) connection.readOnly = true;
	document.broadcastStateless(FROZEN_EVENT);
}
