#!/usr/bin/env bash
# Benchmarks at municipal and national scale (not part of the test command):
#   bash scripts/bench.sh            # N = 40 and N = 2850 synthetic districts
#   bash scripts/bench.sh 40         # one scale only
# Builds in release, creates its own database (planboard_bench) and Redis database (1),
# generates districts with `backend demo`, starts a cached and an uncached server, loads them
# with wrk at 64 connections, measures the floors of this same machine in the same run
# (a trivial endpoint, redis-benchmark, pgbench on the hand-written comparison SQL), prints
# one table and writes it to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_postgres
ensure_redis
ensure_wasm_toolchain
command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null || apt_install postgresql-contrib
build_site release
log "building the server and the write load generator (release)"
cargo build -q --release -p backend
cargo build -q --release -p tests --example write_load

DB=planboard_bench
BIN=./target/release/backend
CONNECTIONS=64
DURATION=${BENCH_SECONDS:-10}
OUT=docs/benchmarks.md
ROWS=()
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

export DATABASE_ADMIN_URL=$PG_ADMIN_BASE/$DB
export PLANBOARD_SITE_ROOT=target/site
APP_URL=postgres://planboard_app:${APP_ROLE_PASSWORD}@127.0.0.1:${PG_PORT}/$DB
export DATABASE_URL=$APP_URL

# wrk's summary as "requests/s p50_ms p99_ms".
wrk_run() { # url cookie [accept-encoding] [connections]
  local c=${4:-$CONNECTIONS}
  wrk -t$(( c < 2 ? c : 2 )) -c$c -d${DURATION}s --latency -H "Cookie: $2" -H "Origin: http://127.0.0.1" \
    -H "Accept-Encoding: ${3:-identity}" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

row() { # name rps p50 p99 floor_rps floor_name
  local ratio="-"
  if [ -n "${5:-}" ] && [ "$5" != "-" ]; then ratio=$(awk -v a="$2" -v b="$5" 'BEGIN { printf "%.0f%% of %s", 100*a/b, "'"$6"'" }'); fi
  ROWS+=("| $N | $1 | $2 | $3 | $4 | $ratio |")
  printf '%-44s %10s req/s  p50 %8s ms  p99 %8s ms  %s\n' "$1" "$2" "$3" "$4" "$ratio"
}

# A cached view on the cached server, as a share of /healthz measured just before it: this
# host's speed drifts by half within minutes, and a floor taken minutes earlier misstates it.
cached_row() { # name path [accept-encoding]
  local f_rps a b c
  read -r f_rps _ < <(wrk_run "http://127.0.0.1:3100/healthz" "")
  read -r a b c < <(wrk_run "http://127.0.0.1:3100$2" "$cookie_a" "${3:-identity}")
  row "$1" "$a" "$b" "$c" "$f_rps" "/healthz beside it ($f_rps req/s)"
}

# Rate limits as documented for the benchmark: the write load signs in every district's admin
# from this one address at once, so sign-ins are not limited; anonymous requests keep the
# default (every measured request is signed in, and /healthz is never limited).
export PLANBOARD_SIGN_IN_PER_MINUTE=off

start_server() { # port redis_url-or-empty; sets SERVER_PID
  local port=$1
  if [ -n "$2" ]; then REDIS_URL=$2 DATABASE_URL=$APP_URL PLANBOARD_ADDR=127.0.0.1:$port RUST_LOG=warn $BIN serve >/dev/null 2>&1 &
  else env -u REDIS_URL DATABASE_URL=$APP_URL PLANBOARD_ADDR=127.0.0.1:$port RUST_LOG=warn $BIN serve >/dev/null 2>&1 & fi
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_until 30 curl -sf "http://127.0.0.1:$port/healthz" || die "the server on $port did not start"
}

session() { # port -> cookie
  curl -s -o /dev/null -c - -H "Origin: http://127.0.0.1:$1" -H 'content-type: application/json' \
    -d '{"email":"bench@planboard.cn","password":"benchmark password"}' "http://127.0.0.1:$1/api/v1/auth/login" \
    | awk '/planboard_session/ { print "planboard_session=" $7 }'
}

for N in ${@:-40 2850}; do
  log "scale: $N districts"
  pg_admin -c "drop database if exists $DB" >/dev/null
  pg_admin -c "create database $DB" >/dev/null
  ensure_app_role
  $BIN migrate >/dev/null
  $BIN seed >/dev/null
  started=$(date +%s.%N)
  $BIN demo --tenants "$N" >/dev/null
  log "generated $N districts in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
  echo 'benchmark password' | $BIN user add --email bench@planboard.cn --role platform_admin >/dev/null
  # One admin per district for the write load (one connection each, up to 64).
  WRITERS=()
  for i in $(seq 1 $(( N < CONNECTIONS ? N : CONNECTIONS ))); do
    slug=$(printf 'demo-%03d' "$i")
    echo 'benchmark password' | $BIN user add --email "bench-admin@$slug.cn" --role tenant_admin --tenant "$slug" >/dev/null
    WRITERS+=("$slug")
  done
  # As autovacuum leaves a database a while after a bulk load (visibility map, hint bits,
  # statistics), not at whatever point of it autovacuum happens to be in the first run.
  psql "$DATABASE_ADMIN_URL" -qtAX -c "vacuum analyze" >/dev/null
  redis-cli -n 1 flushdb >/dev/null

  start_server 3100 "redis://127.0.0.1:${REDIS_PORT}/1"
  cached_pid=$SERVER_PID
  start_server 3101 ""
  cookie_a=$(session 3100)
  cookie_b=$(session 3101)
  plan=$(psql "$DATABASE_ADMIN_URL" -qtAX -c "select plan_id from plan p join tenant t using (tenant_id) where t.slug = 'demo-001'")
  dashboard="/api/v1/tenants/demo-001/plans/$plan/dashboard"
  # The first page (100 districts, best progress first), as the comparison page asks.
  comparison="/api/v1/regions/demo/comparison?indicator=industrial_output_above_scale"

  read -r h_rps h50 h99 < <(wrk_run "http://127.0.0.1:3100/healthz" "")
  row "floor: GET /healthz" "$h_rps" "$h50" "$h99"
  size=$(curl -s -H "Cookie: $cookie_a" "http://127.0.0.1:3100$comparison" | wc -c)
  # SET first, so the GETs fetch a value of that size (a GET alone finds no key and sends
  # nothing back); about 2 GB moved in each test, whatever the size.
  requests=$(( 2000000000 / size )); requests=$(( requests < 1000 ? 1000 : requests > 200000 ? 200000 : requests ))
  read -r r_rps r50 r99 < <(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c $CONNECTIONS -n "$requests" -d "$size" -t set,get --csv 2>/dev/null \
    | awk -F'"' '/GET/ { print $4, $10, $14 }')
  row "floor: redis-benchmark GET ${size} B" "${r_rps%.*}" "$r50" "$r99"

  region=$(psql "$DATABASE_ADMIN_URL" -qtAX -c "select region_id from region where slug = 'demo'")
  sql=$(mktemp)
  # What the region comparison asks PostgreSQL, written by hand: the catalog entry, the
  # first page of districts (best mean progress first) from the rollups the write triggers
  # keep, and the first page of one catalog indicator across the districts, with its count,
  # from the catalog standings they keep, with the columns the server reads. (As the owner,
  # so without the row-level security the server is also subject to.)
  cat > "$sql" <<SQL
select name, name_en, unit from catalog_entry where key = 'industrial_output_above_scale';
select r.slug, r.name, r.name_en, r.is_demo, r.indicators_total, r.achieved, r.on_track, r.at_risk, r.behind,
       r.no_data, r.mean_progress, r.tasks_total, r.not_started, r.in_progress, r.completed, r.blocked,
       r.open_due_years, r.time_zone
from tenant_rollup r where r.region_id = '$region'
order by r.mean_progress desc nulls last, r.slug limit 100;
select s.slug, s.tenant_name, s.tenant_is_demo, s.name, s.unit, s.baseline_year, s.baseline_value, s.target_year, s.target_value,
       s.comparator, s.latest_period_year, s.latest_period_quarter, s.latest_value, s.progress, s.status,
       (select count(*) from catalog_standing where catalog_key = 'industrial_output_above_scale' and region_id = '$region')
from catalog_standing s
where s.catalog_key = 'industrial_output_above_scale' and s.region_id = '$region'
order by s.progress desc nulls last, s.slug, s.indicator_id limit 100;
SQL
  # At the load generator's concurrency, so the ratio compares like with like.
  pg_lat=$(pgbench -n -f "$sql" -c $CONNECTIONS -j 2 -T "$DURATION" "$DATABASE_ADMIN_URL" 2>/dev/null | awk '/latency average/ { print $4 }')
  pg_tps=$(pgbench -n -f "$sql" -c 1 -j 1 -T 3 "$DATABASE_ADMIN_URL" 2>/dev/null | awk '/^tps/ { printf "%.0f", $3 }')
  single=$(awk -v t="$pg_tps" 'BEGIN { printf "%.2f", 1000 / t }')
  row "floor: pgbench comparison SQL (1 client)" "$pg_tps" "$single" "-"
  row "floor: pgbench comparison SQL ($CONNECTIONS clients)" "-" "$pg_lat" "-"
  rm -f "$sql"

  curl -s -o /dev/null -H "Cookie: $cookie_a" "http://127.0.0.1:3100$dashboard"
  curl -s -o /dev/null -H "Cookie: $cookie_a" "http://127.0.0.1:3100$comparison"
  cached_row "plan dashboard, cached" "$dashboard"
  cached_row "region comparison, cached" "$comparison"
  cached_row "region comparison, cached, gzip (as browsers ask)" "$comparison" gzip
  read -r a b c < <(wrk_run "http://127.0.0.1:3101$dashboard" "$cookie_b"); row "plan dashboard, uncached" "$a" "$b" "$c"
  read -r a b c < <(wrk_run "http://127.0.0.1:3101$comparison" "$cookie_b")
  row "region comparison, uncached" "$a" "$b" "$c" "-" ""
  ROWS+=("| $N | region comparison uncached p50 ÷ pgbench latency at $CONNECTIONS clients | | $(awk -v a="$b" -v s="$pg_lat" 'BEGIN { printf "%.2f×", a / s }') | | target ≤ 2× |")
  # What one supervisor waits for a comparison nobody has asked for yet.
  read -r a b c < <(wrk_run "http://127.0.0.1:3101$comparison" "$cookie_b" identity 1)
  row "region comparison, uncached, one connection" "$a" "$b" "$c" "-" ""

  # Writes last: they change the districts the reads above measured. From a checkpoint, as the
  # reads from a vacuumed database: the bulk load above sets off a checkpoint of its own that
  # would otherwise still be writing (spread over minutes) during some runs' writes and not others'.
  psql "$DATABASE_ADMIN_URL" -qtAX -c "checkpoint" >/dev/null
  read -r pairs writes w50 w99 stale errors < <(./target/release/examples/write_load "http://127.0.0.1:3100" "$DURATION" \
    'benchmark password' "${WRITERS[@]}")
  row "correction of a latest value + approval + dashboard read (${#WRITERS[@]} connections)" "$pairs" "$w50" "$w99" "-" ""
  ROWS+=("| $N | write requests/s (correction and approval); stale next reads; errors | $writes | $stale stale | $errors errors | target ≥ 1000 writes/s, 0 stale |")

  tenant_sql="insert into tenant (region_id, slug, name) select region_id, 'import-check', '导入测试' from region where slug = 'demo'"
  psql "$DATABASE_ADMIN_URL" -qc "$tenant_sql" >/dev/null
  text=$(mktemp)
  python3 -c "import json; print(json.load(open('backend/seed/qianjiang.json'))['plans'][0]['source_text'], end='')" > "$text"
  # The last progress line: "     33.9 ms  Created (total)".
  import_ms=$($BIN import "$text" --tenant import-check 2>&1 >/dev/null | awk '/\(total\)/ { print $1 }')
  rm -f "$text"
  ROWS+=("| $N | import of the seed document's text (CLI, commit) | | ${import_ms} ms | | target < 200 ms |")
  rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$cached_pid/status")
  ROWS+=("| $N | server peak RSS after the runs | | $((rss_kb / 1024)) MB | | target < 150 MB |")
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
done

wasm_gz=$(gzip -9 -c target/site/pkg/frontend_bg.wasm | wc -c)
# The figures measured once for design choices (below this heading) are kept as they are.
DESIGN_HEADING="## Figures behind design choices"
design=$(sed -n "/^$DESIGN_HEADING\$/,\$p" "$OUT" 2>/dev/null || true)
{
  echo "# Benchmarks"
  echo
  echo "Run: \`bash scripts/bench.sh\` on $(date -u +%F), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo),"
  echo "$(uname -sr), wrk at $CONNECTIONS connections for ${DURATION} s per line; floors measured in the same run, each cached view's /healthz just before it."
  echo "Rate limits: sign-ins off (PLANBOARD_SIGN_IN_PER_MINUTE=off), anonymous requests at the default 1,200 a minute per address."
  echo
  echo "| districts | what | requests/s | p50 | p99 | ratio |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo "| - | hydrated wasm, release, gzipped | | $((wasm_gz / 1024)) KB | | target < 500 KB |"
  if [ -n "$design" ]; then echo; printf '%s\n' "$design"; fi
} > "$OUT"
log "written to $OUT"
cat "$OUT"
