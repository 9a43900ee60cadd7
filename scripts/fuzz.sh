#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, through cargo-fuzz) of every parser of user input: the
# import's JSON, CSV and Excel readers, form and query decoding behind the NUL guard, and the
# redirect check. Each target runs RUNS executions (default 1,000,000) from seeds made from
# real inputs (tests/examples/fuzz_seeds.rs); a panic, a failed oracle, a timeout (10 s for one
# input) or a memory blow-up stops it with the input saved under tests/fuzz/artifacts/.
# Not part of scripts/test.sh (a short property-test run of the same parsers is); the counts of
# the last long run are in docs/security.md.
#   bash scripts/fuzz.sh [RUNS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runs=${1:-1000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(import_json import_csv import_xlsx redirect form_and_query)

command -v cargo-fuzz >/dev/null || { log "installing cargo-fuzz (once)"; cargo install -q cargo-fuzz --locked; }
log "writing the seed corpora"
cargo run -q -p tests --example fuzz_seeds -- tests/fuzz/corpus
mkdir -p target/fuzz
for target in "${targets[@]}"; do
  log "fuzzing $target: $runs runs"
  # cargo-fuzz passes the sanitizer flags of a nightly compiler; the stable one takes them so.
  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz "$target" "tests/fuzz/corpus/$target" -- \
    -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"target/fuzz/$target.log" 2>&1 \
    || { tail -n 40 "target/fuzz/$target.log"; die "$target failed; its input is under tests/fuzz/artifacts/$target/"; }
  grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|Done [0-9]+ runs' "target/fuzz/$target.log" | sed "s/^/$target: /"
done
