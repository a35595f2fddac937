import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/access/policy.ts';
import { compoundScope, requireAccess } from '../access.ts';
import type { Database } from '../db/client.ts';
import { memberships, units, verificationCodes } from '../db/schema/index.ts';
import { registerFirstClaim } from '../voting/voters.ts';
import { InvalidInput, NotFound, RuleBroken, refuseDuplicate } from '../errors.ts';
import { addressBucket } from '../../domain/auth/throttle.ts';
import { throttled, type Attempt } from '../auth/throttle.ts';
import { audit } from '../util/audit.ts';
import { clock } from '../util/clock.ts';
import { newId } from '../util/ids.ts';
import { m } from '../../paraglide/messages.js';

/** No 0/O, 1/I/L: the typed fallback must survive an elderly reader and a cheap printer. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

export function generateCode(): string {
	const bytes = new Uint8Array(CODE_LENGTH);
	crypto.getRandomValues(bytes);
	// 31 symbols from bytes: reject-sample so every symbol is equally likely.
	let out = '';
	let i = 0;
	while (out.length < CODE_LENGTH) {
		if (i >= bytes.length) {
			crypto.getRandomValues(bytes);
			i = 0;
		}
		const b = bytes[i++];
		if (b < 248) out += CODE_ALPHABET[b % 31];
	}
	return out;
}

/** Accepts what people type: lower case, spaces, dashes, full-width letters. */
export function normaliseCode(raw: string): string {
	return raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

export function formatCode(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function hashCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`yishi-verification:${code}`)));
}

export interface IssuedCode {
	unitId: string;
	code: string;
}

/**
 * Issues one fresh code per unit for printing. Any earlier unclaimed code of the same kind for the
 * unit is revoked first (a reprint). Only hashes are stored: the plain codes exist in this return
 * value alone, so staff cannot read them again after printing. A verified owner's binding is never
 * touched here; a letter for a unit that already has one is 补发核验信 (`reissueCode`), with a reason.
 */
export async function issueCodes(
	database: Database,
	actor: Actor,
	compoundId: string,
	unitIds: string[],
	kind: 'owner' | 'resident' = 'owner'
): Promise<IssuedCode[]> {
	requireAccess(actor, 'verification.issue', { compounds: [await compoundScope(database, compoundId)] });
	return writeCodes(database, actor, compoundId, unitIds, kind);
}

export const REISSUE_REASON_MAX = 200;

/**
 * 补发核验信: one unit's fresh owner code, asked for on its own with a reason (lost letter, a sale).
 * Revokes the unit's unclaimed code but never the verified owner's binding; whoever claims the new
 * code votes only from the next ballot on in any ballot already open (see voting/voters.ts).
 */
export async function reissueCode(
	database: Database,
	actor: Actor,
	compoundId: string,
	input: { unitId: string; reason: string }
): Promise<IssuedCode> {
	requireAccess(actor, 'verification.reissue', { compounds: [await compoundScope(database, compoundId)] });
	const reason = (input.reason ?? '').trim();
	if (reason.length === 0) throw new InvalidInput(m.claim_reason_missing(), { reason: m.claim_reason_missing_field() });
	if (reason.length > REISSUE_REASON_MAX)
		throw new InvalidInput(m.claim_reason_too_long({ max: REISSUE_REASON_MAX }), { reason: m.claim_reason_too_long_field() });
	const [issued] = await writeCodes(database, actor, compoundId, [input.unitId], 'owner', reason);
	return issued;
}

async function writeCodes(
	database: Database,
	actor: Actor,
	compoundId: string,
	unitIds: string[],
	kind: 'owner' | 'resident',
	reason?: string
): Promise<IssuedCode[]> {
	if (unitIds.length === 0) throw new InvalidInput(m.claim_no_units_chosen());
	const found = await database.db
		.select({ id: units.id })
		.from(units)
		.where(and(inArray(units.id, unitIds), eq(units.compoundId, compoundId)));
	if (found.length !== new Set(unitIds).size) throw new InvalidInput(m.claim_units_elsewhere());
	const issued = unitIds.map((unitId) => ({ unitId, code: generateCode() }));
	const now = clock.now();
	await database.write(async (tx) => {
		const previous = await tx
			.select({ id: verificationCodes.id })
			.from(verificationCodes)
			.where(
				and(
					inArray(verificationCodes.unitId, unitIds),
					eq(verificationCodes.kind, kind),
					isNull(verificationCodes.claimedAt),
					isNull(verificationCodes.revokedAt)
				)
			);
		if (previous.length > 0) {
			await tx
				.update(verificationCodes)
				.set({ revokedAt: now })
				.where(
					inArray(
						verificationCodes.id,
						previous.map((p) => p.id)
					)
				);
		}
		for (const item of issued) {
			const id = newId();
			await tx.insert(verificationCodes).values({
				id,
				unitId: item.unitId,
				kind,
				codeHash: hashCode(item.code),
				issuedBy: actor.userId,
				issuedAt: now,
				reissueReason: reason ?? null
			});
		}
		if (reason !== undefined) {
			const owners = await tx
				.select({ id: memberships.id })
				.from(memberships)
				.where(and(eq(memberships.unitId, unitIds[0]), eq(memberships.relation, 'owner'), isNull(memberships.revokedAt)));
			await audit(tx, {
				actorId: actor.userId,
				action: 'verification.reissue_letter',
				subjectType: 'unit',
				subjectId: unitIds[0],
				detail: { compoundId, unitId: unitIds[0], reason, verifiedOwners: owners.length, revoked: previous.length }
			});
			return;
		}
		await audit(tx, {
			actorId: actor.userId,
			action: previous.length > 0 ? 'verification.reissue' : 'verification.issue',
			subjectType: 'compound',
			subjectId: compoundId,
			detail: { kind, units: unitIds.length, revoked: previous.length }
		});
	});
	return issued;
}

export async function revokeCodesOfUnit(database: Database, actor: Actor, unitId: string): Promise<number> {
	const unit = await database.db.select({ compoundId: units.compoundId }).from(units).where(eq(units.id, unitId)).limit(1);
	if (unit.length === 0) throw new NotFound(m.claim_no_unit());
	requireAccess(actor, 'verification.issue', { compounds: [await compoundScope(database, unit[0].compoundId)] });
	return database.write(async (tx) => {
		const open = await tx
			.select({ id: verificationCodes.id })
			.from(verificationCodes)
			.where(and(eq(verificationCodes.unitId, unitId), isNull(verificationCodes.claimedAt), isNull(verificationCodes.revokedAt)));
		if (open.length > 0) {
			await tx
				.update(verificationCodes)
				.set({ revokedAt: clock.now() })
				.where(
					inArray(
						verificationCodes.id,
						open.map((o) => o.id)
					)
				);
		}
		await audit(tx, {
			actorId: actor.userId,
			action: 'verification.revoke',
			subjectType: 'unit',
			subjectId: unitId,
			detail: { revoked: open.length }
		});
		return open.length;
	});
}

export interface ClaimResult {
	unitId: string;
	relation: 'owner' | 'resident';
}

/**
 * 认领: binds the account to the code's unit. A code works once; the "claimed" stamp is set with a
 * conditional update inside the write, so two people racing for one code cannot both win.
 */
export async function claimCode(database: Database, userId: string, rawCode: string, clientAddress: string): Promise<ClaimResult> {
	const code = normaliseCode(rawCode);
	if (!/^[0-9A-Z]{8}$/.test(code)) throw new InvalidInput(m.claim_code_format(), { code: m.claim_code_format_field() });
	// Only codes that could exist count: a typo in the format is caught above and costs nothing.
	return throttled(
		database,
		[
			{ rule: 'claimUser', subject: userId },
			{ rule: 'claimAddress', subject: addressBucket(clientAddress) }
		],
		(attempt) => bindCode(database, userId, code, attempt)
	);
}

async function bindCode(database: Database, userId: string, code: string, attempt: Attempt): Promise<ClaimResult> {
	const codeHash = hashCode(code);
	// The failure is counted after the write task: a write queued from inside one would wait for itself.
	const result = await database.write(async (tx): Promise<ClaimResult | 'unknown'> => {
		const rows = await tx.select().from(verificationCodes).where(eq(verificationCodes.codeHash, codeHash)).limit(1);
		const row = rows[0];
		if (!row) return 'unknown';
		if (row.revokedAt !== null) throw new RuleBroken(m.claim_code_revoked(), 'code_revoked');
		if (row.claimedAt !== null) {
			if (row.claimedBy === userId) throw new RuleBroken(m.claim_code_used_by_you(), 'code_used');
			throw new RuleBroken(m.claim_code_used(), 'code_used');
		}
		const now = clock.now();
		const claimed = await tx
			.update(verificationCodes)
			.set({ claimedBy: userId, claimedAt: now })
			.where(and(eq(verificationCodes.id, row.id), isNull(verificationCodes.claimedAt), isNull(verificationCodes.revokedAt)))
			.returning({ id: verificationCodes.id });
		if (claimed.length === 0) throw new RuleBroken(m.claim_code_used_short(), 'code_used');
		await refuseDuplicate(
			tx.insert(memberships).values({ id: newId(), userId, unitId: row.unitId, relation: row.kind, codeId: row.id, verifiedAt: now }),
			new RuleBroken(m.claim_already_member(), 'already_member')
		);
		if (row.kind === 'owner') await registerFirstClaim(tx, { userId, unitId: row.unitId, at: now });
		await audit(tx, {
			actorId: userId,
			action: 'verification.claim',
			subjectType: 'unit',
			subjectId: row.unitId,
			detail: { kind: row.kind, codeId: row.id }
		});
		return { unitId: row.unitId, relation: row.kind };
	});
	if (result === 'unknown') {
		await attempt.failed();
		throw new InvalidInput(m.claim_code_wrong(), { code: m.claim_code_wrong_field() });
	}
	await attempt.succeeded();
	return result;
}

export interface CodeStatus {
	unitId: string;
	issuedAt: number | null;
	claimedAt: number | null;
	state: 'none' | 'issued' | 'claimed';
	owners: number;
}

/** Per unit: whether a letter is out and whether someone verified. Never the code itself. */
export async function codeStatusOfUnits(database: Database, unitIds: string[]): Promise<Map<string, CodeStatus>> {
	const result = new Map<string, CodeStatus>();
	for (const unitId of unitIds) result.set(unitId, { unitId, issuedAt: null, claimedAt: null, state: 'none', owners: 0 });
	if (unitIds.length === 0) return result;
	for (let i = 0; i < unitIds.length; i += 500) {
		const chunk = unitIds.slice(i, i + 500);
		const codes = await database.db
			.select({
				unitId: verificationCodes.unitId,
				issuedAt: verificationCodes.issuedAt,
				claimedAt: verificationCodes.claimedAt,
				revokedAt: verificationCodes.revokedAt
			})
			.from(verificationCodes)
			.where(inArray(verificationCodes.unitId, chunk));
		for (const c of codes) {
			const s = result.get(c.unitId)!;
			if (c.claimedAt) {
				s.state = 'claimed';
				s.claimedAt = Math.max(s.claimedAt ?? 0, c.claimedAt);
			} else if (!c.revokedAt && s.state === 'none') {
				s.state = 'issued';
			}
			s.issuedAt = Math.max(s.issuedAt ?? 0, c.issuedAt);
		}
		const members = await database.db
			.select({ unitId: memberships.unitId })
			.from(memberships)
			.where(and(inArray(memberships.unitId, chunk), isNull(memberships.revokedAt), eq(memberships.relation, 'owner')));
		for (const m of members) result.get(m.unitId)!.owners++;
	}
	return result;
}
