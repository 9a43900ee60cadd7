#!/usr/bin/env bash
# Builds and starts Planboard with the Qianjiang tenant loaded, and prints the URL to open and
# how to sign in: on a database without a platform admin it makes one (PLANBOARD_ADMIN_EMAIL,
# default admin@planboard.local) with a temporary password, printed this once.
# `--demo` also loads the labelled demo districts and makes that admin their supervisor.
# Starts PostgreSQL and Redis (installing them when missing). Settings: PLANBOARD_ADDR
# (default 127.0.0.1:3000), DATABASE_URL / DATABASE_ADMIN_URL / REDIS_URL to use others.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DEMO=
for arg in "$@"; do
  case $arg in
    --demo) DEMO=1 ;;
    *) die "unknown option $arg (scripts/run.sh [--demo])" ;;
  esac
done

ensure_postgres
ensure_redis
ensure_wasm_toolchain
build_site release
log "building the server (release)"
cargo build -q --release -p backend

ensure_database planboard
ensure_app_role
export DATABASE_ADMIN_URL=${DATABASE_ADMIN_URL:-$PG_ADMIN_BASE/planboard}
export DATABASE_URL=${DATABASE_URL:-postgres://planboard_app:${APP_ROLE_PASSWORD}@127.0.0.1:${PG_PORT}/planboard}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export PLANBOARD_SITE_ROOT=${PLANBOARD_SITE_ROOT:-target/site}

scripts/first_run.sh ./target/release/backend ${DEMO:+--demo}
exec ./target/release/backend serve
