#!/usr/bin/env bash
# Fetches the real PostHog plugins the tests run (shared reference real-plugins.md, section 8) and
# extracts each to DEST/<name>/ (the tarball's package/ folder), e.g. DEST/geoip-plugin/index.ts.
#   scripts/lib/fetch-plugin-corpus.sh DEST
# Plugin code never enters the repo: the tarballs come from the npm registry by exact version,
# without running any of their scripts, into a cache outside the repo, and each is checked against
# its pinned integrity hash before it is unpacked. Idempotent: a cached tarball is not fetched again.
set -euo pipefail

fail() {
  echo "$*" >&2
  exit 1
}

[[ $# -eq 1 && -n "$1" ]] || fail "Usage: fetch-plugin-corpus.sh DEST (the folder to extract the plugins into)."
DEST="$1"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/posthog-flink/plugin-corpus"
VERSION=0.0.7

# name, then the sha512 integrity npm reports for NAME@0.0.7.
PLUGINS=(
  property-filter-plugin "sha512-+r8FPQJyCMgbDDf/UyrRcczNUX1e9I83v9gN/+Sv/TeMDoPZ4IvrpyruM+bma6RB4/27m8j/P7mC9uchmsDqoQ=="
  property-flattener-plugin "sha512-uR5FOH6HJwUQLQzzEgFQS94LtthUDOwgitrZh1yg5P5zUHW6CitXKfadaS9dxpG5CLBrwZz5Ht3FGFnyEiaThA=="
  taxonomy-plugin "sha512-HyFNxgauXv2p2vUPrL6rskMw657PsBUnPKXJDmlqJ/POrJi5vnRuJLvrV9iHkuxt8Jw54PMv4BoLQEYSdESeyw=="
  geoip-plugin "sha512-iZhDYkYjXIIlkcR6JfnK6rIYM37ZdU78atia7lhQh9WLbmZ3M1t3F0cyT8jhNORmQF4r49rcx9sCT0/pSf3Y9w=="
)

# Only a run that has something to fetch or check needs them.
need_npm() {
  command -v npm >/dev/null && command -v node >/dev/null \
    || fail "npm and node are needed to fetch the plugin corpus: install them (apt-get install npm)."
}

# The integrity string of a file, as npm prints it (node is there wherever npm is).
integrity() {
  node -e 'const c = require("crypto"), f = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

mkdir -p "$CACHE" "$DEST" || fail "Cannot create $CACHE or $DEST."
for ((i = 0; i < ${#PLUGINS[@]}; i += 2)); do
  name="${PLUGINS[i]}"
  expected="${PLUGINS[i + 1]}"
  # The extracted folder is current when the marker beside it names the pinned hash.
  marker="$DEST/.$name.integrity"
  if [[ -f "$DEST/$name/package.json" && "$(cat "$marker" 2>/dev/null)" == "$expected" ]]; then
    continue
  fi
  need_npm
  tarball="$CACHE/posthog-$name-$VERSION.tgz"
  if [[ ! -f "$tarball" || "$(integrity "$tarball")" != "$expected" ]]; then
    rm -f "$tarball"
    (cd "$CACHE" && npm pack "@posthog/$name@$VERSION" --ignore-scripts --silent >/dev/null 2>&1) \
      || fail "npm pack @posthog/$name@$VERSION failed: is the npm registry reachable?"
  fi
  actual="$(integrity "$tarball")"
  if [[ "$actual" != "$expected" ]]; then
    rm -f "$tarball"
    fail "@posthog/$name@$VERSION has integrity $actual, not the pinned $expected: refusing to use it."
  fi
  staging="$(mktemp -d "$DEST/.$name.XXXXXX")"
  tar -xzf "$tarball" -C "$staging" --no-same-owner --no-same-permissions \
    || { rm -rf "$staging"; fail "Cannot extract $tarball."; }
  [[ -d "$staging/package" ]] || { rm -rf "$staging"; fail "$tarball has no package/ folder."; }
  rm -rf "${DEST:?}/$name" "$marker"
  mv -T "$staging/package" "$DEST/$name" \
    || { rm -rf "$staging"; fail "Cannot move the extracted $name to $DEST: is another run extracting it?"; }
  rm -rf "$staging"
  echo "$expected" >"$marker"
done
