import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The server tells the browser which route a path is (one small request the first time a path is
		// visited) instead of every page shipping the whole route manifest: 3.6 KB gzip off every page's JS
		// (issue #14's 50 KB budget on the ballot page), and the list of routes is not published.
		router: { resolution: 'server' },
		// Scripts only from this site (SvelteKit adds hashes for its own inline bootstrap); images
		// also as data: URLs (the QR codes on letters and notices); no framing by other sites.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
