#!/bin/sh
# One-shot job of docker-compose.yml (also usable by hand against any cluster): registers the
# case workflow's search attributes, names and types as in src/workflows/search-attributes.ts
# (a test keeps the two in step), and sets the namespace retention. Idempotent: attributes that
# exist are left alone. Needs the `temporal` CLI and TEMPORAL_ADDRESS.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS (host:port of the Temporal frontend)}"

tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  [ "$tries" -le 90 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not serving" >&2; exit 1; }
  echo "waiting for Temporal at $TEMPORAL_ADDRESS"
  sleep 2
done
tries=0
until temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -le 90 ] || { echo "namespace $ns does not exist" >&2; exit 1; }
  echo "waiting for namespace $ns"
  sleep 2
done

existing="$(temporal operator search-attribute list --namespace "$ns")"
register() {
  if printf '%s\n' "$existing" | grep -qw -- "$1"; then
    echo "search attribute $1 already registered"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$1" --type "$2"
    echo "search attribute $1 ($2) registered"
  fi
}
register PisStatus Keyword
register PisStep Keyword
register PisComune Keyword
register PisRiskLevel Keyword
register PisCategories KeywordList
register PisOverdueSince Datetime
register PisOpenTaskRoles KeywordList
register PisProtocolRevision Keyword

if [ -n "${PIS_NAMESPACE_RETENTION:-}" ]; then
  temporal operator namespace update --namespace "$ns" --retention "$PIS_NAMESPACE_RETENTION"
  echo "namespace $ns retention set to $PIS_NAMESPACE_RETENTION"
fi
