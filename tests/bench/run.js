#!/usr/bin/env node
// `npm run bench [-- name…]`: runs tests/bench/run.ts under tsx (the benches import the app's
// TypeScript sources directly). Same as `npx tsx tests/bench/run.ts [name…]`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'run.ts'), ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: join(here, '../..')
});
process.exit(result.status ?? 1);
