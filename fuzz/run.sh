#!/usr/bin/env bash
# Run every fuzz target for SECONDS each, one at a time (default 60).
#
#   fuzz/run.sh 600            # 10 minutes per target
#   fuzz/run.sh 60 jsonl       # one target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain the sanitizer flags
# cargo-fuzz passes need RUSTC_BOOTSTRAP=1, which this script sets. Seeds come from the
# repository (the corpus, the default pattern sets, the JSONL fixtures); what the fuzzer
# learns is kept in fuzz/corpus/TARGET (not committed). A crash is saved under
# fuzz/artifacts/TARGET/ and ends the run with a non-zero status: replay it through the
# library as a regression test in tests/fuzz_regressions.rs (for the patterns and jsonl targets,
# name it ok-* or err-* after what it must give: see that file).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(clean patterns jsonl)
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

seed() {
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $target in
    clean) cp -n ../corpus/input/*.txt "$dir"/ 2>/dev/null || true ;;
    patterns) cp -n ../patterns/*.toml "$dir"/ 2>/dev/null || true ;;
    jsonl)
      local i=0
      for f in ../tests/fixtures/*.jsonl; do
        [ -f "$f" ] || continue
        while IFS= read -r line; do
          i=$((i + 1))
          printf '%s' "$line" > "$dir/seed-$i"
        done < "$f"
      done
      printf '%s' '{"id":1,"text":"Skip to content\n\nThe bridge opened.","meta":{"body":"x"}}' > "$dir/seed-0"
      ;;
  esac
}

crashed=()
for target in "${targets[@]}"; do
  seed "$target"
  echo "== fuzz $target for ${seconds}s"
  mkdir -p "artifacts/$target"
  before=$(find "artifacts/$target" -type f | wc -l)
  cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 || true
  after=$(find "artifacts/$target" -type f | wc -l)
  echo "== $target: $((after - before)) new artifact(s) in fuzz/artifacts/$target"
  if [ "$after" -gt "$before" ]; then crashed+=("$target"); fi
done
if [ ${#crashed[@]} -gt 0 ]; then
  echo "crashes in: ${crashed[*]}" >&2
  exit 1
fi
