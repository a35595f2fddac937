/**
 * Node flags every Yishi server process starts with: `npm start`, `npm run start:prod` (package.json),
 * `npm run start:cluster` (cluster.ts) and the benches' app processes (tests/bench/proc.ts).
 * tests/unit/node-flags.test.ts holds package.json to this list.
 *
 * --max-semi-space-size=32: V8's young generation sized for a server (the default grows to 16 MB per semi-space).
 * A request allocates its request, page data and HTML, nearly all short-lived; with the larger space the collector
 * copies survivors less often. Measured on the vote as a browser casts it (tests/bench/REPORT.md, notes of
 * 2026-12-08): server CPU per ballot 5.3–7.0 ms → 4.9–5.5 ms, the cast alone 1.7–1.9 ms → 1.3–1.6 ms. It costs up to
 * ~64 MB more memory per process at peak.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
