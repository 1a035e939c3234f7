"""The package cleans to the same bytes as the CLI: on the seeds (against their expected files,
as .ci/run checks the binary) and on every file of the repository's corpus (against the binary's
own output)."""

from pathlib import Path

import pytest

from conftest import REPO, SHARED, run_cli

SEEDS = SHARED / "seeds"
CORPUS = sorted((REPO / "corpus").glob("*/*.txt"))


def read(path: Path) -> str:
    # Bytes decoded as they are: no newline translation (the corpus has CRLF and lone CR).
    return path.read_bytes().decode("utf-8")


def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.mark.skipif(
    not (SEEDS / "expected").is_dir(),
    reason=f"no seeds at {SEEDS}: ../shared is not beside this checkout",
)
@pytest.mark.parametrize("seed", seeds(), ids=lambda p: p.name)
def test_seed_cleans_to_its_expected_file(cleaner, seed):
    assert cleaner.clean(read(seed)) == read(SEEDS / "expected" / seed.name)


def test_the_corpus_is_there():
    # corpus/input and corpus/expected: 42 articles each.
    assert len(CORPUS) >= 60, CORPUS


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_cleans_as_the_cli_cleans_it(cleaner, cli, path):
    text = read(path)
    assert cleaner.clean(text) == run_cli(cli, text)


def test_corpus_inputs_clean_to_the_expected_files(cleaner):
    for path in sorted((REPO / "corpus" / "input").glob("*.txt")):
        assert cleaner.clean(read(path)) == read(REPO / "corpus" / "expected" / path.name), path.name


def test_options_clean_as_the_cli_options_do(cli):
    """A few options, the same way through both doors."""
    from boilerstrip import Cleaner

    cases = [
        (dict(disable=["CLASSIFY", "COMMENTS"]), ["--disable", "CLASSIFY,COMMENTS"]),
        (dict(input_kind="page"), ["--input-kind", "page"]),
        (dict(keep_threshold=0.5), ["--keep-threshold", "0.5"]),
        (dict(fold_punctuation=True), ["--fold-punctuation"]),
        (dict(comments_min_article_words=80), ["--comments-min-article-words", "80"]),
        (dict(builtin=False), ["--no-default-patterns"]),
    ]
    texts = [read(p) for p in sorted((REPO / "corpus" / "input").glob("*.txt"))[::5]]
    for kwargs, args in cases:
        cleaner = Cleaner(**kwargs)
        for text in texts:
            assert cleaner.clean(text) == run_cli(cli, text, *args), (kwargs, text[:60])
