import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { m } from '../../paraglide/messages.js';

/**
 * Whether a new password is too easy to guess, judged by zxcvbn (its common-password list and
 * keyboard patterns) with score ≥ 3 required: 3 means "safely unguessable" at about 10^8
 * guesses, which our login throttle (5 free tries, then growing delays, per account and address)
 * puts far out of reach; 4 would refuse many sentences residents remember easily.
 *
 * Server-only and loaded on first use: the dictionaries are about 400 kB and never reach a browser.
 * Existing accounts are not checked again; only new passwords are.
 */
export const MIN_SCORE = 3;

/**
 * Words zxcvbn's lists lack but Chinese residents use in passwords: pinyin of common surnames and
 * phrases, 520/1314 love numbers, and this product's own names. Matched like any dictionary word.
 */
const CHINESE_COMMON = [
	'woaini',
	'aini',
	'woaini1314',
	'5201314',
	'1314520',
	'520520',
	'1314',
	'iloveyou',
	'qq123456',
	'a123456',
	'abc123456',
	'zhongguo',
	'beijing',
	'shanghai',
	'changning',
	'hongqiao',
	'aijian',
	'xianxia',
	'yishi',
	'yezhu',
	'yeweihui',
	'juwei',
	'wang',
	'li',
	'zhang',
	'liu',
	'chen',
	'yang',
	'huang',
	'zhao',
	'wu',
	'zhou',
	'xu',
	'sun',
	'ma',
	'zhu',
	'hu',
	'guo',
	'he',
	'lin',
	'gao',
	'luo',
	'zheng',
	'liang',
	'xie',
	'song',
	'tang',
	'han',
	'feng',
	'deng',
	'cao',
	'peng',
	'zeng',
	'xiao',
	'tian',
	'dong',
	'pan',
	'yuan',
	'cai',
	'jiang',
	'yu',
	'du',
	'ye',
	'cheng',
	'wei',
	'su',
	'lu',
	'ding',
	'ren',
	'shen',
	'yao',
	'qian',
	'laowang',
	'laoli',
	'laozhang',
	'zhangsan',
	'lisi',
	'wangwu',
	'ayi',
	'shushu',
	'baobao',
	'laogong',
	'laopo',
	'mama',
	'baba',
	'xiaoming',
	'xiaohong',
	'nihao',
	'mima',
	'woshishui',
	'asdfgh',
	'qwerty',
	'fuck',
	'kaixin',
	'xingfu',
	'pingan',
	'jiankang',
	'fugui',
	'facai',
	'ruyi',
	'jixiang',
	'hao',
	'haoren'
];

let checker: Promise<ZxcvbnFactory> | undefined;

function loadChecker(): Promise<ZxcvbnFactory> {
	checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
		([{ ZxcvbnFactory }, common]) =>
			new ZxcvbnFactory({
				dictionary: { ...common.dictionary, 'chinese-common': CHINESE_COMMON },
				// Without near-miss (Levenshtein) matching: it costs 50–250 ms of the event loop per check.
				graphs: common.adjacencyGraphs
			})
	);
	return checker;
}

/** In Chinese, as outside a request; weakPasswordProblem answers in the reader's language. */
export const WEAK_PASSWORD_MESSAGE = m.auth_weak_password({}, { locale: 'zh-CN' });

/**
 * A Chinese message when the password is refused, or null. `userInputs` are what a guesser knows
 * about this person (login, phone, name): a password built from them counts as weak.
 */
export async function weakPasswordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
	if (password.length < 8) return m.auth_password_too_short();
	if (password.length > 128) return m.auth_password_too_long();
	const zxcvbn = await loadChecker();
	// Phone numbers are also checked without the leading 1 and in their last 4/6/8 digits, as people use them.
	const inputs = userInputs.flatMap((input) =>
		/^1\d{10}$/.test(input) ? [input, input.slice(3), input.slice(-8), input.slice(-6), input.slice(-4)] : [input]
	);
	const result = zxcvbn.check(
		password,
		inputs.filter((i) => i.length > 0)
	);
	return result.score >= MIN_SCORE ? null : m.auth_weak_password();
}
