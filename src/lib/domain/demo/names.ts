import type { Random } from './random.ts';

/**
 * Invented people. Common surnames (with the Shanghai ones well represented) combined at random
 * with common given names: plausible on a roster, but nobody in particular. The named demo
 * accounts use the Chinese placeholder names 张三, 李四, 王五 … so nobody mistakes them for real.
 */
const SURNAMES = [
	'王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高',
	'郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '蒋', '蔡', '余',
	'杜', '叶', '程', '魏', '苏', '吕', '丁', '沈', '姚', '卢', '姜', '钟', '陆', '汪', '范', '金', '顾', '邵', '钱', '施',
	'俞', '严', '奚', '倪', '龚', '费', '卫', '毛', '戴', '翁'
] as const;

const GIVEN_NAMES = [
	'建国', '建华', '国强', '国平', '志明', '志刚', '伟民', '卫东', '晓东', '晓明', '海涛', '永康', '德明', '春生', '根宝',
	'金龙', '荣发', '家豪', '俊杰', '文杰', '子轩', '浩然', '宇航', '嘉诚', '秀英', '桂芳', '玉兰', '美玲', '丽娟', '海燕',
	'慧敏', '雅琴', '佩琴', '凤英', '素珍', '月华', '静怡', '佳怡', '子涵', '梓萱', '欣怡', '雨桐', '敏', '勇', '军', '强',
	'伟', '芳', '磊', '静', '洁', '燕', '萍', '琳', '杰', '涛', '辉', '华', '平', '红'
] as const;

export function inventName(random: Random): string {
	return random.pick(SURNAMES) + random.pick(GIVEN_NAMES);
}

/** 证件后四位: digits, now and then ending in X as Chinese ID numbers may. */
export function inventIdHint(random: Random): string {
	const digits = String(random.int(0, 999)).padStart(3, '0');
	return digits + (random.chance(0.05) ? 'X' : String(random.int(0, 9)));
}

/** 139 0000 xxxx: obviously made up, never a working number in the demo. */
export function inventPhone(random: Random): string {
	return `1390000${String(random.int(0, 9999)).padStart(4, '0')}`;
}
