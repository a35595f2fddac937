/**
 * The language of a request (issue #14, part 5). Paraglide's message functions read the locale from an
 * AsyncLocalStorage on the server; each request runs inside `withLocale`, so pages, form messages and
 * service errors come out in the reader's language. Code outside a request (scheduler, CLI, recount)
 * gets 简体中文, the base language.
 *
 * Paraglide's own `paraglideMiddleware` clones the request to rewrite its URL; Yishi has no localised
 * URLs and reads bodies of up to 48 MB, so it sets the storage here and never copies a body.
 *
 * What is stored or signed (outcome records, audit entries, receipts) is written in Chinese whatever the
 * reader's language: pass `{ locale: 'zh-CN' }` to a message used there, or keep the Chinese text.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { baseLocale, cookieName, isLocale, overwriteServerAsyncLocalStorage, type Locale } from '../paraglide/runtime.js';

type Store = { locale?: Locale; origin?: string; messageCalls?: Set<string> };

const storage = new AsyncLocalStorage<Store>();
overwriteServerAsyncLocalStorage(storage);

export const LANGUAGE_COOKIE = cookieName;

/** The language a cookie value names, or 简体中文 for a missing or unknown one. */
export function localeOf(cookie: string | undefined): Locale {
	return cookie !== undefined && isLocale(cookie) ? cookie : baseLocale;
}

/** Runs `work` with every message in `locale`. */
export function withLocale<T>(locale: Locale, work: () => T): T {
	return storage.run({ locale, messageCalls: new Set() }, work);
}
