#!/usr/bin/env bash
# `make fuzz`: builds the fuzz targets in fuzz/ and runs each for FUZZ_SECONDS; fails if any
# target finds a crash (a panic, a broken property, a timeout or running out of memory). The
# input that crashed is kept in fuzz/artifacts/<target>/; `cargo fuzz run <target> <file>`
# (with the flags below) replays it.
#
#   FUZZ_SECONDS   seconds per target (default 600)
#   FUZZ_TARGETS   which targets (default: every one in fuzz/Cargo.toml)
#   FUZZ_PARALLEL  targets run at once (default 1; each uses one core)
#   FUZZ_SANITIZER none (default) or address
#
# Toolchain: stable Rust. cargo-fuzz needs nightly only for sanitizers (-Zsanitizer=…), so the
# default is `--sanitizer none`: coverage instrumentation (sancov) and libFuzzer work on stable,
# and the portal's crates forbid `unsafe`, so AddressSanitizer would only watch dependencies at
# half the executions per second. FUZZ_SANITIZER=address works too (RUSTC_BOOTSTRAP=1 lets stable
# accept -Zsanitizer; the ASan runtime ships with the stable toolchain) but needs its own build.
set -euo pipefail

cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
SECONDS_EACH=${FUZZ_SECONDS:-600}
SANITIZER=${FUZZ_SANITIZER:-none}
PARALLEL=${FUZZ_PARALLEL:-1}
TARGETS=${FUZZ_TARGETS:-$(awk '/^\[\[bin\]\]/ { getline; gsub(/name = |"/, ""); print }' fuzz/Cargo.toml)}
# Outside the clone, like the portal's own build, and apart from it: the instrumented build
# does not invalidate or lock the other.
export CARGO_TARGET_DIR="${PORTAL_CACHE:-$HOME/.cache/privacy-portal}/fuzz-target"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1mfuzz:\033[0m %s\n' "$*"; }

if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

flags=(--sanitizer "$SANITIZER" --codegen-units 16)
if [ "$SANITIZER" != none ]; then
  export RUSTC_BOOTSTRAP=1
fi

# cargo fuzz has no --locked: refuse a fuzz/Cargo.lock that would have to change.
cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null
say "building ${TARGETS//$'\n'/, } (sanitizer: $SANITIZER)"
cargo fuzz build "${flags[@]}"

# fuzz/seeds/<target> are the committed seeds (read only); what the fuzzer finds goes to
# fuzz/corpus/<target> (not committed) and is used again by the next run. The configuration
# target also starts from the full defaults file.
mkdir -p fuzz/logs fuzz/corpus/configuration
cp server/config/defaults.toml fuzz/corpus/configuration/defaults.toml

run_one() {
  local target=$1 log="fuzz/logs/$1.log"
  mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
  local dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=("-dict=fuzz/dict/$target.dict")
  say "$target: ${SECONDS_EACH}s, log in $log"
  if cargo fuzz run "${flags[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    echo "ok"
  else
    echo "CRASH"
  fi >"fuzz/logs/$target.result"
}
export -f run_one say
export SECONDS_EACH
export FLAGS_STR="${flags[*]}"

started=$(date +%s)
if [ "$PARALLEL" -gt 1 ]; then
  printf '%s\n' $TARGETS | xargs -P "$PARALLEL" -I{} bash -c 'flags=($FLAGS_STR); run_one {}'
else
  for target in $TARGETS; do run_one "$target"; done
fi

# One line per target: libFuzzer's last status line and final statistics.
failed=0
printf '\n%-20s %-7s %12s %8s %8s %8s %10s\n' target result execs exec/s cov ft corpus
for target in $TARGETS; do
  log="fuzz/logs/$target.log"
  result=$(cat "fuzz/logs/$target.result" 2>/dev/null || echo "CRASH")
  [ "$result" = ok ] || failed=1
  last=$(grep -E '^#[0-9]+' "$log" | tail -n1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -n1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  printf '%-20s %-7s %12s %8s %8s %8s %10s\n' "$target" "$result" "${execs:--}" "${rate:--}" \
    "${cov:--}" "${ft:--}" "${corp:--}"
  if [ "$result" != ok ]; then
    grep -E 'panicked at|ERROR: libFuzzer|Test unit written|SUMMARY' "$log" | head -n 8 | sed 's/^/    /'
  fi
done
say "$(( ($(date +%s) - started) / 60 )) min for $(wc -w <<<"$TARGETS") targets of ${SECONDS_EACH}s"
exit "$failed"
