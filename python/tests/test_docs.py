"""The examples of docs/python.md are real: every ```python block runs, in order, in one
namespace, from the repository root (a block may assert what it shows). A block whose first
line is `# needs: MODULE` is skipped, with the reason, when MODULE is not installed."""

import importlib.util
import re

import pytest

from conftest import REPO

DOC = REPO / "docs" / "python.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text())


def test_the_doc_has_examples():
    assert len(blocks()) >= 2


def needs(code: str) -> str | None:
    found = re.match(r"# needs: (\S+)", code)
    return found[1] if found else None


def run(code: str, number: int, namespace: dict) -> None:
    exec(compile(code, f"{DOC.name}, example {number}", "exec"), namespace)


def test_the_doc_examples_run(monkeypatch):
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    for number, code in enumerate(blocks(), 1):
        if needs(code) is None:
            run(code, number, namespace)


def test_the_doc_examples_that_need_an_extra_run(monkeypatch):
    monkeypatch.chdir(REPO)
    extra = [(n, c, needs(c)) for n, c in enumerate(blocks(), 1) if needs(c)]
    if not extra:
        pytest.skip("no example needs an extra package")
    missing = sorted({m for _, _, m in extra if importlib.util.find_spec(m) is None})
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: its examples did not run")
    namespace: dict = {}
    for number, code in enumerate(blocks(), 1):
        run(code, number, namespace)
