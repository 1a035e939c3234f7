#!/usr/bin/env bash
# Build the Python package from this checkout in a fresh venv and run its tests, as a user would
# install it: `pip install ./python`. Run from anywhere: `bash python/test.sh`.
#
# Needs python3 (3.10 or later) with its venv module, cargo, and PyPI (maturin, pytest, and
# datatrove, datasets and ray[data], whose tests otherwise skip). The venv lives in a temporary directory
# and is removed at the end. The Rust build goes to $CARGO_TARGET_DIR, by default the
# repository's target/: the dependencies the root crate's release build compiled there are
# reused (only PyO3 and the module are compiled, half the time of a build of its own), and a
# second run only relinks.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$python" -m venv "$tmp/venv" >"$tmp/venv.log" 2>&1; then
  cat "$tmp/venv.log" >&2
  echo "python/test.sh: '$python -m venv' failed. On Debian or Ubuntu the venv module is a" \
    "package of its own: apt-get install python3-venv" >&2
  exit 1
fi
venv=$tmp/venv/bin
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

echo "== pip install maturin pytest datatrove datasets ray[data] (the engines' tests run against the real frameworks)"
"$venv/python" -m pip install --quiet maturin pytest datatrove datasets "ray[data]"
echo "== pip install ./python (builds the Rust module in release mode)"
"$venv/python" -m pip install --quiet ./python
echo "== python -m pytest python/tests"
# -rs: say why a test was skipped; no cache directory left in the checkout.
"$venv/python" -m pytest python/tests -q -rs -p no:cacheprovider
