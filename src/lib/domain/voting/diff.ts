/**
 * Structural comparison of a stated result with a recomputed one. Every leaf that differs, and
 * every key present on one side only, is a disagreement: a recount must match figure for figure,
 * labels included, because the labels are what the notice board shows.
 */

export interface Disagreement {
	/** e.g. "motions[0](A).compounds[1](hongqiao).yes.areaHundredths". */
	path: string;
	stated: unknown;
	recomputed: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "(A)" for an element that names itself by motionId, compoundId or id, so paths read like the report. */
function elementName(element: unknown): string {
	if (!isPlainObject(element)) return '';
	const name = element.motionId ?? element.compoundId ?? element.id;
	return typeof name === 'string' ? `(${name})` : '';
}

export function diffValues(stated: unknown, recomputed: unknown, path = ''): Disagreement[] {
	if (Array.isArray(stated) && Array.isArray(recomputed)) {
		const found: Disagreement[] = [];
		if (stated.length !== recomputed.length) {
			found.push({ path: `${path}.length`, stated: stated.length, recomputed: recomputed.length });
		}
		const shared = Math.min(stated.length, recomputed.length);
		for (let i = 0; i < shared; i++) {
			found.push(...diffValues(stated[i], recomputed[i], `${path}[${i}]${elementName(recomputed[i])}`));
		}
		return found;
	}
	if (isPlainObject(stated) && isPlainObject(recomputed)) {
		const found: Disagreement[] = [];
		const keys = new Set([...Object.keys(recomputed), ...Object.keys(stated)]);
		for (const key of keys) {
			found.push(...diffValues(stated[key], recomputed[key], path === '' ? key : `${path}.${key}`));
		}
		return found;
	}
	if (stated === recomputed) return [];
	return [{ path: path === '' ? '(root)' : path, stated, recomputed }];
}
