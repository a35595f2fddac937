/**
 * The canonical text of an alternative: the exact words residents vote on, as one deterministic
 * string. Its SHA-256 is stored at freeze and printed on the notice, so anyone can recompute it
 * from the published text. Change this function only together with CANONICAL_FORM: old hashes
 * were computed with the old form and must stay checkable.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

export const CANONICAL_FORM = 'yishi-draft-text/1';

/** The structured header of an alternative (the Y.Map 'header' of its document). */
export interface DraftHeader {
	title: string;
	/** 预计费用: free text as residents write it ("约 12 万元"), not a number the system decides with. */
	estimatedCost: string;
	/** 费用由谁承担 */
	whoPays: string;
	/** 各小区得到什么, keyed by compound id. */
	gains: Record<string, string>;
	/** 各小区让出什么, keyed by compound id. */
	givesUp: Record<string, string>;
}

export interface ProseMirrorJSON {
	type: string;
	text?: string;
	attrs?: Record<string, unknown>;
	marks?: { type: string; attrs?: Record<string, unknown> }[];
	content?: ProseMirrorJSON[];
}

/** NFC, LF line ends, no trailing spaces, no trailing blank lines: invisible differences do not change the hash. */
export function normalizeText(text: string): string {
	return text
		.normalize('NFC')
		.replace(/\r\n?/g, '\n')
		.replace(/\u00a0/g, ' ')
		.split('\n')
		.map((line) => line.replace(/[ \t]+$/u, ''))
		.join('\n')
		.replace(/\n+$/u, '');
}

function inlineText(node: ProseMirrorJSON): string {
	if (node.type === 'text') return node.text ?? '';
	if (node.type === 'hardBreak') return '\n';
	return (node.content ?? []).map(inlineText).join('');
}

const CONTAINERS = new Set(['doc', 'blockquote', 'table', 'tableRow', 'tableHeader', 'tableCell']);

/**
 * One string per block, in reading order. List items carry their marker and nesting so "1." and
 * "•" are part of the text that is voted on; a table row is one block, cells separated by " | ".
 */
export function blocksFromProseMirror(doc: ProseMirrorJSON): string[] {
	const blocks: string[] = [];
	const walk = (node: ProseMirrorJSON, indent: string, marker: string | null): void => {
		switch (node.type) {
			case 'bulletList':
			case 'orderedList': {
				const start = node.type === 'orderedList' ? Number(node.attrs?.start ?? 1) || 1 : 1;
				(node.content ?? []).forEach((item, i) => {
					const itemMarker = node.type === 'orderedList' ? `${start + i}. ` : '• ';
					walk(item, indent, itemMarker);
				});
				return;
			}
			case 'listItem': {
				let first = true;
				for (const child of node.content ?? []) {
					if (child.type === 'bulletList' || child.type === 'orderedList') walk(child, indent + '  ', marker);
					else {
						walk(child, indent, first ? marker : null);
						first = false;
					}
				}
				return;
			}
			case 'tableRow': {
				const cells = (node.content ?? []).map((cell) => blocksFromProseMirror({ type: 'doc', content: cell.content }).join(' / '));
				blocks.push(indent + cells.join(' | '));
				return;
			}
			case 'horizontalRule':
				blocks.push(indent + '———');
				return;
			default:
				if (CONTAINERS.has(node.type) || node.type === 'doc') {
					for (const child of node.content ?? []) walk(child, node.type === 'blockquote' ? indent + '> ' : indent, null);
					return;
				}
				{
					const prefix = node.type === 'heading' ? '#'.repeat(Number(node.attrs?.level ?? 1) || 1) + ' ' : '';
					const hang = marker ?? '';
					const lines = inlineText(node).split('\n');
					blocks.push(indent + hang + prefix + lines.join('\n' + indent + ' '.repeat(hang.length)));
				}
		}
	};
	walk(doc, '', null);
	return blocks.map(normalizeText);
}

export interface CanonicalInput {
	label: string;
	header: DraftHeader;
	/** Participating compounds in the set's order; their names label the gains and give-ups. */
	compounds: { id: string; name: string }[];
	blocks: string[];
}

/** The header lines, in a fixed order, as residents read them on the notice. */
export function headerLines(input: Omit<CanonicalInput, 'blocks'>): string[] {
	const { header, compounds } = input;
	const lines = [
		`方案${input.label}：${header.title}`,
		`预计费用：${header.estimatedCost}`,
		`费用承担：${header.whoPays}`,
		'各小区得到：'
	];
	for (const c of compounds) lines.push(`  ${c.name}：${header.gains[c.id] ?? ''}`);
	lines.push('各小区让出：');
	for (const c of compounds) lines.push(`  ${c.name}：${header.givesUp[c.id] ?? ''}`);
	return lines;
}

export function canonicalText(input: CanonicalInput): string {
	return normalizeText([...headerLines(input), '正文：', ...input.blocks].join('\n'));
}

export function sha256Hex(text: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}
