#!/bin/sh
# Installs exactly the dependency tree of package-lock.json (used by .ci/run and the Dockerfile),
# then checks that the lock is complete: `npm install` must leave it byte for byte unchanged.
# A lock that lacks entries (e.g. other platforms' optional packages) or disagrees with
# package.json fails here, with the command that fixes it.
set -eu
npm ci --no-audit --no-fund
if [ "${SKIP_LOCK_CHECK:-}" = "1" ]; then
  exit 0
fi
before="${TMPDIR:-/tmp}/package-lock.$$.json"
cp package-lock.json "$before"
npm install --no-audit --no-fund --ignore-scripts >/dev/null
if ! cmp -s package-lock.json "$before"; then
  diff -u "$before" package-lock.json | head -40 >&2 || true
  cp "$before" package-lock.json
  rm -f "$before"
  echo "package-lock.json is incomplete or does not match package.json: run \`npm install\` and commit the lock file." >&2
  exit 1
fi
rm -f "$before"
