#!/bin/sh
# Installs exactly the dependency tree of package-lock.json (used by .ci/run and the Dockerfile).
#
# `npm ci` comes first. It refuses a lock file that lacks entries for other platforms' optional
# packages (e.g. @swc/core-darwin-arm64), which is what a registry mirror without those packages
# produces; then `npm install` installs from the same lock and must leave it unchanged, which is
# the guarantee `npm ci` gives (a lock that does not match package.json fails here too).
set -eu
log="${TMPDIR:-/tmp}/npm-ci.$$.log"
if npm ci --no-audit --no-fund >"$log" 2>&1; then
  cat "$log"
  rm -f "$log"
  exit 0
fi
echo "npm ci refused to install ($(grep -m1 -E 'npm error (code|Missing)' "$log" || echo 'see below')); installing from the same lock with npm install." >&2
rm -f "$log"
before="${TMPDIR:-/tmp}/package-lock.$$.json"
cp package-lock.json "$before"
npm install --no-audit --no-fund
if ! cmp -s package-lock.json "$before"; then
  rm -f "$before"
  echo "package-lock.json does not match package.json: run \`npm install\` and commit the lock file." >&2
  exit 1
fi
rm -f "$before"
