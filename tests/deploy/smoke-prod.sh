#!/usr/bin/env bash
# A production install as the README describes it — the build plus `npm prune --omit=dev`, in a
# copy so this checkout keeps its dev dependencies — started with plain node under each given
# Node binary (default: node). Needs `npm run build`. Usage: tests/deploy/smoke-prod.sh [NODE...]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f build/server.js ] || { echo "build/server.js is missing: run npm run build first" >&2; exit 1; }
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
cp -a package.json package-lock.json build node_modules "$copy"/
(cd "$copy" && npm prune --omit=dev --no-audit --no-fund >/dev/null)
for dev in tsx vite esbuild @sveltejs/kit typescript; do
	if [ -e "$copy/node_modules/$dev" ]; then echo "npm prune left the dev dependency $dev" >&2; exit 1; fi
done
[ "$#" -gt 0 ] || set -- node
for node in "$@"; do
	"$node" tests/deploy/smoke-prod.mjs "$copy"
done
