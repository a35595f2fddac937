// The smallest SvelteKit app: one server-rendered page, built with Yishi's own versions of
// SvelteKit, Svelte, Vite and adapter-node. The pages bench's baseline for "a SvelteKit page".
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default { kit: { adapter: adapter({ out: 'build' }) } };
