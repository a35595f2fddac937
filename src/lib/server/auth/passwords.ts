import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A Chinese message for a password that is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
	if (password.length < 8) return '密码至少 8 位';
	if (password.length > 128) return '密码太长（最多 128 位）';
	if (/^\d+$/.test(password) && new Set(password).size <= 2) return '密码太简单，请换一个';
	return null;
}
