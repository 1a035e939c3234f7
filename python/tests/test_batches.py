"""CleanBatch as the map step of Hugging Face datasets and Ray Data, run for real when the
framework is installed (python/test.sh installs both), and on plain dicts always."""

import pickle

import pytest

from boilerstrip import Cleaner
from boilerstrip.batches import CleanBatch

TEXTS = [
    "Skip to content\n\nThe council met on Monday to vote on the budget.\n\nLeave a Reply\nGreat!\n",
    "The bridge reopens next week after two years of repairs.\n\nShare this article\n",
    "",
    "Accessibility links\n\nA plain sentence that stays as it is.\n",
]


def expected():
    cleaner = Cleaner()
    return [cleaner.clean(text) for text in TEXTS]


def test_a_dict_batch_is_cleaned_and_other_columns_pass_through():
    batch = {"id": list(range(len(TEXTS))), "text": TEXTS + [], "other": ["x"] * len(TEXTS)}
    out = CleanBatch()(batch)
    assert out["text"] == expected()
    assert out["id"] == batch["id"] and out["other"] == batch["other"]
    assert batch["text"] == TEXTS, "the batch given is not changed"


def test_a_text_that_is_not_a_string_is_left_as_it_is():
    out = CleanBatch(column="body")({"body": [TEXTS[0], None]})
    assert out["body"] == [expected()[0], None]


def test_a_missing_column_and_bad_options_are_errors():
    with pytest.raises(KeyError, match="no column 'text'"):
        CleanBatch()({"body": TEXTS})
    with pytest.raises(ValueError):
        CleanBatch(disable=["NO-SUCH-PASS"])


def test_it_pickles_without_its_cleaner():
    step = CleanBatch(disable=["COMMENTS"])
    step({"text": TEXTS})  # builds the cleaner
    again = pickle.loads(pickle.dumps(step))
    assert again({"text": TEXTS})["text"] == step({"text": TEXTS})["text"]


def test_hugging_face_datasets_map():
    datasets = pytest.importorskip("datasets", reason="datasets is not installed (pip install datasets)")
    data = datasets.Dataset.from_dict({"id": list(range(len(TEXTS))), "text": TEXTS})
    for num_proc in (None, 2):
        out = data.map(CleanBatch(), batched=True, batch_size=2, num_proc=num_proc)
        assert out["text"] == expected(), num_proc
        assert out["id"] == list(range(len(TEXTS)))


def test_ray_data_map_batches():
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray[data]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        data = ray.data.from_items([{"id": i, "text": t} for i, t in enumerate(TEXTS)])
        for batch_format in ("numpy", "pandas"):
            rows = data.map_batches(CleanBatch(), batch_format=batch_format, batch_size=2).take_all()
            assert [row["text"] for row in rows] == expected(), batch_format
            assert [row["id"] for row in rows] == list(range(len(TEXTS)))
    finally:
        ray.shutdown()
