import { contentLang } from '$lib/i18n/content';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * A compound page's <title>: with the compound's name, except on an English page where the name is Chinese
 * (a title cannot mark part of itself lang="zh-CN", so it leaves the name out).
 */
export function compoundTitle(name: string, named: (inputs: { name: string }) => string, plain: () => string): string {
	return getLocale() === 'en' && contentLang(name) ? plain() : named({ name });
}
