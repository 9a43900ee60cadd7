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

./target/release/backend migrate
./target/release/backend seed
# The password is printed here, by the command line, and never reaches the server's log.
sign_in=$(./target/release/backend admin ensure)
admin_email=$(printf '%s\n' "$sign_in" | sed -n 's/^platform admin: \([^ ,]*\).*/\1/p')
if [ -n "$DEMO" ]; then
  demo_districts=$(psql "$DATABASE_ADMIN_URL" -qtAX -c "select count(*) from tenant where is_demo")
  # Loaded once; the supervisor grant is added whatever was there before.
  ./target/release/backend demo --tenants "$([ "$demo_districts" = 0 ] && echo 12 || echo 0)" --supervisor "$admin_email"
fi
url="http://${PLANBOARD_ADDR:-127.0.0.1:3000}/"
log "Planboard: open $url and sign in"
printf '%s\n' "$sign_in" | sed 's/^/    /' >&2
[ -z "$DEMO" ] || log "demo districts: ${url}regions/demo (labelled 示例 / Demo; backend demo --remove deletes them)"
exec ./target/release/backend serve
