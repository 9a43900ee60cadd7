# Shared set-up for scripts/run.sh and scripts/test.sh: start (installing when missing) what
# Planboard needs on a Debian machine. Every step is a no-op when its part is already there.

PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
# The database superuser for set-up (creating databases, migrations). Its password is only
# used where PostgreSQL asks for one; a fresh install gets it set below.
PG_ADMIN_BASE=${PG_ADMIN_BASE:-postgres://postgres:postgres@127.0.0.1:${PG_PORT}}
# The application role's development password (production sets its own: deploy/README.md).
APP_ROLE_PASSWORD=planboard_app

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* (no apt-get): install it by hand"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    as_root apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_until() { # seconds, command...
  local tries=$(( $1 * 5 )); shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

pg_admin() { psql "$PG_ADMIN_BASE/postgres" -v ON_ERROR_STOP=1 -qtAX "$@"; }

ensure_postgres() {
  command -v pg_isready >/dev/null && command -v psql >/dev/null || apt_install postgresql postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$version" ] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_until 30 pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL did not start on port $PG_PORT"
  fi
  if ! pg_admin -c 'select 1' >/dev/null 2>&1; then
    # A fresh Debian install asks for a password over TCP and the superuser has none yet.
    log "giving the postgres role its development password"
    as_root runuser -u postgres -- psql -qc "alter role postgres password 'postgres'" >/dev/null \
      || die "cannot sign in to PostgreSQL as postgres; set PG_ADMIN_BASE=postgres://USER:PASS@HOST:PORT"
    pg_admin -c 'select 1' >/dev/null || die "cannot sign in to PostgreSQL with $PG_ADMIN_BASE"
  fi
}

# The role the server connects as. The migrations create it too (without a password); here it
# gets the development password so password-checking PostgreSQL setups accept it.
ensure_app_role() {
  pg_admin >/dev/null <<SQL
do \$\$
begin
  create role planboard_app login password '${APP_ROLE_PASSWORD}';
exception when duplicate_object or unique_violation then
  alter role planboard_app login password '${APP_ROLE_PASSWORD}';
end \$\$;
SQL
}

ensure_database() { # name
  if [ "$(pg_admin -c "select 1 from pg_database where datname = '$1'")" != 1 ]; then
    log "creating database $1"
    pg_admin -c "create database \"$1\""
  fi
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    command -v redis-server >/dev/null || apt_install redis-server
    log "starting Redis on port $REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    wait_until 10 sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT ping | grep -q PONG" || die "Redis did not start"
  fi
}

# The wasm target and a wasm-bindgen CLI of exactly the version in Cargo.lock (they must match).
ensure_wasm_toolchain() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >/dev/null
  fi
  local want
  want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Without --locked: its lock file pins a crate this registry may lack.
    cargo install -q wasm-bindgen-cli --version "$want"
  fi
}

ensure_browser() {
  # Chinese fonts too, or the screenshots show boxes for every character.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
     || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    apt_install chromium chromium-driver fonts-noto-cjk
  fi
}

# Builds the browser bundle into target/site/pkg. $1: dev or release.
build_site() { # dev|release [site folder, default target/site]
  local profile_flag=() dir=debug strip=() site=${2:-target/site}
  # Release: size-optimised with LTO, names stripped, component types erased (the
  # `erase_components` flag in .cargo/config.toml, for the server build too). binaryen's
  # wasm-opt -Oz was measured too: smaller raw (1.41 MB vs 1.60 MB) but larger gzipped
  # (531 KB vs 480 KB), and gzip is what travels, so it is not used.
  if [ "$1" = release ]; then profile_flag=(--profile wasm-release); dir=wasm-release; strip=(--remove-name-section --remove-producers-section); fi
  log "building the browser bundle ($1)"
  cargo build -q -p frontend --lib --target wasm32-unknown-unknown --no-default-features --features hydrate "${profile_flag[@]}"
  wasm-bindgen --target web --no-typescript "${strip[@]}" --out-dir "$site/pkg" --out-name frontend \
    "target/wasm32-unknown-unknown/$dir/frontend.wasm"
}

# The hydrated bundle as it travels (release, gzipped) must stay within its budget: every
# page waits for it before it becomes interactive. docs/benchmarks.md has its history.
WASM_GZ_BUDGET_KB=500
check_wasm_budget() {
  build_site release target/site-release
  local kb=$(( $(gzip -9 -c target/site-release/pkg/frontend_bg.wasm | wc -c) / 1024 ))
  [ "$kb" -le "$WASM_GZ_BUDGET_KB" ] || die "the hydrated wasm is $kb KB gzipped, over its budget of $WASM_GZ_BUDGET_KB KB"
  log "the hydrated wasm is $kb KB gzipped (budget $WASM_GZ_BUDGET_KB KB)"
}
