/**
 * A readable diff between two versions of a drafted text: blocks are matched first (a moved
 * paragraph stays a paragraph), then changed blocks are compared token by token. Chinese has no
 * spaces, so each Han character is its own token; Latin words and numbers stay whole, so
 * "120000" → "150000" reads as one replaced number, not as scattered digits.
 */
import { MAX_DIFF_CELLS } from './limits.ts';
import { escapeHtml } from './sanitize.ts';

export type DiffOp = { kind: 'equal' | 'insert' | 'delete'; text: string };
export type BlockDiff =
	| { kind: 'equal'; text: string }
	| { kind: 'insert'; text: string }
	| { kind: 'delete'; text: string }
	| { kind: 'change'; ops: DiffOp[] };

const TOKEN = /[\p{L}\p{N}_]+|\s+|./gsu;
const HAN = /\p{Script=Han}/u;

export function tokenize(text: string): string[] {
	const tokens: string[] = [];
	for (const m of text.matchAll(TOKEN)) {
		const t = m[0];
		// A run of letters may mix Han and Latin ("A方案"): split Han out character by character.
		if (HAN.test(t)) {
			let latin = '';
			for (const ch of t) {
				if (!HAN.test(ch)) {
					latin += ch;
					continue;
				}
				if (latin) tokens.push(latin);
				latin = '';
				tokens.push(ch);
			}
			if (latin) tokens.push(latin);
		} else tokens.push(t);
	}
	return tokens;
}

/** Longest-common-subsequence edit script over any sequence, equal runs merged. */
function lcsScript<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): { kind: DiffOp['kind']; a?: T; b?: T }[] {
	let start = 0;
	while (start < a.length && start < b.length && eq(a[start], b[start])) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && eq(a[endA - 1], b[endB - 1])) {
		endA--;
		endB--;
	}
	const head = a.slice(0, start).map((x) => ({ kind: 'equal' as const, a: x, b: x }));
	const tail = a.slice(endA).map((x) => ({ kind: 'equal' as const, a: x, b: x }));
	const midA = a.slice(start, endA);
	const midB = b.slice(start, endB);
	const n = midA.length;
	const m = midB.length;
	let middle: { kind: DiffOp['kind']; a?: T; b?: T }[];
	if (n * m > MAX_DIFF_CELLS) {
		// Too large to align: show it as replaced rather than spend seconds of CPU.
		middle = [...midA.map((x) => ({ kind: 'delete' as const, a: x })), ...midB.map((y) => ({ kind: 'insert' as const, b: y }))];
	} else {
		const table = new Uint32Array((n + 1) * (m + 1));
		const at = (i: number, j: number) => i * (m + 1) + j;
		for (let i = n - 1; i >= 0; i--)
			for (let j = m - 1; j >= 0; j--)
				table[at(i, j)] = eq(midA[i], midB[j]) ? table[at(i + 1, j + 1)] + 1 : Math.max(table[at(i + 1, j)], table[at(i, j + 1)]);
		middle = [];
		let i = 0;
		let j = 0;
		while (i < n && j < m) {
			if (eq(midA[i], midB[j])) middle.push({ kind: 'equal', a: midA[i++], b: midB[j++] });
			else if (table[at(i + 1, j)] >= table[at(i, j + 1)]) middle.push({ kind: 'delete', a: midA[i++] });
			else middle.push({ kind: 'insert', b: midB[j++] });
		}
		while (i < n) middle.push({ kind: 'delete', a: midA[i++] });
		while (j < m) middle.push({ kind: 'insert', b: midB[j++] });
	}
	return [...head, ...middle, ...tail];
}

export function diffText(before: string, after: string): DiffOp[] {
	const script = lcsScript(tokenize(before), tokenize(after), (x, y) => x === y);
	const ops: DiffOp[] = [];
	for (const step of script) {
		const text = (step.kind === 'insert' ? step.b : step.a) as string;
		const last = ops[ops.length - 1];
		if (last && last.kind === step.kind) last.text += text;
		else ops.push({ kind: step.kind, text });
	}
	return ops;
}

/**
 * Block-level alignment, then token diffs inside blocks that were edited: within a run of removed
 * and added blocks between two unchanged ones, the i-th removed pairs with the i-th added.
 */
export function diffBlocks(before: readonly string[], after: readonly string[]): BlockDiff[] {
	const script = lcsScript(before, after, (x, y) => x === y);
	const out: BlockDiff[] = [];
	let deleted: string[] = [];
	let inserted: string[] = [];
	const flush = () => {
		const pairs = Math.min(deleted.length, inserted.length);
		for (let k = 0; k < pairs; k++) out.push({ kind: 'change', ops: diffText(deleted[k], inserted[k]) });
		for (const text of deleted.slice(pairs)) out.push({ kind: 'delete', text });
		for (const text of inserted.slice(pairs)) out.push({ kind: 'insert', text });
		deleted = [];
		inserted = [];
	};
	for (const step of script) {
		if (step.kind === 'equal') {
			flush();
			out.push({ kind: 'equal', text: step.a as string });
		} else if (step.kind === 'delete') deleted.push(step.a as string);
		else inserted.push(step.b as string);
	}
	flush();
	return out;
}

export function diffStats(blocks: readonly BlockDiff[]): { insertedChars: number; deletedChars: number; changedBlocks: number } {
	let insertedChars = 0;
	let deletedChars = 0;
	let changedBlocks = 0;
	for (const b of blocks) {
		if (b.kind === 'equal') continue;
		changedBlocks++;
		if (b.kind === 'insert') insertedChars += [...b.text].length;
		else if (b.kind === 'delete') deletedChars += [...b.text].length;
		else
			for (const op of b.ops) {
				if (op.kind === 'insert') insertedChars += [...op.text].length;
				if (op.kind === 'delete') deletedChars += [...op.text].length;
			}
	}
	return { insertedChars, deletedChars, changedBlocks };
}

const lines = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');

/** HTML with <ins>/<del>; all text escaped, so the output is safe to insert as is. */
export function renderDiffHtml(blocks: readonly BlockDiff[]): string {
	return blocks
		.map((b) => {
			switch (b.kind) {
				case 'equal':
					return `<p>${lines(b.text)}</p>`;
				case 'insert':
					return `<p class="diff-added"><ins>${lines(b.text)}</ins></p>`;
				case 'delete':
					return `<p class="diff-removed"><del>${lines(b.text)}</del></p>`;
				case 'change':
					return `<p class="diff-changed">${b.ops
						.map((op) =>
							op.kind === 'equal'
								? lines(op.text)
								: op.kind === 'insert'
									? `<ins>${lines(op.text)}</ins>`
									: `<del>${lines(op.text)}</del>`
						)
						.join('')}</p>`;
			}
		})
		.join('\n');
}
