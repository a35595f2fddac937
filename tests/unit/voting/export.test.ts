import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExport, parseExport, verifyExport, type OwnersCompoundTally, type VoteExport } from '../../../src/lib/domain/voting/index.ts';
import { fixtureDocuments } from './fixtures/documents.ts';
import { gateDetails, gateVote } from './scenario.ts';

function fixture(name: string): string {
	return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

function parsed(text: string): VoteExport {
	const result = parseExport(text);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.doc;
}

describe('export: build, parse, verify', () => {
	it('the committed fixtures are exactly what the engine builds today (regenerate with fixtures/generate.ts)', () => {
		for (const [name, doc] of Object.entries(fixtureDocuments())) {
			const expected = typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, '\t')}\n`;
			expect(fixture(name), name).toBe(expected);
		}
	});

	it('the gate vote: 方案B passes in 爱建, fails in 虹桥, and so fails jointly', () => {
		const doc = parsed(fixture('gate-major.json'));
		const b = doc.result.motions.find((m) => m.motionId === 'B')!;
		expect(b.compounds.map((c) => [c.compoundName, c.outcomeLabel])).toEqual([
			['爱建小区', '通过'],
			['虹桥小区', '未通过']
		]);
		expect(b.joint.passed).toBe(false);
		expect(doc.format).toBe('yishi-vote-export');
		expect(doc.version).toBe(1);
		expect(doc.meta.motions[1].textHash).toBe('sha256:9be1…b2');
		expect(doc.options).toEqual({ bothChannelsRule: 'electronic_prevails', nonVoterRule: { aijian: 'off', hongqiao: 'off' } });
		expect(doc.rosters[0].units[0]).toEqual({
			unitId: 'AJ-1-101',
			building: '1号楼',
			room: '101',
			areaHundredths: 4017,
			areaSource: 'surveyed',
			status: 'owned',
			ownerKey: 'AJ-o0'
		});
	});

	it('a good export verifies with no disagreements', () => {
		expect(verifyExport(parsed(fixture('gate-major.json')))).toEqual([]);
		expect(verifyExport(parsed(fixture('gate-advisory.json')))).toEqual([]);
		expect(verifyExport(parsed(fixture('residents-meeting.json')))).toEqual([]);
	});

	it('a tampered stated figure is reported with its path, stated and recomputed values', () => {
		expect(verifyExport(parsed(fixture('gate-tampered-result.json')))).toEqual([
			{ path: 'result.motions[1](B).compounds[1](hongqiao).yes.areaHundredths', stated: 327895, recomputed: 277895 }
		]);
	});

	it('a tampered ballot makes the stated result disagree with the recount', () => {
		const disagreements = verifyExport(parsed(fixture('gate-tampered-ballot.json')));
		expect(disagreements.map((d) => d.path)).toContain('result.motions[1](B).compounds[1](hongqiao).yes.persons');
	});

	it('a changed option is detected too (paper would have prevailed for one unit)', () => {
		const doc = parsed(fixture('gate-major.json'));
		doc.options.bothChannelsRule = 'paper_prevails';
		const paths = verifyExport(doc).map((d) => d.path);
		expect(paths).toContain('result.bothChannelsRule');
		expect(paths).toContain('result.motions[2](C).compounds[1](hongqiao).no.persons');
	});

	it('turning on the non-voter rule after the fact is detected', () => {
		const doc = parsed(fixture('gate-major.json'));
		doc.options.nonVoterRule.aijian = 'follow_majority';
		const recountPaths = verifyExport(doc).map((d) => d.path);
		expect(recountPaths).toContain('result.motions[0](A).compounds[0](aijian).nonVoterRule');
		expect(recountPaths).toContain('result.motions[0](A).compounds[0](aijian).nonVoterRuleApplied');
	});

	it('the stated result must not carry extra or missing figures', () => {
		const doc = parsed(fixture('gate-major.json'));
		const compound = doc.result.motions[0].compounds[0] as OwnersCompoundTally & { bonus?: number };
		compound.bonus = 1;
		delete (compound as Partial<OwnersCompoundTally>).leaning;
		expect(
			verifyExport(doc)
				.map((d) => d.path)
				.sort()
		).toEqual(['result.motions[0](A).compounds[0](aijian).bonus', 'result.motions[0](A).compounds[0](aijian).leaning']);
	});
});

describe('parseExport refuses malformed documents, in Chinese and English', () => {
	const good = (): VoteExport => JSON.parse(fixture('gate-major.json'));
	const cases: { name: string; mutate: (doc: any) => unknown; path: string }[] = [
		{ name: 'wrong format', mutate: (d) => (d.format = 'other'), path: 'format' },
		{ name: 'unsupported version', mutate: (d) => (d.version = 2), path: 'version' },
		{ name: 'no stated result', mutate: (d) => delete d.result, path: 'result' },
		{ name: 'unknown rule kind', mutate: (d) => (d.meta.ruleKind = 'simple'), path: 'meta.ruleKind' },
		{ name: 'bad bothChannelsRule', mutate: (d) => (d.options.bothChannelsRule = 'latest'), path: 'options.bothChannelsRule' },
		{
			name: 'missing nonVoterRule for a compound',
			mutate: (d) => delete d.options.nonVoterRule.hongqiao,
			path: 'options.nonVoterRule.hongqiao'
		},
		{ name: 'rosters out of step with compounds', mutate: (d) => d.rosters.reverse(), path: 'rosters' },
		{ name: 'a float area', mutate: (d) => (d.rosters[1].units[3].areaHundredths = 89.5), path: 'rosters[1].units[3].areaHundredths' },
		{ name: 'a duplicate unit', mutate: (d) => d.rosters[0].units.push(d.rosters[0].units[0]), path: 'rosters[0].units[48].unitId' },
		{ name: 'a ballot for a unit not in the roster', mutate: (d) => (d.ballots[5].unitId = 'HQ-99-101'), path: 'ballots[5].unitId' },
		{ name: 'a ballot with a bad choice', mutate: (d) => (d.ballots[0].choice = '同意'), path: 'ballots[0].choice' },
		{ name: 'a duplicate seq', mutate: (d) => (d.ballots[1].seq = d.ballots[0].seq), path: 'ballots[1].seq' }
	];
	it.each(cases)('$name', ({ mutate, path }) => {
		const doc = good();
		mutate(doc);
		const result = parseExport(JSON.stringify(doc));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => p.path)).toContain(path);
		expect(result.problems.every((p) => /[\u4e00-\u9fff]/.test(p.zh) && /[a-z]/.test(p.en))).toBe(true);
	});

	it('not JSON at all', () => {
		const result = parseExport('{ "format": ');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems[0].zh).toMatch(/不是有效的 JSON/);
	});

	it('accepts an already-parsed object', () => {
		expect(parseExport(good()).ok).toBe(true);
	});

	it('buildExport records options, the frozen roster and every ballot, superseded ones included', () => {
		const doc = buildExport(gateDetails, gateVote);
		expect(doc.ballots).toHaveLength(gateVote.ballots.length);
		expect(doc.rosters.map((r) => [r.compoundId, r.frozenAt, r.units.length])).toEqual([
			['aijian', '2025-06-01T08:00:00+08:00', 48],
			['hongqiao', '2025-06-01T08:00:00+08:00', 60]
		]);
		expect(doc.meta).toMatchObject({
			ballotId: 'demo-gate-2025',
			ruleKind: 'major',
			opensAt: gateDetails.opensAt,
			closesAt: gateDetails.closesAt
		});
	});
});
