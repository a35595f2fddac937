/**
 * A seeded PRNG (FNV-1a hash of the seed string → mulberry32). Only 32-bit integer operations, so
 * the same seed gives the same demo on every machine and in every browser. Never the unseeded global generator.
 */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform integer in [min, max], both included. */
	int(min: number, max: number): number;
	chance(probability: number): boolean;
	pick<T>(items: readonly T[]): T;
	/** `count` distinct items, in random order. */
	sample<T>(items: readonly T[], count: number): T[];
}

export function hashSeed(seed: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < seed.length; i++) {
		hash ^= seed.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

export function createRandom(seed: string): Random {
	let state = hashSeed(seed);
	const next = (): number => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		chance: (probability) => next() < probability,
		pick: (items) => items[int(0, items.length - 1)],
		sample: (items, count) => {
			const copy = [...items];
			for (let i = copy.length - 1; i > 0; i--) {
				const j = int(0, i);
				[copy[i], copy[j]] = [copy[j], copy[i]];
			}
			return copy.slice(0, count);
		}
	};
}
