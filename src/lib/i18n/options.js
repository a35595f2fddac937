/**
 * Paraglide JS 2 compiles the messages in ./messages into src/lib/paraglide (generated, not committed).
 * The Vite build and `npm run i18n` (run by `npm install`, tests and the CLI entry points) use these same
 * options, so every way of running Yishi sees the same message functions.
 *
 * The language is read from a cookie the server renders with; 简体中文 is the base language, so a
 * missing cookie, an unknown value or code running outside a request (scheduler, CLI) gets Chinese.
 */
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './src/lib/i18n/project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['cookie', 'baseLocale'],
	cookieName: 'yishi_lang',
	emitPrettierIgnore: true,
	emitGitIgnore: true
};
