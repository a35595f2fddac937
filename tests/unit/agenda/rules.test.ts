import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	PHASES,
	PHASE_CAPABILITIES,
	checkAdvance,
	missingSignOffs,
	nextPhase,
	phaseAllows,
	phaseRefusal
} from '../../../src/lib/domain/agenda/index.ts';
import {
	checkTriage,
	handlingLevel,
	supportCount,
	supportMissing,
	thresholdReached,
	type Chain
} from '../../../src/lib/domain/concerns/index.ts';
import {
	checkTurn,
	classifyStatement,
	speakingOrder,
	tallyAdvisory,
	type CompoundCounts,
	type SpeakerRequest
} from '../../../src/lib/domain/deliberation/index.ts';
import { pendingRecipients } from '../../../src/lib/domain/notifications/index.ts';

describe('the phase table', () => {
	it.each([
		['agenda', 'agenda.publish', true],
		['agenda', 'debate.post', false],
		['deliberation', 'debate.post', true],
		['drafting', 'debate.post', true],
		['voting', 'debate.post', false],
		['voting', 'meetings', true],
		['implementation', 'polls', false]
	] as const)('%s allows %s: %s', (phase, capability, allowed) => {
		expect(phaseAllows(phase, capability)).toBe(allowed);
	});

	it('lists only what a service enforces: every capability is required by some service', () => {
		const capabilities = [...new Set(PHASES.flatMap((p) => PHASE_CAPABILITIES[p]))];
		const sources = (dir: string): string[] =>
			readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
				if (e.isDirectory()) return sources(join(dir, e.name));
				return e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [];
			});
		const server = sources('src/lib/server').join('\n');
		expect(capabilities.filter((c) => !server.includes(`requirePhase(session, '${c}')`))).toEqual([]);
	});

	it('a refusal names the phase and where the capability is open', () => {
		expect(phaseRefusal('agenda', 'debate.post')).toBe('现在是“议题确定”阶段，不能发表意见（协商、起草阶段可以）');
	});

	it('moves forward one step only, and leaves 议题确定 only once published', () => {
		fc.assert(
			fc.property(fc.constantFrom(...PHASES), fc.constantFrom(...PHASES), fc.boolean(), (from, to, published) => {
				const ok = checkAdvance(from, to, published) === null;
				expect(ok).toBe(nextPhase(from) === to && (from !== 'agenda' || published));
			})
		);
	});
});

describe('co-sign threshold', () => {
	it.each([
		[{ kind: 'count', count: 5 } as const, 4, 100, false],
		[{ kind: 'count', count: 5 } as const, 5, 100, true],
		[{ kind: 'share', numerator: 1, denominator: 10 } as const, 47, 480, false],
		[{ kind: 'share', numerator: 1, denominator: 10 } as const, 48, 480, true],
		[{ kind: 'share', numerator: 1, denominator: 3 } as const, 1, 3, true],
		[{ kind: 'share', numerator: 1, denominator: 3 } as const, 1, 4, false]
	])('%o with %i of %i households: %s', (t, support, households, reached) => {
		expect(thresholdReached(support, households, t)).toBe(reached);
	});

	it('missing is exactly what it takes to reach the threshold', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 20 }),
				fc.integer({ min: 1, max: 20 }),
				fc.integer({ min: 0, max: 5000 }),
				fc.integer({ min: 0, max: 5000 }),
				(a, b, households, support) => {
					const t = { kind: 'share' as const, numerator: Math.min(a, b), denominator: Math.max(a, b) };
					const missing = supportMissing(support, households, t);
					expect(thresholdReached(support + missing, households, t)).toBe(true);
					if (missing > 0) expect(thresholdReached(support + missing - 1, households, t)).toBe(false);
				}
			)
		);
	});

	it('counts households, not accounts', () => {
		expect(
			supportCount([
				{ userId: 'a', unitId: 'u1' },
				{ userId: 'b', unitId: 'u1' },
				{ userId: 'c', unitId: null },
				{ userId: 'd', unitId: 'u2' }
			])
		).toBe(3);
	});
});

const chain = (compound: string, committee: string, cluster = 'cl', street = 'st'): Chain => [
	{ id: compound, kind: 'compound' },
	{ id: committee, kind: 'committee' },
	{ id: cluster, kind: 'cluster' },
	{ id: street, kind: 'street' }
];

describe('小事不出居委、大事不出片区', () => {
	it.each([
		['one compound stays local', [chain('aijian', 'jw1')], { level: 'local', nodeId: 'aijian' }],
		[
			'two compounds of two 居委 go to their 片区',
			[chain('aijian', 'jw1'), chain('hongqiao', 'jw2')],
			{ level: 'cluster', nodeId: 'cl' }
		],
		[
			'two compounds of one 居委 also go to the 片区',
			[chain('hongqiao', 'jw2'), chain('xianxia', 'jw2')],
			{ level: 'cluster', nodeId: 'cl' }
		],
		['compounds of two 片区 go to the 街道', [chain('a', 'jw1', 'cl1'), chain('b', 'jw2', 'cl2')], { level: 'cluster', nodeId: 'st' }]
	] as const)('%s', (_, chains, expected) => {
		expect(handlingLevel(chains as unknown as Chain[])).toMatchObject(expected);
	});

	it('the handling node lies above every compound', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), {
					minLength: 1,
					maxLength: 5
				}),
				(specs) => {
					const chains = specs.map(([c, j, k]) => chain(`c${c}-${j}-${k}`, `j${j}-${k}`, `k${k}`));
					const level = handlingLevel(chains)!;
					for (const ch of chains) expect(ch.some((n) => n.id === level.nodeId)).toBe(true);
					expect(level.level === 'local').toBe(new Set(chains.map((c) => c[0].id)).size === 1);
				}
			)
		);
	});

	const base = { reason: '理由', belongs: 'cluster' as const, atCluster: false, status: 'queued' as const };
	it.each([
		['accept a cross-compound concern locally', { ...base, outcome: 'accept' as const }, '须上报片区处理'],
		['answer it locally', { ...base, outcome: 'answer' as const }, '须上报片区处理'],
		['reject it locally (allowed)', { ...base, outcome: 'reject' as const }, null],
		['escalate it', { ...base, outcome: 'escalate' as const }, null],
		['escalate it twice', { ...base, status: 'escalated' as const, atCluster: true, outcome: 'escalate' as const }, '不能再上报'],
		['accept at the 片区', { ...base, status: 'escalated' as const, atCluster: true, outcome: 'accept' as const }, null],
		['triage without a reason', { ...base, reason: ' ', outcome: 'reject' as const }, '请写明处理理由'],
		['triage while collecting', { ...base, status: 'collecting' as const, outcome: 'reject' as const }, '还在征集附议'],
		['merge without a target', { ...base, belongs: 'local' as const, outcome: 'merge' as const }, '请选择要合并到的议题']
	])('%s', (_, input, expected) => {
		const result = checkTriage(input);
		if (expected === null) expect(result).toBeNull();
		else expect(result).toContain(expected);
	});
});

describe('turn limits and speaking order', () => {
	const limits = { maxTurns: 2, maxChars: 10, speakSeconds: 120 };
	it.each([
		[0, '好', null],
		[1, '好', null],
		[2, '好', '发言次数已用完'],
		[0, '一二三四五六七八九十', null],
		[0, '一二三四五六七八九十一', '不超过 10 字'],
		[0, '   ', '请写下']
	])('%i turns used, "%s"', (used, text, expected) => {
		const r = checkTurn(used, text, limits);
		if (expected === null) expect(r).toBeNull();
		else expect(r).toContain(expected);
	});

	const request = fc.record({
		id: fc.uuid(),
		speakerKey: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
		stance: fc.constantFrom('pro', 'con', 'info'),
		requestedAt: fc.integer({ min: 0, max: 100 })
	}) as fc.Arbitrary<SpeakerRequest>;
	const spokenArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 0, max: 3 }));

	it('is a permutation of the waiting list', () => {
		fc.assert(
			fc.property(fc.uniqueArray(request, { selector: (r) => r.id, maxLength: 12 }), spokenArb, (waiting, spoken) => {
				const order = speakingOrder(waiting, new Map(Object.entries(spoken)));
				expect(order.map((r) => r.id).sort()).toEqual(waiting.map((r) => r.id).sort());
			})
		);
	});

	it('everyone who has not spoken comes before anyone who has', () => {
		fc.assert(
			fc.property(fc.uniqueArray(request, { selector: (r) => r.speakerKey, maxLength: 5 }), spokenArb, (waiting, spoken) => {
				const turns = (r: SpeakerRequest) => spoken[r.speakerKey] ?? 0;
				const order = speakingOrder(waiting, new Map(Object.entries(spoken)));
				const firstSpoken = order.findIndex((r) => turns(r) > 0);
				if (firstSpoken >= 0) expect(order.slice(firstSpoken).every((r) => turns(r) > 0)).toBe(true);
			})
		);
	});

	it('alternates pro and con among equals', () => {
		const w = (id: string, stance: 'pro' | 'con', at: number): SpeakerRequest => ({ id, speakerKey: id, stance, requestedAt: at });
		expect(
			speakingOrder([w('p1', 'pro', 1), w('p2', 'pro', 2), w('c1', 'con', 3), w('c2', 'con', 4)], new Map()).map((r) => r.id)
		).toEqual(['p1', 'c1', 'p2', 'c2']);
	});
});

describe('common ground', () => {
	const c = (compoundId: string, agree: number, disagree: number, pass: number): CompoundCounts => ({
		compoundId,
		agree,
		disagree,
		pass
	});
	it.each([
		['majority in both', [c('a', 3, 1, 0), c('b', 2, 1, 0)], 'shared'],
		['exactly half is not a majority', [c('a', 3, 1, 0), c('b', 2, 2, 0)], 'mixed'],
		['passes count in the denominator', [c('a', 3, 0, 0), c('b', 2, 0, 2)], 'mixed'],
		['agree here, disagree there', [c('a', 3, 0, 0), c('b', 0, 3, 0)], 'divisive'],
		['against everywhere', [c('a', 0, 3, 0), c('b', 1, 2, 0)], 'shared_against'],
		['too few answers in one', [c('a', 30, 0, 0), c('b', 2, 0, 0)], 'too_few'],
		['a compound missing', [c('a', 30, 0, 0)], 'too_few']
	] as const)('%s', (_, counts, expected) => {
		expect(classifyStatement(['a', 'b'], counts, 3)).toBe(expected);
	});

	const counts = fc.record({ agree: fc.nat(50), disagree: fc.nat(50), pass: fc.nat(50) });
	it('shared means a strict majority in every compound, never just a pooled one', () => {
		fc.assert(
			fc.property(fc.array(counts, { minLength: 1, maxLength: 4 }), (rows) => {
				const ids = rows.map((_, i) => `c${i}`);
				const result = classifyStatement(
					ids,
					rows.map((r, i) => ({ compoundId: ids[i], ...r })),
					1
				);
				const majorityEverywhere = rows.every(
					(r) => r.agree + r.disagree + r.pass >= 1 && 2 * r.agree > r.agree + r.disagree + r.pass
				);
				expect(result === 'shared').toBe(majorityEverywhere);
			})
		);
	});
});

describe('advisory tally', () => {
	it('pooled equals the sum of the compounds, and answers outside the compounds are ignored', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ compoundId: fc.constantFrom('a', 'b', 'x'), option: fc.integer({ min: 0, max: 2 }) })),
				(answers) => {
					const t = tallyAdvisory(['a', 'b'], 3, answers);
					expect(t.advisory).toBe(true);
					for (let i = 0; i < 3; i++) expect(t.pooled.counts[i]).toBe(t.perCompound[0].counts[i] + t.perCompound[1].counts[i]);
					expect(t.pooled.total).toBe(answers.filter((a) => a.compoundId !== 'x').length);
				}
			)
		);
	});

	it('leading lists every option tied for the most', () => {
		expect(
			tallyAdvisory(['a'], 3, [
				{ compoundId: 'a', option: 0 },
				{ compoundId: 'a', option: 2 }
			]).pooled.leading
		).toEqual([0, 2]);
	});
});

describe('reminders and sign-offs', () => {
	it('remind only those who have not acted and were not reminded', () => {
		expect(pendingRecipients(['a', 'b', 'c', 'd', 'a'], ['b'], ['c'])).toEqual(['a', 'd']);
	});

	it('a sign-off counts only for the revision signed', () => {
		expect(
			missingSignOffs(
				['x', 'y', 'z'],
				new Map([
					['x', 3],
					['y', 2]
				]),
				3
			)
		).toEqual(['y', 'z']);
	});
});
