"""Shared fixtures: where the repository, the seeds and the CLI binary are."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import boilerstrip

# python/tests/conftest.py -> the repository root.
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def cleaner() -> boilerstrip.Cleaner:
    return boilerstrip.Cleaner()


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `boilerstrip` binary of this checkout: $BOILERSTRIP_BIN, or built with
    `cargo build --release` (a no-op when it is up to date, as in CI after the seeds step)."""
    given = os.environ.get("BOILERSTRIP_BIN")
    if given:
        return Path(given)
    if shutil.which("cargo") is None:
        pytest.skip("no cargo to build the CLI with, and BOILERSTRIP_BIN is not set")
    build = subprocess.run(
        ["cargo", "build", "--release", "--locked", "--bin", "boilerstrip",
         "--message-format=json-render-diagnostics"],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, check=True, text=True,
    )
    for line in build.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            return Path(message["executable"])
    raise AssertionError("cargo build named no executable")


def run_cli(cli: Path, text: str, *args: str) -> str:
    """What `boilerstrip clean ARGS -` writes for `text` on stdin."""
    done = subprocess.run(
        [str(cli), "clean", *args, "-"], input=text.encode(), stdout=subprocess.PIPE, check=True
    )
    return done.stdout.decode()
