#!/usr/bin/env bash
# Runs the Ray Data recipe of docs/jsonl.md ("In distributed engines"), bench/engines/ray_clean.py,
# on a local Ray and checks (bench/engines/ray_check.py) that the records it writes equal those
# of one `boilerstrip clean --format jsonl -` run over the same 300-record file (parsed and sorted
# by id: Ray holds rows as Arrow tables, not lines), and that with preserve_order, over five
# blocks, they come in input order; and that docs/jsonl.md shows ray_clean.py verbatim.
#
# Installs ray[data] in a fresh venv in a temporary directory. BOILERSTRIP=PATH tests that
# binary instead of building the release binary. Run from anywhere: `bash bench/engines/ray.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/engines/lib.sh

need_python
docs_include bench/engines/ray_clean.py
make_venv "ray[data]==2.60.0"
release_binary

python3 bench/engines/make_jsonl.py 300 "$tmp/in.jsonl"
single_run "$tmp/in.jsonl" >"$tmp/expected.jsonl"
# No usage report, and the session directory (logs, sockets) in $tmp, removed at the end.
export RAY_USAGE_STATS_ENABLED=0 RAY_TMPDIR=$tmp
echo "== the recipe, then its output compared with one run"
if ! "$venv/python" bench/engines/ray_clean.py "$tmp/in.jsonl" "$tmp/out" "$bin" >"$tmp/ray.log" 2>&1 ||
  ! (cd bench/engines && "$venv/python" ray_check.py "$tmp/in.jsonl" "$tmp/expected.jsonl" \
    "$tmp/out" "$bin" 2>>"$tmp/ray.log"); then
  echo "ray.sh: failed; the end of Ray's log:" >&2
  tail -40 "$tmp/ray.log" >&2
  exit 1
fi
echo "ray.sh: all checks passed"
