#!/usr/bin/env bash
# Runs the Spark recipe of docs/jsonl.md ("In distributed engines"), bench/engines/spark_clean.py,
# with spark-submit in local mode (local[2], so the input is split in two) and checks that
#   (a) its output, the part files in order, equals one `boilerstrip clean --format jsonl -` run
#       over the same 300-record file, byte for byte;
#   (b) a line that is not JSON fails the job under --on-error fail: spark-submit exits non-zero
#       and the output has no _SUCCESS;
#   (c) what textFile does to lines, as the docs say: a CR before the line feed is gone and an
#       invalid UTF-8 byte is U+FFFD, so the output is one run over the lines so changed.
#   (d) the Python-package recipe, bench/engines/spark_package.py, gives the same records (each
#       record's fields and text) as one run of the binary;
# and that docs/jsonl.md shows both recipes verbatim.
#
# Installs Java (apt-get, Debian's openjdk-17-jre-headless) when `java` is missing, and PySpark
# in a fresh venv in a temporary directory. BOILERSTRIP=PATH tests that binary instead of
# building the release binary. Run from anywhere: `bash bench/engines/spark.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/engines/lib.sh

need_python
docs_include bench/engines/spark_clean.py
docs_include bench/engines/spark_package.py
need_java
# PySpark 4.0 runs on Java 17 and 21, Python 3.9 and later.
make_venv "pyspark==4.0.1"
release_binary

submit() { # submit INPUT OUTPUT: the recipe as a user runs it; Spark's log goes to $tmp/spark.log
  PYSPARK_PYTHON=$venv/python "$venv/spark-submit" --master 'local[2]' \
    --conf spark.ui.enabled=false bench/engines/spark_clean.py "$1" "$2" "$bin" \
    >>"$tmp/spark.log" 2>&1
}
failed() { echo "spark.sh: $*; the end of Spark's log:" >&2; tail -40 "$tmp/spark.log" >&2; exit 1; }
parts() { for part in "$1"/part-*.gz; do gzip -dc "$part"; done; }

echo "== (a) the recipe's output equals one run over the whole file"
python3 bench/engines/make_jsonl.py 300 "$tmp/in.jsonl" --exact
single_run "$tmp/in.jsonl" >"$tmp/expected.jsonl"
submit "$tmp/in.jsonl" "$tmp/out" || failed "the job failed"
[ -e "$tmp/out/_SUCCESS" ] || failed "no _SUCCESS"
[ "$(ls "$tmp"/out/part-*.gz | wc -l)" -ge 2 ] || failed "the input was not split"
if ! parts "$tmp/out" | cmp -s - "$tmp/expected.jsonl"; then
  parts "$tmp/out" | diff "$tmp/expected.jsonl" - | head -20 >&2
  failed "the output differs from one run"
fi
echo "identical: $(wc -l <"$tmp/expected.jsonl") lines in $(ls "$tmp"/out/part-*.gz | wc -l) parts"

echo "== (b) a line that is not JSON fails the job and leaves no _SUCCESS"
python3 - "$tmp/in.jsonl" "$tmp/bad.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").readlines()
lines.insert(200, "not json\n")
open(sys.argv[2], "w", encoding="utf-8").writelines(lines)
PY
if submit "$tmp/bad.jsonl" "$tmp/bad-out"; then
  failed "the job succeeded"
fi
[ ! -e "$tmp/bad-out/_SUCCESS" ] || failed "the failed job left a _SUCCESS"
grep -q "malformed JSON" "$tmp/spark.log" || failed "boilerstrip's error is not in the log"
grep -q "PIPE_FUNCTION_EXITED" "$tmp/spark.log" || failed "the job did not fail on the exit code"
echo "failed as it should: spark-submit exited non-zero, no _SUCCESS"

echo "== (c) textFile drops the CR of CRLF and makes invalid UTF-8 into U+FFFD"
printf '%s\r\n%s\xff"}\n%s\n' \
  '{"id":"crlf","text":"Skip to content\n\nThe bridge opened."}' \
  '{"id":"bad-utf8","text":"Skip to content\n\nThe bridge opened.' \
  '{"id":"plain","text":"Skip to content\n\nThe bridge opened."}' >"$tmp/caveats.jsonl"
# Alone, boilerstrip keeps the CR and fails on the byte (--on-error fail)...
if single_run "$tmp/caveats.jsonl" >/dev/null 2>&1; then failed "one run accepted invalid UTF-8"; fi
# ...but under Spark it sees the lines as textFile decodes them, and the job succeeds.
python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], "rb").read()
  .decode("utf-8", "replace").replace("\r\n", "\n").encode())' "$tmp/caveats.jsonl" \
  >"$tmp/caveats-decoded.jsonl"
single_run "$tmp/caveats-decoded.jsonl" >"$tmp/caveats-expected.jsonl"
submit "$tmp/caveats.jsonl" "$tmp/caveats-out" || failed "the job failed"
parts "$tmp/caveats-out" | cmp -s - "$tmp/caveats-expected.jsonl" ||
  failed "the output is not one run over the decoded lines"
echo "as documented: no CR, U+FFFD for the byte, the job succeeded"
echo "== (d) the Python package's recipe gives the records of one run"
# The package is built in the target dir the release binary was built in (a relink when
# python/test.sh has run before, as in .ci/run).
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target} "$venv/python" -m pip install --quiet ./python
PYSPARK_PYTHON=$venv/python "$venv/spark-submit" --master 'local[2]' \
  --conf spark.ui.enabled=false bench/engines/spark_package.py "$tmp/in.jsonl" "$tmp/package-out" \
  >>"$tmp/spark.log" 2>&1 || failed "the package's job failed"
[ -e "$tmp/package-out/_SUCCESS" ] || failed "no _SUCCESS from the package's job"
cat "$tmp"/package-out/part-* >"$tmp/package.jsonl"
python3 - "$tmp/expected.jsonl" "$tmp/package.jsonl" <<'PY' || failed "the package's records differ from one run"
import json, sys
want, got = ([json.loads(l) for l in open(p, encoding="utf-8") if l.strip()] for p in sys.argv[1:])
assert len(got) == len(want), (len(got), len(want))
assert got == want, next(g["id"] for g, w in zip(got, want) if g != w)
PY
echo "identical: $(wc -l <"$tmp/package.jsonl") records"
echo "spark.sh: all checks passed"
