#!/usr/bin/env bash
# Runs schemathesis (property-based API testing, from PyPI) against the OpenAPI document and a
# running server on a database of its own: every operation with generated inputs, checked for
# server errors and for answers the document does not allow (status, content type, headers,
# body schema). Called by scripts/test.sh; runs alone too, after a debug build of the backend.
#
# Two passes: with an API token of every scope (every operation), then signed in as a
# platform admin by session (every operation but sign-out, which would end the session). The
# token goes first: the session's pass manages tokens, and revokes what it finds.
# SCHEMATHESIS_EXAMPLES (default 50) sets the examples per operation, SCHEMATHESIS_SEED the
# seed (fixed by default, so a run is repeatable).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-50}
SEED=${SCHEMATHESIS_SEED:-20261208}
VENV=target/schemathesis-venv
DB=planboard_schemathesis
# A port nothing listens on.
PORT=${SCHEMATHESIS_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
ORIGIN=http://127.0.0.1:$PORT
EMAIL=schemathesis@planboard.local
PASSWORD='a long password for schemathesis'

ensure_schemathesis() {
  if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; }
    log "installing schemathesis $SCHEMATHESIS_VERSION (once)"
    "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

ensure_postgres
ensure_redis
ensure_app_role
ensure_schemathesis
command -v curl >/dev/null || apt_install curl
cargo build -q -p backend

pg_admin -c "drop database if exists $DB" >/dev/null 2>&1
pg_admin -c "create database $DB" >/dev/null
export DATABASE_ADMIN_URL=$PG_ADMIN_BASE/$DB
export DATABASE_URL=postgres://planboard_app:${APP_ROLE_PASSWORD}@127.0.0.1:${PG_PORT}/$DB
export REDIS_URL=redis://127.0.0.1:${REDIS_PORT}
export PLANBOARD_ADDR=127.0.0.1:$PORT PLANBOARD_SITE_ROOT=${PLANBOARD_SITE_ROOT:-target/site}
./target/debug/backend migrate >/dev/null
./target/debug/backend seed >/dev/null
echo "$PASSWORD" | ./target/debug/backend user add --email "$EMAIL" --role platform_admin >/dev/null

log "starting a server for schemathesis on $ORIGIN"
./target/debug/backend serve >target/schemathesis-server.log 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  pg_admin -c "drop database if exists $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
wait_until 30 curl -sf "$ORIGIN/readyz" || die "the server did not start (target/schemathesis-server.log)"

session=$(curl -sf -c - -H "Origin: $ORIGIN" -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$ORIGIN/api/v1/auth/login" | awk '/planboard_session/ {print $7}')
[ -n "$session" ] || die "schemathesis: signing in failed"
token=$(curl -sf -H "Cookie: planboard_session=$session" -H "Origin: $ORIGIN" -H 'content-type: application/json' \
  -d '{"name":"schemathesis","scopes":["read","report","import"],"tenant":"qianjiang"}' "$ORIGIN/api/v1/tokens" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
[ -n "$token" ] || die "schemathesis: making a token failed"

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
run_pass() { # name, schemathesis options...
  local name=$1; shift
  log "schemathesis, $name: every operation, $EXAMPLES examples each, seed $SEED"
  "$VENV/bin/schemathesis" run "$ORIGIN/api/openapi.json" --url "$ORIGIN" --checks "$CHECKS" \
    --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 "$@" >"target/schemathesis-$name.log" 2>&1 || {
    cat "target/schemathesis-$name.log"
    die "schemathesis ($name) found answers the document does not allow, or server errors"
  }
  grep -E '^\s+(Selected|Tested):|generated' "target/schemathesis-$name.log" | sed 's/^ */    /' >&2
}
run_pass token -H "Authorization: Bearer $token"
run_pass session -H "Cookie: planboard_session=$session" -H "Origin: $ORIGIN" --exclude-path /api/v1/auth/logout
