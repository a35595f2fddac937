/**
 * The WeChat floor in a modern Chromium (issue #14): an init script deletes every API the floor —
 * Android WeChat's XWEB (Chrome 89) and iOS 15's WKWebView — does not have, before any page script
 * runs, and records the page's WebSockets so a test can cut them. Chromium's version in brackets.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { phone } from './browser.ts';

export const OLD_BROWSER_SCRIPT = `(() => {
	const drop = (target, names) => {
		if (!target) return;
		for (const name of names) if (name in target) delete target[name];
	};
	// Chrome 98 / iOS 15.4; Safari has no requestIdleCallback at all.
	drop(window, ['structuredClone', 'requestIdleCallback', 'cancelIdleCallback']);
	// at (92), findLast/findLastIndex (97), change-by-copy (110), group (never shipped).
	const arrayish = ['at', 'findLast', 'findLastIndex', 'toSorted', 'toReversed', 'toSpliced', 'with', 'group', 'groupToMap'];
	drop(Array.prototype, arrayish);
	drop(Object.getPrototypeOf(Int8Array.prototype), arrayish);
	drop(Array, ['fromAsync']); // 121
	drop(String.prototype, ['at', 'isWellFormed', 'toWellFormed']); // 92, 111
	drop(Object, ['hasOwn', 'groupBy']); // 93, 117
	drop(Map, ['groupBy']); // 117
	drop(Promise, ['withResolvers']); // 119
	// 122
	drop(Set.prototype, ['union', 'intersection', 'difference', 'symmetricDifference', 'isSubsetOf', 'isSupersetOf', 'isDisjointFrom']);
	drop(URL, ['canParse', 'parse']); // 120, 126
	drop(AbortSignal, ['timeout', 'any']); // 103, 116
	drop(AbortSignal.prototype, ['throwIfAborted']); // 100
	drop(Crypto.prototype, ['randomUUID']); // 92, iOS 15.4
	drop(Response, ['json']); // 105
	drop(Element.prototype, ['checkVisibility']); // 105
	drop(HTMLElement.prototype, ['showPopover', 'hidePopover', 'togglePopover']); // 114
	drop(Document.prototype, ['startViewTransition']); // 111
	const Native = window.WebSocket;
	const sockets = [];
	window.__yishiSockets = sockets;
	window.WebSocket = class extends Native {
		constructor(url, protocols) {
			super(url, protocols);
			sockets.push(this);
		}
	};
})();`;

/** A 360 px phone whose pages lack the APIs newer than the floor and record every page error. */
export async function oldPhone(browser: Browser, errors: string[], options: { elder?: boolean } = {}): Promise<BrowserContext> {
	const context = await phone(browser, options);
	await context.addInitScript(OLD_BROWSER_SCRIPT);
	context.on('page', (page) => watch(page, errors));
	return context;
}

/** Page errors (uncaught exceptions) and console errors that name a missing function. */
export function watch(page: Page, errors: string[]): void {
	page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error' && /is not a function|is not defined|undefined is not/.test(message.text()))
			errors.push(`${page.url()}: ${message.text()}`);
	});
	page.on('dialog', (dialog) => {
		errors.push(`${page.url()}: a pop-up (${dialog.type()}): ${dialog.message()}`);
		void dialog.dismiss();
	});
}
