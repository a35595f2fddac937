import { describe, expect, it } from 'vitest';
import { WEAK_PASSWORD_MESSAGE, weakPasswordProblem } from '../../../src/lib/server/auth/password-strength.ts';

describe('new passwords', () => {
	it.each([
		'12345678',
		'123456789',
		'11111111',
		'password',
		'password1',
		'qwertyuiop',
		'1qaz2wsx',
		'woaini1314',
		'5201314520',
		'zhangsan1985',
		'19850312',
		'yishi2026',
		'aijian123456'
	])('refuses the easily guessed %s with a plain Chinese explanation', async (password) => {
		expect(await weakPasswordProblem(password)).toBe(WEAK_PASSWORD_MESSAGE);
	});

	it('explains the refusal in words a resident understands', () => {
		expect(WEAK_PASSWORD_MESSAGE).toContain('太容易被猜到');
		expect(WEAK_PASSWORD_MESSAGE).toContain('连续数字');
		expect(WEAK_PASSWORD_MESSAGE).toContain('几个词组成的一句话');
	});

	it('refuses a password made of the person’s own phone number or login', async () => {
		expect(await weakPasswordProblem('13912345678', ['13912345678'])).toBe(WEAK_PASSWORD_MESSAGE);
		expect(await weakPasswordProblem('12345678ab', ['13912345678'])).toBe(WEAK_PASSWORD_MESSAGE);
		expect(await weakPasswordProblem('qianayi2026', ['qianayi'])).toBe(WEAK_PASSWORD_MESSAGE);
	});

	it.each(['qian-ayi-2026', 'xiaoqu-houmen-2026kai', 'men kou kai le ma', 'Hongqiao-side-gate-2026', 'correct horse battery staple'])(
		'accepts the memorable but strong %s',
		async (password) => {
			expect(await weakPasswordProblem(password, ['13912345678', '钱阿姨'])).toBeNull();
		}
	);

	it('keeps the length limits with their own messages', async () => {
		expect(await weakPasswordProblem('a1b2c3')).toBe('密码至少 8 位');
		expect(await weakPasswordProblem('x'.repeat(129))).toBe('密码太长（最多 128 位）');
	});

	it('the example in the message passes its own rule', async () => {
		expect(await weakPasswordProblem('xiaoqu-houmen-2026kai')).toBeNull();
	});
});
