import { installPolyfills } from '$lib/polyfills';

// First, before any page code: SvelteKit's client and the editor call APIs newer than the WeChat
// floor (Chrome 89 / iOS 15). This module is evaluated before the route components are imported.
installPolyfills();
