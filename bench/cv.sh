#!/usr/bin/env bash
# Cross-validate the line model by site, the way every quality figure of boilerstrip is measured.
#
#   bench/cv.sh [-b BENCH] [-o OUT] [-x BINARY] [-r] [-- CLEAN-OPTION ...]
#
#   -b BENCH    the bench folder (default: ../shared/bench), with pages.tsv and folds.tsv
#   -o OUT      output folder (default: cv-out)
#   -x BINARY   the boilerstrip binary (default: target/release/boilerstrip, built if missing)
#   -r          reuse the models OUT holds from an earlier run (to try other CLEAN-OPTIONs)
#
# For each fold K of folds.tsv (sites, each in one fold), a model is trained on the other folds
# (`boilerstrip train BENCH --folds folds.tsv --holdout K`), and the fold's inputs, from sites
# that model never saw, are cleaned with it (`clean --model`, plus the CLEAN-OPTIONs). Then
# every output is scored at once by the bench's scorer, per track, per extractor and per origin
# dataset: out-of-fold figures, pooled. OUT keeps the models, the outputs and score.json.
set -euo pipefail

bench=../shared/bench
out=cv-out
bin=target/release/boilerstrip
reuse=0
while [ $# -gt 0 ]; do
  case "$1" in
    -b) bench="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    -x) bin="$2"; shift 2 ;;
    -r) reuse=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    *) echo "cv.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -x "$bin" ]; then
  cargo build --release --locked --quiet
fi
folds=$(tail -n +2 "$bench/folds.tsv" | cut -f2 | sort -un)
rm -rf "$out/outputs"
mkdir -p "$out/outputs/residual" "$out/outputs/page"
for k in $folds; do
  if [ "$reuse" = 0 ] || [ ! -f "$out/model-$k.bsm" ]; then
    echo "== fold $k: training on the other folds" >&2
    "$bin" train "$bench" --folds "$bench/folds.tsv" --holdout "$k" -o "$out/model-$k.bsm" -q
  fi
  # The fold's inputs: every input of a page whose site is in fold K.
  in="$out/in-$k"
  rm -rf "$in" "$out/clean-$k"
  mkdir -p "$in/residual" "$in/page"
  awk -F'\t' -v k="$k" 'NR == FNR { if (FNR > 1 && $2 == k) fold[$1] = 1; next }
                        FNR > 1 && ($6 in fold) { print $1 }' "$bench/folds.tsv" "$bench/pages.tsv" |
  while read -r id; do
    for track in residual page; do
      for f in "$bench/$track/$id".*.txt; do
        [ -e "$f" ] || continue
        case "$f" in *.gold.txt) continue ;; esac
        cp "$f" "$in/$track/"
      done
    done
  done
  echo "== fold $k: cleaning $(find "$in" -name '*.txt' | wc -l) held-out inputs" >&2
  "$bin" clean "$in" -o "$out/clean-$k" --model "$out/model-$k.bsm" -q "$@"
  cp "$out/clean-$k/residual/"*.txt "$out/outputs/residual/" 2>/dev/null || true
  cp "$out/clean-$k/page/"*.txt "$out/outputs/page/" 2>/dev/null || true
  rm -rf "$in" "$out/clean-$k"
done
python3 "$bench/score.py" --bench "$bench" --outputs "$out/outputs" --by-dataset --json "$out/score.json"
