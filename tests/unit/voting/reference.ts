/**
 * A deliberately naive second implementation of the counting rules, written straight from
 * DOMAIN.md §3 without the engine's indexing, for differential property tests. Slow and obvious
 * on purpose: sort ballots, keep the last per unit and channel, group persons with a Map.
 */
import type { CastBallot, Choice, OwnersVoteInput } from '../../../src/lib/domain/voting/index.ts';

export interface ReferenceCompound {
	totalArea: number;
	totalPersons: number;
	area: Record<Choice, number>;
	persons: Record<Choice, number>;
	/** Decision under ordinary/major without the non-voter rule; null for other kinds. */
	passedWithoutNonVoterRule: boolean | null;
	consentingPersons: number;
}

function laterOf(a: CastBallot, b: CastBallot): CastBallot {
	const ta = new Date(a.castAt).getTime();
	const tb = new Date(b.castAt).getTime();
	if (ta !== tb) return ta > tb ? a : b;
	return a.seq > b.seq ? a : b;
}

export function referenceTally(input: OwnersVoteInput, motionId: string): ReferenceCompound[] {
	return input.compounds.map((compound) => {
		const personOf = (unitId: string): string => {
			const unit = compound.units.find((u) => u.unitId === unitId)!;
			// SPC art. 9: undelivered units are the developer's whatever key they carry; delivered units are their owner's.
			if (unit.status !== 'owned') return 'DEVELOPER';
			return `owner:${unit.ownerKey}`;
		};
		const persons = new Set(compound.units.map((u) => personOf(u.unitId)));
		const mine = input.ballots.filter((b) => (b.compoundId ?? compound.compoundId) === compound.compoundId && b.motionId === motionId);
		const area: Record<Choice, number> = { yes: 0, no: 0, abstain: 0 };
		const perPerson = new Map<string, Record<Choice, number>>();
		for (const unit of compound.units) {
			const latest = (channel: string) =>
				mine
					.filter((b) => b.unitId === unit.unitId && b.channel === channel)
					.reduce<CastBallot | null>((acc, b) => (acc ? laterOf(acc, b) : b), null);
			const e = latest('electronic');
			const p = latest('paper');
			const counted = e && p ? ((input.bothChannelsRule ?? 'electronic_prevails') === 'electronic_prevails' ? e : p) : (e ?? p);
			if (!counted) continue;
			area[counted.choice] += unit.areaHundredths;
			const key = personOf(unit.unitId);
			const acc = perPerson.get(key) ?? { yes: 0, no: 0, abstain: 0 };
			acc[counted.choice] += unit.areaHundredths;
			perPerson.set(key, acc);
		}
		const personCounts: Record<Choice, number> = { yes: 0, no: 0, abstain: 0 };
		let consentingPersons = 0;
		for (const a of perPerson.values()) {
			const top = Math.max(a.yes, a.no, a.abstain);
			const winners = (['yes', 'no', 'abstain'] as const).filter((c) => a[c] === top);
			personCounts[winners.length === 1 ? winners[0] : 'abstain']++;
			if (a.no === 0 && a.abstain === 0) consentingPersons++;
		}
		const totalArea = compound.units.reduce((s, u) => s + u.areaHundredths, 0);
		const votedArea = area.yes + area.no + area.abstain;
		const votedPersons = personCounts.yes + personCounts.no + personCounts.abstain;
		let passed: boolean | null = null;
		if (input.ruleKind === 'ordinary' || input.ruleKind === 'major') {
			const B = BigInt;
			const quorum = totalArea > 0 && B(3) * B(votedArea) >= B(2) * B(totalArea) && B(3) * B(votedPersons) >= B(2) * B(persons.size);
			const approve =
				input.ruleKind === 'ordinary'
					? B(2) * B(area.yes) > B(votedArea) && 2 * personCounts.yes > votedPersons
					: votedArea > 0 && B(4) * B(area.yes) >= B(3) * B(votedArea) && 4 * personCounts.yes >= 3 * votedPersons;
			passed = quorum && approve;
		}
		return { totalArea, totalPersons: persons.size, area, persons: personCounts, passedWithoutNonVoterRule: passed, consentingPersons };
	});
}
