/**
 * A page's `<title>` or an `aria-label` that names something residents wrote (an agenda item, a meeting, a
 * set of proposals, a poll's question). Such a name cannot carry `lang`, so on an English page a Chinese text
 * is left out of it and the English words stand alone; in Chinese, and for a text with no Chinese, it is kept:
 *   <title>{labelWith(item.title, m.item_head({ title: item.title }), m.item_head_plain())}</title>
 */
import { getLocale } from '../paraglide/runtime.js';
import { contentLang } from './content.ts';

export function labelWith(text: string, named: string, plain: string): string {
	return getLocale() === 'en' && contentLang(text) ? plain : named;
}
