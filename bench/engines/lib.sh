# Shared by bench/engines/spark.sh and ray.sh: the tools they need, installed when missing, and
# the checks every engine recipe passes. Sourced from the repository root.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

# apt-get install PACKAGE... (as root on Debian, as CI runs), or say what is missing.
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "$0: needs $* (Debian packages); install them and run again" >&2
    exit 2
  fi
  echo "== apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

need_python() {
  command -v python3 >/dev/null || apt_install python3 python3-venv
}

# Java 17 (PySpark 4.0 runs on 17 and 21); Debian releases without 17 have a later default.
need_java() {
  command -v java >/dev/null && return
  apt_install openjdk-17-jre-headless || apt_install default-jre-headless
  command -v java >/dev/null || { echo "$0: no java after apt-get install" >&2; exit 2; }
}

# make_venv PIP_REQUIREMENT...: a venv in $tmp with them installed; its python is $venv/python.
make_venv() {
  if ! python3 -m venv "$tmp/venv" >"$tmp/venv.log" 2>&1; then
    apt_install python3 python3-venv
    python3 -m venv "$tmp/venv"
  fi
  venv=$tmp/venv/bin
  echo "== pip install $* (a fresh venv)"
  "$venv/python" -m pip install --quiet "$@"
}

# The release binary: $BOILERSTRIP if set, else built (or found up to date) in the target dir.
release_binary() {
  if [ -z "${BOILERSTRIP:-}" ]; then
    cargo build --locked --release --quiet
    BOILERSTRIP=${CARGO_TARGET_DIR:-$PWD/target}/release/boilerstrip
  fi
  bin=$(realpath "$BOILERSTRIP")
}

# docs_include FILE: docs/jsonl.md shows FILE verbatim as a ```python block, so that the recipe
# the docs give is the one this script runs.
docs_include() {
  python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
block = "```python\n" + open(path, encoding="utf-8").read() + "```\n"
if block not in open("docs/jsonl.md", encoding="utf-8").read():
    sys.exit(f"docs/jsonl.md does not show {path} verbatim in a ```python block; copy it there")
PY
}

# single_run FILE > OUT: the reference, one `boilerstrip clean --format jsonl -` over the file
# with the recipes' options.
single_run() {
  "$bin" clean --format jsonl -j 1 --id-field id --on-error fail -q - < "$1"
}
