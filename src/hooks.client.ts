// The polyfills come first: page code and libraries may call these APIs as soon as they load.
import '$lib/polyfills';
