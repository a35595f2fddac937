/**
 * The vote export as published with a record. The voting module's export ("yishi-vote-export"
 * v1) says which room cast which ballot; the public copy keeps every figure a recount needs
 * (areas, owner and voter pseudonyms, ballots, seq, times) but replaces each unit's id, building
 * and room with a per-ballot pseudonym — except that a compound which chose to publish masked
 * per-unit votes shows its building and masked room ("3号楼", "5**").
 */
import { canonicalJson, sha256Hex } from './canonical.ts';
import { maskRoom, maskedUnitLabel, type UnitVotePublication } from './masking.ts';
import type { MaskedUnitVote } from './document.ts';
import { parseInstant, pickAcrossChannels } from '../voting/precedence.ts';
import { parseExport, recountExport, verifyExport } from '../voting/export.ts';
import type { CastBallot } from '../voting/types.ts';
import type { VoteExport } from '../voting/export.ts';
import type { RecordContent } from './document.ts';
import { diffValues } from '../voting/diff.ts';
// A cycle by functions only (inclusion.ts uses countedChoices and exportSha256): safe in ES modules.
import { countedRows, merkleRootOf } from './inclusion.ts';

export type { VoteExport };

/**
 * @param unitPseudonym a keyed, per-ballot pseudonym of a unit id (the server passes an HMAC with
 *   the ballot's secret salt): equal ids give equal pseudonyms, so ballots still meet their units.
 */
export function publicVoteExport(
	doc: VoteExport,
	unitPseudonym: (unitId: string) => string,
	publication: Record<string, UnitVotePublication>
): VoteExport {
	const compoundOfUnit = new Map<string, string>();
	for (const roster of doc.rosters) for (const u of roster.units) compoundOfUnit.set(u.unitId, roster.compoundId);
	return {
		...doc,
		rosters: doc.rosters.map((roster) => {
			const masked = publication[roster.compoundId] === 'masked';
			return {
				...roster,
				units: roster.units.map((u) => ({
					...u,
					unitId: unitPseudonym(u.unitId),
					building: masked ? u.building : '—',
					room: masked ? maskRoom(u.room) : '—'
				}))
			};
		}),
		ballots: doc.ballots.map((b) => ({ ...b, unitId: unitPseudonym(b.unitId) })),
		// A settlement names its case by unit ids: the same pseudonyms, so the recount still matches it.
		...(doc.personSettlements
			? {
					personSettlements: doc.personSettlements.map((s) => ({
						...s,
						units: s.units.map((u) => ({ ...u, unitId: unitPseudonym(u.unitId) }))
					}))
				}
			: {})
	};
}

export function exportSha256(doc: VoteExport): string {
	return sha256Hex(canonicalJson(doc));
}

/** The ballot that counts per unit and motion: the latest of each channel, then the both-channels rule. */
export function countedChoices(doc: VoteExport, compoundId: string): Map<string, Map<string, CastBallot>> {
	const roster = doc.rosters.find((r) => r.compoundId === compoundId);
	const unitIds = new Set(roster?.units.map((u) => u.unitId) ?? []);
	const latest = new Map<string, { electronic: CastBallot | null; paper: CastBallot | null }>();
	const newer = (a: CastBallot, b: CastBallot | null) => {
		if (!b) return true;
		const am = parseInstant(a.castAt) ?? 0;
		const bm = parseInstant(b.castAt) ?? 0;
		return am > bm || (am === bm && a.seq > b.seq);
	};
	for (const b of doc.ballots) {
		if (b.compoundId !== undefined ? b.compoundId !== compoundId : !unitIds.has(b.unitId)) continue;
		const key = `${b.unitId}\u0000${b.motionId}`;
		const slot = latest.get(key) ?? { electronic: null, paper: null };
		if (newer(b, slot[b.channel])) slot[b.channel] = b;
		latest.set(key, slot);
	}
	const out = new Map<string, Map<string, CastBallot>>();
	for (const [key, slot] of latest) {
		const [unitId, motionId] = key.split('\u0000');
		const chosen = pickAcrossChannels(slot.electronic, slot.paper, doc.options.bothChannelsRule);
		if (!chosen) continue;
		if (!out.has(unitId)) out.set(unitId, new Map());
		out.get(unitId)!.set(motionId, chosen);
	}
	return out;
}

/** The masked per-unit list for a compound that chose to publish it: "3号楼 5**" and its choices. */
export function maskedUnitVotes(doc: VoteExport, compoundId: string): MaskedUnitVote[] {
	const roster = doc.rosters.find((r) => r.compoundId === compoundId);
	if (!roster) return [];
	const counted = countedChoices(doc, compoundId);
	const motionIds = doc.meta.motions.map((m) => m.id);
	return roster.units
		.filter((u) => counted.has(u.unitId))
		.map((u) => ({
			unit: maskedUnitLabel(u.building, u.room),
			choices: motionIds
				.filter((m) => counted.get(u.unitId)!.has(m))
				.map((m) => ({ motionId: m, choice: counted.get(u.unitId)!.get(m)!.choice }))
		}))
		.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

export interface ExportCheck {
	ok: boolean;
	problems: string[];
}

/**
 * 复核: the published export is the one the record names (hash), it is a valid export, its
 * stated result recounts, and the record's figures are exactly the recount's.
 */
export function checkRecordAgainstExport(content: RecordContent, exportValue: unknown): ExportCheck {
	const problems: string[] = [];
	const parsed = parseExport(exportValue);
	if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `表决数据格式有误 ${p.path}: ${p.zh}`) };
	const doc = parsed.doc;
	const hash = exportSha256(doc);
	if (hash !== content.voteExport.sha256) problems.push(`表决数据的校验码与公示记载不符（计算得 ${hash.slice(0, 16)}…）`);
	if (content.voteExport.merkleRoot !== undefined) {
		const rows = countedRows(doc);
		if (merkleRootOf(rows) !== content.voteExport.merkleRoot || rows.length !== content.voteExport.leafCount) {
			problems.push('分户表决数据的根校验码（Merkle root）与公示记载不符');
		}
	}
	for (const d of verifyExport(doc)) problems.push(`表决数据自身复核不一致：${d.path}`);
	const recount = recountExport(doc);
	for (const d of diffValues(content.result, recount, 'result'))
		problems.push(`公示数字与复核不一致：${d.path}：公示 ${JSON.stringify(d.stated)}，复核 ${JSON.stringify(d.recomputed)}`);
	return { ok: problems.length === 0, problems };
}
