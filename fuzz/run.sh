#!/usr/bin/env bash
# Reruns vitrine's fuzz targets with cargo-afl (stable toolchain).
#   fuzz/run.sh [SECONDS] [TARGET...]   default: 600 seconds, every target,
#   two at a time (at low priority: the machine may be shared).
# Needs `cargo install cargo-afl` (it builds AFL++ on first use). Findings go
# to fuzz/out/<target>/default/{crashes,hangs}; the seed corpus is
# fuzz/corpus/<target>/. A new target is one file in fuzz/src/bin/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls src/bin | sed 's/\.rs$//'))
fi
command -v cargo-afl >/dev/null || { echo "cargo-afl is missing: cargo install cargo-afl" >&2; exit 1; }
nice cargo afl build --release
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
run() {
  local t=$1
  mkdir -p "out/$t"
  nice cargo afl fuzz -V "$seconds" -t 2000 -i "corpus/$t" -o "out/$t" "target/release/$t" > "out/$t.log" 2>&1 || true
  local stats="out/$t/default/fuzzer_stats"
  local crashes hangs
  crashes=$(find "out/$t/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "out/$t/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  echo "$t: $(grep -E '^(run_time|execs_done|corpus_count)' "$stats" | tr -s ' ' | tr '\n' ' ') crashes: $crashes hangs: $hangs"
}
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & fi
  wait
done
for t in "${targets[@]}"; do
  if [ -n "$(find "out/$t/default/crashes" "out/$t/default/hangs" -type f -name 'id:*' 2>/dev/null)" ]; then
    echo "findings for $t in fuzz/out/$t/default/" >&2
    status=1
  fi
done
exit $status
