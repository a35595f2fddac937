// `npm run i18n`: compiles the messages without Vite (for svelte-check, tsx and a fresh clone).
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from './options.js';

await compile(paraglideOptions);
