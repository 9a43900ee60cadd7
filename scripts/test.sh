#!/usr/bin/env bash
# Runs every test: formatting and lints, the browser bundle's size budget, unit tests, the API against a real PostgreSQL (a
# fresh database per test, every answer checked against the OpenAPI document), the pages in a
# real headless Chromium, and schemathesis against the document and a running server. Starts
# PostgreSQL and Redis and installs Chromium and schemathesis when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_postgres
ensure_redis
ensure_wasm_toolchain
ensure_browser
ensure_app_role

log "checking formatting"
cargo fmt --all --check
log "linting"
cargo clippy -q --workspace --all-targets -- -D warnings
check_wasm_budget
build_site dev

# #[sqlx::test] creates (and drops) one database per test from this connection.
export DATABASE_URL=$PG_ADMIN_BASE/postgres
export PLANBOARD_SITE_ROOT=$PWD/target/site
# The view cache of the test servers (tests that stop Redis start one of their own).
export REDIS_URL=redis://127.0.0.1:${REDIS_PORT}
log "running the tests"
# Each API test server counts the answers it checked against the OpenAPI document.
export PLANBOARD_CONTRACT_TALLY=$PWD/target/contract-tally.txt
rm -f "$PLANBOARD_CONTRACT_TALLY"
cargo test --workspace
log "$(awk '{n += $1} END {print n + 0}' "$PLANBOARD_CONTRACT_TALLY") API answers matched the OpenAPI document"
bash scripts/schemathesis.sh
