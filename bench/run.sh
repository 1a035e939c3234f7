#!/usr/bin/env bash
# Whole-process benchmark: boilerstrip against `rg -v -i -F -f LITERALS` (ripgrep: what a user who
# only wants lines holding known phrases dropped would pick), `grep` and `cat` on the same bytes,
# in the same run. Figures are for the machine it runs on; read the ratios first.
#
#   bench/run.sh [-m MB] [-n FILES] [-w WORKDIR] [-b BINARY] [-r BENCH]
#
#   -m MB       size of the generated input (default 1024)
#   -n FILES    documents written as separate files for the directory shape (default 100000)
#   -w WORKDIR  where the input is generated and outputs go (default /tmp/boilerstrip-bench);
#               an existing input of the same size is reused. The directory shape creates one
#               file per document: on a disk-backed file system that measures the file system
#               as much as the cleaner; a tmpfs (-w /dev/shm/bench) measures the cleaner.
#   -b BINARY   measure this boilerstrip binary (an older build, to compare) instead of building
#   -r BENCH    the bench's real texts (default ../shared/bench, skipped, said, when missing):
#               the same shapes again from them (bench/real.py), beside ripgrep on the same
#               bytes. The generated input is 172 KB of articles recombined: shorter lines than
#               real text's, and few states for ripgrep's automaton to build as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=1024 files=100000 work=/tmp/boilerstrip-bench bin= bench=../shared/bench
while getopts "m:n:w:b:r:" opt; do
  case $opt in
    m) mb=$OPTARG ;; n) files=$OPTARG ;; w) work=$OPTARG ;; b) bin=$(realpath "$OPTARG") ;;
    r) bench=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
if ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ripgrep (Debian package 'ripgrep') for the side-by-side runs" >&2
    apt-get install -y -qq ripgrep >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; }
  fi
  command -v rg >/dev/null || { echo "needs ripgrep (rg): e.g. apt-get install ripgrep" >&2; exit 2; }
fi

if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=$PWD/target/release/boilerstrip
fi
input=$work/input-$mb-$files
if [ ! -f "$input/done" ]; then
  rm -rf "$input"
  python3 bench/gen.py --corpus corpus/input --out "$input" --mb "$mb" --files "$files"
  touch "$input/done"
fi
real=$work/real-$mb-$files
if [ -d "$bench" ] && [ ! -f "$real/done" ]; then
  rm -rf "$real"
  python3 bench/real.py --bench "$bench" --out "$real" --mb "$mb" --files "$files"
  touch "$real/done"
elif [ ! -d "$bench" ]; then
  echo "no bench at $bench (-r BENCH): the runs on real text are skipped" >&2
fi
"$bin" rules --literals > "$work/literals.txt"
has_jsonl=0
"$bin" clean --help | grep -q -- '--format' && has_jsonl=1

# grep -v exits 1 when every line matched (each JSONL record holds some phrase): not a failure.
grepv() { grep -v -i -F -f "$work/literals.txt" "$1"; [ $? -le 1 ]; }
# ripgrep the same way, on one thread (it searches one file on one thread anyway).
rgv() { rg -v -i -F -j1 --no-config -f "$work/literals.txt" "$1"; [ $? -le 1 ]; }
export work
export -f grepv rgv
results=$work/results.tsv
: > "$results"
# run NAME BYTES DOCS CMD...: time one command and record it. Its stdout goes to a file, not to
# /dev/null: GNU grep notices /dev/null and stops at the first match.
run() {
  local name=$1 bytes=$2 docs=$3; shift 3
  sync
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" > "$work/stdout.out" 2> "$work/stderr.txt" || {
    echo "$name failed:" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  read -r secs rss user sys < "$work/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$bytes" "$docs" "$secs" "$rss" "$user" "$sys" >> "$results"
}
# halves NAME BYTES DOCS JSONL: the machine's own ceiling for -j2, two independent -j1
# processes, one on each half of the records, at the same time. On a virtual machine two vCPUs
# seldom give twice one's speed.
halves() {
  local name=$1 bytes=$2 docs=$3 jsonl=$4 half=$(( ($3 + 1) / 2 ))
  head -n "$half" "$jsonl" > "$work/half1.jsonl"
  tail -n +"$((half + 1))" "$jsonl" > "$work/half2.jsonl"
  run "$name" "$bytes" "$docs" bash -c \
    '"$1" clean -j1 --format jsonl - < "$2" > "$2.out" & "$1" clean -j1 --format jsonl - < "$3" > "$3.out" & wait' \
    _ "$bin" "$work/half1.jsonl" "$work/half2.jsonl"
  rm -f "$work"/half[12].jsonl*
}
stream_bytes=$(stat -c %s "$input/stream.txt")
jsonl_bytes=$(stat -c %s "$input/docs.jsonl")
ndocs=$(wc -l < "$input/docs.jsonl")
files_bytes=$(find "$input/files" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
nfiles=$(find "$input/files" -name '*.txt' | wc -l)

run "cat stream"                  "$stream_bytes" "$ndocs" cat "$input/stream.txt"
run "rg stream"                   "$stream_bytes" "$ndocs" bash -c 'rgv "$1"' _ "$input/stream.txt"
run "grep stream"                 "$stream_bytes" "$ndocs" bash -c 'grepv "$1"' _ "$input/stream.txt"
run "grep(C locale) stream"      "$stream_bytes" "$ndocs" env LC_ALL=C bash -c 'grepv "$1"' _ "$input/stream.txt"
# The stream is one document: over the default --max-doc-bytes (256M) at the default size, and
# at most 1G, the most the flag allows (so -m goes up to about 1024).
run "boilerstrip -j1 stream"      "$stream_bytes" "$ndocs" "$bin" clean -j1 - --invalid-utf8 lossy --max-doc-bytes 1G < "$input/stream.txt"
if [ $has_jsonl = 1 ]; then
  run "cat jsonl"                 "$jsonl_bytes" "$ndocs" cat "$input/docs.jsonl"
  run "grep jsonl"                "$jsonl_bytes" "$ndocs" bash -c 'grepv "$1"' _ "$input/docs.jsonl"
  run "boilerstrip -j1 jsonl"     "$jsonl_bytes" "$ndocs" "$bin" clean -j1 --format jsonl - < "$input/docs.jsonl"
  run "boilerstrip -j2 jsonl"     "$jsonl_bytes" "$ndocs" "$bin" clean -j2 --format jsonl - < "$input/docs.jsonl"
  halves "2 x -j1 jsonl halves"   "$jsonl_bytes" "$ndocs" "$input/docs.jsonl"
fi
# Parquet: the same records as a Parquet file, written by pyarrow (its defaults: snappy, one row
# group per 2^20 rows) when pyarrow can be imported; MB are the JSONL form's, for a like-for-like
# MB/s. Skipped, said, without pyarrow (e.g. `python3 -m venv v && v/bin/pip install pyarrow`,
# then run with v/bin on PATH).
if python3 -c 'import pyarrow' 2>/dev/null && "$bin" clean --help | grep -q parquet; then
  if [ ! -f "$input/docs.parquet" ]; then
    python3 -c 'import sys, pyarrow.json as j, pyarrow.parquet as p
p.write_table(j.read_json(sys.argv[1], read_options=j.ReadOptions(block_size=1 << 26)), sys.argv[2])' \
      "$input/docs.jsonl" "$input/docs.parquet.tmp"
    mv "$input/docs.parquet.tmp" "$input/docs.parquet"
  fi
  rm -rf "$work/out"
  run "boilerstrip -j1 parquet"   "$jsonl_bytes" "$ndocs" "$bin" clean -q -j1 "$input/docs.parquet" -o "$work/out"
  rm -rf "$work/out"
  run "boilerstrip -j2 parquet"   "$jsonl_bytes" "$ndocs" "$bin" clean -q -j2 "$input/docs.parquet" -o "$work/out"
  rm -rf "$work/out"
else
  echo "no pyarrow for python3 (or a boilerstrip without Parquet): the Parquet runs are skipped" >&2
fi
# WET: the same records as conversion records of one WET file, as Common Crawl writes them (a
# gzip member per record); MB are the JSONL form's again.
if [ $has_jsonl = 1 ] && "$bin" clean --help | grep -q -i warc; then
  if [ ! -f "$input/docs.warc.wet.gz" ]; then
    python3 bench/wet.py "$input/docs.jsonl" "$input/docs.warc.wet.gz.tmp"
    mv "$input/docs.warc.wet.gz.tmp" "$input/docs.warc.wet.gz"
  fi
  rm -rf "$work/out"
  run "boilerstrip -j1 wet"       "$jsonl_bytes" "$ndocs" "$bin" clean -q -j1 "$input/docs.warc.wet.gz" -o "$work/out"
  rm -rf "$work/out"
fi
rm -rf "$work/out"
run "boilerstrip -j1 dir"         "$files_bytes" "$nfiles" "$bin" clean -q -j1 "$input/files" -o "$work/out"
rm -rf "$work/out"
run "boilerstrip -j2 dir"         "$files_bytes" "$nfiles" "$bin" clean -q -j2 "$input/files" -o "$work/out"
rm -rf "$work/out"
# The ceiling again: two -j1 processes, one on each half of the subdirectories.
mapfile -t subdirs < <(find "$input/files" -mindepth 1 -maxdepth 1 -type d | sort)
if [ ${#subdirs[@]} -ge 2 ]; then
  run "2 x -j1 dir halves"        "$files_bytes" "$nfiles" bash -c \
    'bin=$1 out=$2 h=$3; shift 3
     "$bin" clean -q -j1 "${@:1:h}" -o "$out/a" & "$bin" clean -q -j1 "${@:h+1}" -o "$out/b" & wait' \
    _ "$bin" "$work/out" $(( ${#subdirs[@]} / 2 )) "${subdirs[@]}"
  rm -rf "$work/out"
fi

# The same shapes on the bench's real texts, beside ripgrep over the same texts as a stream.
if [ $has_jsonl = 1 ] && [ -f "$real/done" ]; then
  rbytes=$(stat -c %s "$real/docs.jsonl")
  rdocs=$(wc -l < "$real/docs.jsonl")
  rfiles_bytes=$(find "$real/files" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
  rfiles=$(find "$real/files" -name '*.txt' | wc -l)
  run "rg real stream"            "$(stat -c %s "$real/stream.txt")" "$rdocs" bash -c 'rgv "$1"' _ "$real/stream.txt"
  run "boilerstrip -j1 real jsonl" "$rbytes" "$rdocs" "$bin" clean -j1 --format jsonl - < "$real/docs.jsonl"
  # What the line model costs: the same run with the model off.
  run "boilerstrip -j1 real rules" "$rbytes" "$rdocs" "$bin" clean -j1 --format jsonl --disable CLASSIFY - < "$real/docs.jsonl"
  run "boilerstrip -j2 real jsonl" "$rbytes" "$rdocs" "$bin" clean -j2 --format jsonl - < "$real/docs.jsonl"
  halves "2 x -j1 real jsonl halves" "$rbytes" "$rdocs" "$real/docs.jsonl"
  rm -rf "$work/out"
  run "boilerstrip -j1 real dir"  "$rfiles_bytes" "$rfiles" "$bin" clean -q -j1 "$real/files" -o "$work/out"
  rm -rf "$work/out"
fi

python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = {name: (int(b), int(d), max(float(s), 1e-3), int(rss), float(user) + float(sys))
     for name, b, d, s, rss, user, sys in rows}
# CPU is user + system time of all threads (and of both processes, for the halves); cores is
# CPU / seconds: how much of the machine the run kept busy.
print(f"{'run':<28} {'MB':>7} {'seconds':>8} {'MB/s':>8} {'docs/s':>9} {'peak RSS MB':>12} {'CPU s':>6} {'cores':>6}")
for name, (b, d, s, rss, cpu) in t.items():
    print(f"{name:<28} {b/1e6:>7.0f} {s:>8.2f} {b/1e6/s:>8.1f} {d/s:>9.0f} {rss/1024:>12.1f} {cpu:>6.2f} {cpu/s:>6.2f}")
def ratio(a, b):
    return t[b][2] / t[a][2] if a in t and b in t else float("nan")
print()
print(f"boilerstrip/rg, stream, -j1:   {ratio('boilerstrip -j1 stream', 'rg stream'):.2f}x ripgrep's speed "
      "(rg -v -i -F with every literal phrase of the default sets)")
if "boilerstrip -j1 jsonl" in t:
    print(f"boilerstrip/rg, jsonl, -j1:    {ratio('boilerstrip -j1 jsonl', 'rg stream'):.2f}x ripgrep's speed on the same texts")
print(f"boilerstrip/grep, stream, -j1: {ratio('boilerstrip -j1 stream', 'grep stream'):.2f}x grep's speed "
      f"({ratio('boilerstrip -j1 stream', 'grep(C locale) stream'):.2f}x grep's in the C locale, "
      "where -i folds ASCII only)")
if "boilerstrip -j1 jsonl" in t:
    # grep -v on JSONL drops a record at its first phrase and skips the rest of the line, a much
    # smaller job: the JSONL path is compared with grep on the same texts as a stream.
    print(f"boilerstrip/grep, jsonl, -j1:  {ratio('boilerstrip -j1 jsonl', 'grep stream'):.2f}x grep's speed on the "
          f"same texts ({ratio('boilerstrip -j1 jsonl', 'grep(C locale) stream'):.2f}x in the C locale)")
    print(f"-j2/-j1, jsonl:                {ratio('boilerstrip -j2 jsonl', 'boilerstrip -j1 jsonl'):.2f}x "
          f"(the machine's ceiling, two -j1 processes on the halves: "
          f"{ratio('2 x -j1 jsonl halves', 'boilerstrip -j1 jsonl'):.2f}x)")
if "boilerstrip -j1 parquet" in t and "boilerstrip -j1 jsonl" in t:
    print(f"parquet/jsonl, -j1:            {ratio('boilerstrip -j1 parquet', 'boilerstrip -j1 jsonl'):.2f}x "
          f"the JSONL path's speed on the same records (-j2: "
          f"{ratio('boilerstrip -j2 parquet', 'boilerstrip -j2 jsonl'):.2f}x)")
if "boilerstrip -j1 wet" in t and "boilerstrip -j1 jsonl" in t:
    print(f"wet/jsonl, -j1:                {ratio('boilerstrip -j1 wet', 'boilerstrip -j1 jsonl'):.2f}x "
          "the JSONL path's speed on the same records (gzip in and out, a member per record)")
# The directory's halves are its subdirectories' (a thousand files each): none under 1,001 files.
ceiling = (f"{ratio('2 x -j1 dir halves', 'boilerstrip -j1 dir'):.2f}x" if "2 x -j1 dir halves" in t
           else "not run, one subdirectory")
print(f"-j2/-j1, directory:            {ratio('boilerstrip -j2 dir', 'boilerstrip -j1 dir'):.2f}x "
      f"(the machine's ceiling, two -j1 processes on the halves: {ceiling})")
if "boilerstrip -j1 real jsonl" in t:
    # Ratios of times over the same texts (the JSON form holds them escaped, in more bytes).
    print(f"boilerstrip/rg, real jsonl:    {ratio('boilerstrip -j1 real jsonl', 'rg real stream'):.2f}x ripgrep's speed "
          "on the bench's real texts, -j1")
    print(f"boilerstrip/rg, real rules:    {ratio('boilerstrip -j1 real rules', 'rg real stream'):.2f}x ripgrep's speed "
          "on the same texts with the line model off (--disable CLASSIFY), -j1")
    # The directory holds the first -n FILES texts only: MB/s against MB/s.
    rdir, rrg = t["boilerstrip -j1 real dir"], t["rg real stream"]
    print(f"boilerstrip/rg, real dir:      {rdir[0] / rdir[2] / (rrg[0] / rrg[2]):.2f}x ripgrep's speed "
          "on the same texts, one file each, -j1")
    print(f"-j2/-j1, real jsonl:           {ratio('boilerstrip -j2 real jsonl', 'boilerstrip -j1 real jsonl'):.2f}x "
          f"(the machine's ceiling, two -j1 processes on the halves: "
          f"{ratio('2 x -j1 real jsonl halves', 'boilerstrip -j1 real jsonl'):.2f}x)")
# Where -j2 falls short of twice -j1: CPU time it spends beyond -j1's (contention), and cores
# -j1 already keeps busy beyond one (its reader or walker thread runs beside the cleaning).
for shape in ["jsonl", "dir"]:
    one, two = t.get(f"boilerstrip -j1 {shape}"), t.get(f"boilerstrip -j2 {shape}")
    if one and two:
        print(f"CPU time, {shape + ':':<6}                -j2 spent {two[4] / one[4]:.2f}x the CPU time of -j1; "
              f"cores busy: {one[4] / one[2]:.2f} at -j1, {two[4] / two[2]:.2f} at -j2")
PY
