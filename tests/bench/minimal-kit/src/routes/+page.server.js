/** A server load, like Yishi's pages have, so the baseline does the same per-request work shape. */
export const load = () => ({ now: Date.now() });
