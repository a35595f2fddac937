/** 议题类别: what a resident picks when raising a concern. */
export const CONCERN_CATEGORIES = ['facilities', 'traffic', 'environment', 'safety', 'property', 'neighbours', 'other'] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<ConcernCategory, string> = {
	facilities: '公共设施',
	traffic: '交通出行',
	environment: '环境卫生',
	safety: '安全',
	property: '物业管理',
	neighbours: '邻里关系',
	other: '其他'
};
