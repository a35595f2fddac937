import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';

/**
 * Uploaded roster files between preview and confirmation. Held in memory for 30 minutes: the
 * roster itself is untouched until confirmation, and a lost staging (restart) only means
 * choosing the file again.
 */
const TTL_MS = 30 * 60 * 1000;
const MAX_STAGED = 50;
const staged = new Map<string, { compoundId: string; userId: string; fileName: string; bytes: Uint8Array; at: number }>();

export function stageUpload(compoundId: string, userId: string, fileName: string, bytes: Uint8Array): string {
	const now = clock.now();
	for (const [token, s] of staged) if (now - s.at > TTL_MS) staged.delete(token);
	while (staged.size >= MAX_STAGED) staged.delete(staged.keys().next().value!);
	const token = newId();
	staged.set(token, { compoundId, userId, fileName, bytes, at: now });
	return token;
}

export function takeStaged(token: string, compoundId: string, userId: string) {
	const s = staged.get(token);
	if (!s || s.compoundId !== compoundId || s.userId !== userId || clock.now() - s.at > TTL_MS) return null;
	return s;
}

export function dropStaged(token: string): void {
	staged.delete(token);
}
