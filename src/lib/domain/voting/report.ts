/**
 * A plain-text report of a result, for the recount command and for printing: per motion, per
 * compound, the figures in area and persons, every threshold with its fraction, and the joint
 * result. Reads only the result object, so it shows exactly what was (re)computed.
 */
import { formatArea } from './format.ts';
import { NON_VOTER_RULE_LABELS } from './labels.ts';
import type {
	ChoiceFigures,
	Figures,
	MeetingCompoundTally,
	MotionResult,
	OwnersCompoundTally,
	PooledAdvisoryTally,
	TallyResult
} from './types.ts';

/** Display width, counting CJK and full-width characters as two columns. */
function width(text: string): number {
	let columns = 0;
	for (const ch of text)
		columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
	return columns;
}

function padEnd(text: string, columns: number): string {
	return text + ' '.repeat(Math.max(0, columns - width(text)));
}

function padStart(text: string, columns: number): string {
	return ' '.repeat(Math.max(0, columns - width(text))) + text;
}

function figureRows(rows: [string, Figures][], indent: string): string[] {
	const lines = [`${indent}${padEnd('', 12)}${padStart('面积', 18)}${padStart('人数', 10)}`];
	for (const [label, figures] of rows) {
		lines.push(
			`${indent}${padEnd(label, 12)}${padStart(formatArea(figures.areaHundredths), 18)}${padStart(String(figures.persons), 10)}`
		);
	}
	return lines;
}

function choiceFigureRows(figures: ChoiceFigures, indent: string): string[] {
	return figureRows(
		[
			['总数', figures.total],
			['参与表决', figures.participating],
			['同意', figures.yes],
			['反对', figures.no],
			['弃权', figures.abstain],
			['未参与表决', figures.nonVoting]
		],
		indent
	);
}

function ownersCompoundLines(tally: OwnersCompoundTally): string[] {
	const indent = '    ';
	const lines = [`  ${tally.compoundName} (${tally.compoundId})：${tally.outcomeLabel}`, ...choiceFigureRows(tally, indent)];
	const rule = NON_VOTER_RULE_LABELS[tally.nonVoterRule];
	if (tally.nonVoterRuleApplied) {
		const side = tally.nonVoterAddedTo === 'yes' ? '同意' : '反对';
		lines.push(`${indent}${rule}：已适用，未参与表决的面积和人数计入${side}方`);
		lines.push(
			...figureRows(
				[
					['计票用参与', tally.decisive.participating],
					['计票用同意', tally.decisive.yes]
				],
				indent
			)
		);
	} else if (tally.nonVoterRule === 'follow_majority') {
		lines.push(`${indent}${rule}：本次未适用`);
	}
	for (const check of tally.thresholds) lines.push(`${indent}${check.label}：${check.display}`);
	if (tally.leaning) {
		const say = { yes: '同意多', no: '反对多', tie: '持平' } as const;
		lines.push(`${indent}倾向（面积/人数）：${say[tally.leaning.area]} / ${say[tally.leaning.persons]}`);
	}
	const b = tally.ballots;
	lines.push(
		`${indent}选票：共 ${b.cast} 张，计入 ${b.counted}（网上 ${b.electronic}，书面 ${b.paper}，委托 ${b.viaProxy}），被取代 ${b.superseded}`
	);
	return lines;
}

function meetingLines(tally: MeetingCompoundTally): string[] {
	const indent = '    ';
	return [
		`  ${tally.compoundName} (${tally.compoundId})：${tally.outcomeLabel}`,
		`${indent}应到（${tally.basisLabel}）${tally.eligible}，实到 ${tally.attendees}；同意 ${tally.yes}，反对 ${tally.no}，弃权 ${tally.abstain}`,
		...tally.thresholds.map((check) => `${indent}${check.label}：${check.display}`)
	];
}

function pooledLines(pooled: PooledAdvisoryTally): string[] {
	return [`  ${pooled.label}`, ...choiceFigureRows(pooled, '    ')];
}

function motionLines(motion: MotionResult): string[] {
	const lines = [`事项 ${motion.motionId}：${motion.title}`];
	for (const compound of motion.compounds) {
		lines.push(...(compound.kind === 'owners' ? ownersCompoundLines(compound) : meetingLines(compound)));
	}
	if (motion.pooled) lines.push(...pooledLines(motion.pooled));
	const nameOf = (id: string) => motion.compounds.find((c) => c.compoundId === id)?.compoundName ?? id;
	const failing =
		motion.joint.failingCompoundIds.length > 0 ? `（未通过：${motion.joint.failingCompoundIds.map(nameOf).join('、')}）` : '';
	lines.push(`  联合结果：${motion.joint.outcomeLabel}${failing} — ${motion.joint.label}`);
	return lines;
}

export function formatResultReport(result: TallyResult): string {
	const lines = [`表决规则：${result.ruleLabel}`, `依据：${result.legalBasis}`];
	if (result.bothChannelsRuleLabel) lines.push(`双渠道规则：${result.bothChannelsRuleLabel}`);
	if (!result.legallyBinding) lines.push('本次为咨询性投票，不具法律效力');
	for (const motion of result.motions) lines.push('', ...motionLines(motion));
	return lines.join('\n');
}
