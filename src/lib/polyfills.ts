/**
 * APIs newer than the browser floor (Chrome 89 = Android WeChat's XWEB, Safari 15 = iOS 15 WeChat)
 * that Yishi's client code or its libraries call. Each core-js module installs its function only
 * where the browser lacks it. Imported first by src/hooks.client.ts, so before any page code runs.
 * tests/e2e/reach-old-browser.test.ts deletes these from the page and walks the main flows.
 */
import 'core-js/modules/web.structured-clone.js'; // Chrome 98, Safari 15.4: the drafting editor
import 'core-js/modules/es.array.at.js'; // Chrome 92, Safari 15.4
import 'core-js/modules/es.string.at-alternative.js'; // Chrome 92, Safari 15.4
import 'core-js/modules/es.array.find-last.js'; // Chrome 97, Safari 15.4
import 'core-js/modules/es.array.find-last-index.js'; // Chrome 97, Safari 15.4
import 'core-js/modules/es.object.has-own.js'; // Chrome 93, Safari 15.4
import 'core-js/modules/es.array.to-sorted.js'; // Chrome 110, Safari 16
import 'core-js/modules/es.array.to-reversed.js'; // Chrome 110, Safari 16
import 'core-js/modules/es.array.with.js'; // Chrome 110, Safari 16

// Chrome 100, Safari 15.4: the roster check in the browser stops through an AbortSignal. core-js has
// no module for it; the standard behaviour is this one line.
if (typeof AbortSignal !== 'undefined' && !('throwIfAborted' in AbortSignal.prototype)) {
	Object.defineProperty(AbortSignal.prototype, 'throwIfAborted', {
		configurable: true,
		writable: true,
		value(this: AbortSignal) {
			if (this.aborted) throw (this as AbortSignal & { reason?: unknown }).reason ?? new DOMException('signal is aborted without reason', 'AbortError');
		}
	});
}
