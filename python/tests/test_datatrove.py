"""boilerstrip.datatrove: the pipeline step cleans as Cleaner does (skipped without datatrove)."""

import pickle

import pytest

pytest.importorskip("datatrove", reason="datatrove is not installed (pip install datatrove)")

from datatrove.data import Document  # noqa: E402

from boilerstrip import Cleaner  # noqa: E402
from boilerstrip.datatrove import BoilerstripCleaner  # noqa: E402

from conftest import REPO  # noqa: E402

TEXTS = [p.read_bytes().decode() for p in sorted((REPO / "corpus" / "input").glob("*.txt"))]


def documents(texts):
    return [Document(text=t, id=str(i)) for i, t in enumerate(texts)]


@pytest.mark.parametrize("batch_size, threads", [(1, 1), (5, 2), (1000, None)])
def test_the_step_cleans_as_the_cleaner_does(batch_size, threads):
    step = BoilerstripCleaner(batch_size=batch_size, threads=threads)
    out = list(step.run(documents(TEXTS)))
    assert [d.id for d in out] == [str(i) for i in range(len(TEXTS))]
    assert [d.text for d in out] == Cleaner().clean_many(TEXTS)
    assert step.stats["total"].total == len(TEXTS)
    assert step.stats["changed"].total == sum(Cleaner().clean(t) != t for t in TEXTS)


def test_the_step_passes_options_and_drops_empty_documents_when_asked():
    texts = ["Share this:\n", "The text.\n\nShare this:\n"]
    kept = list(BoilerstripCleaner().run(documents(texts)))
    assert [d.text for d in kept] == ["", "The text.\n"]
    dropped = list(BoilerstripCleaner(drop_empty=True).run(documents(texts)))
    assert [d.id for d in dropped] == ["1"]
    untouched = list(BoilerstripCleaner(builtin=False).run(documents(["Share this:\n"])))
    assert [d.text for d in untouched] == ["Share this:\n"]


def test_bad_options_fail_when_the_pipeline_is_made():
    with pytest.raises(ValueError, match="cannot disable"):
        BoilerstripCleaner(disable=["NOPE"])


def test_the_step_pickles_for_datatrove_workers():
    step = pickle.loads(pickle.dumps(BoilerstripCleaner(disable=["REJOIN"])))
    assert [d.text for d in step.run(documents(TEXTS[:3]))] == Cleaner(
        disable=["REJOIN"]
    ).clean_many(TEXTS[:3])
