/**
 * What people wrote (titles, names of compounds, concerns, comments) is shown as written, never translated.
 * On an English page, Chinese text written by residents is marked `lang="zh-CN"` so a screen reader reads
 * it with a Chinese voice (WCAG 2.2, 3.1.2 Language of Parts), and text with no Chinese is left unmarked:
 *   <span lang={contentLang(concern.title)}>{concern.title}</span>
 * tests/e2e/english.test.ts reads every visible text outside such marks and fails on Chinese there.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

export function contentLang(text: string | null | undefined): 'zh-CN' | undefined {
	return text && CJK.test(text) ? 'zh-CN' : undefined;
}
