"""The Python API: clean, clean_many, clean_with_hits, and the errors."""

import threading
from pathlib import Path

import pytest

import boilerstrip
from boilerstrip import Cleaner, Hit, PatternError

from conftest import REPO

PAGE = (
    "Accessibility links\n\nBreaking News\n\nMayor Opens New Bridge\n\n"
    "The bridge opened on Monday.\n\nSource link\n\nAbout admin\n"
)
CORPUS = [p.read_bytes().decode() for p in sorted((REPO / "corpus" / "input").glob("*.txt"))]


def test_clean_removes_boilerplate(cleaner):
    assert cleaner.clean(PAGE) == "Mayor Opens New Bridge\n\nThe bridge opened on Monday.\n"


def test_clean_of_nothing_is_nothing(cleaner):
    assert cleaner.clean("") == ""


def test_clean_many_is_clean_one_by_one_at_any_thread_count(cleaner):
    one_by_one = [cleaner.clean(t) for t in CORPUS]
    for threads in (None, 1, 2):
        assert cleaner.clean_many(CORPUS, threads=threads) == one_by_one, threads


def test_clean_many_takes_any_iterable_and_keeps_order(cleaner):
    texts = CORPUS[:5] * 3
    assert cleaner.clean_many(iter(texts), threads=2) == [cleaner.clean(t) for t in texts]
    assert cleaner.clean_many([], threads=2) == []


def test_a_cleaner_is_shared_across_python_threads(cleaner):
    expected = [cleaner.clean(t) for t in CORPUS]
    results = {}

    def work(k):
        results[k] = [cleaner.clean(t) for t in CORPUS]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


def test_clean_with_hits_names_rule_line_and_kind(cleaner):
    text, hits = cleaner.clean_with_hits(PAGE)
    assert text == cleaner.clean(PAGE)
    assert [(h.id, h.line, h.kind, h.text) for h in hits] == [
        ("NAV001", 1, "removed", "Accessibility links"),
        ("NAV002", 3, "removed", "Breaking News"),
        ("WP001", 9, "removed", "Source link"),
        ("WP001", 11, "removed", "About admin"),
    ]
    assert all(h.reason is None and h.probability is None for h in hits)
    assert repr(hits[0]) == (
        "Hit(id='NAV001', line=1, kind='removed', text='Accessibility links', reason=None, "
        "probability=None)"
    )


def test_clean_with_hits_reports_strips_joins_and_the_line_model(cleaner):
    kinds = {}
    for text in CORPUS:
        for hit in cleaner.clean_with_hits(text)[1]:
            kinds.setdefault(hit.kind, hit)
    assert set(kinds) == {"removed", "stripped", "joined"}
    model_hits = [h for t in CORPUS for h in cleaner.clean_with_hits(t)[1] if h.id == "CLASSIFY"]
    assert model_hits, "the corpus has lines the line model removes"
    assert all(0.0 <= h.probability <= 1.0 and h.reason for h in model_hits)


def test_hits_are_values(cleaner):
    a = cleaner.clean_with_hits(PAGE)[1]
    b = cleaner.clean_with_hits(PAGE)[1]
    assert a == b and a[0] != a[1]
    with pytest.raises(AttributeError):
        a[0].line = 2


def test_disable_by_id_set_and_pass():
    assert Cleaner(disable=["NAV001"]).clean(PAGE).startswith("Accessibility links\n")
    both = Cleaner(disable=["NAV001,NAV002"]).clean(PAGE)
    assert both.startswith("Accessibility links\n\nBreaking News\n")
    assert "NAV001" not in Cleaner(disable=["NAV001"]).rules
    assert Cleaner(builtin=False).rules == []
    assert Cleaner(disable=["REJOIN"]).patterns_hash != Cleaner().patterns_hash


def test_a_pattern_file_adds_its_rules(tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text(
        '[[rule]]\nid = "MY1"\nwhy = "our footer"\nphrases = ["Powered by Foo"]\n'
        'match = "line"\naction = "drop"\nremove = ["Powered by Foo"]\nkeep = ["Foo"]\n'
    )
    cleaner = Cleaner([rules])
    assert "MY1" in cleaner.rules
    assert cleaner.clean("Text.\n\nPowered by Foo\n") == "Text.\n"
    assert Cleaner([str(tmp_path)]).clean("Text.\n\nPowered by Foo\n") == "Text.\n"


def test_a_bad_pattern_file_raises_pattern_error_naming_file_line_and_rule(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[rule]]\nid = "MY1"\nwhy = "w"\nregex = "(unclosed"\nmatch = "line"\n'
        'action = "drop"\nremove = ["x"]\n'
    )
    with pytest.raises(PatternError) as caught:
        Cleaner([bad])
    message = str(caught.value)
    assert message.startswith(f"{bad}:"), message
    assert "rule MY1" in message
    assert caught.value.file == str(bad)
    assert caught.value.rule_id == "MY1"
    assert isinstance(caught.value, ValueError)


def test_a_pattern_error_has_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "MY1"\nwhy = "w"\nphrases = ["x"]\nmatch = "line"\nfoo = 1\n')
    with pytest.raises(PatternError) as caught:
        Cleaner([bad])
    assert caught.value.line is not None
    assert str(caught.value).startswith(f"{bad}:{caught.value.line}:"), str(caught.value)


def test_a_missing_pattern_file_is_a_pattern_error(tmp_path):
    with pytest.raises(PatternError, match="nope.toml"):
        Cleaner([tmp_path / "nope.toml"])


def test_a_rule_id_defined_twice_is_a_pattern_error(tmp_path):
    rules = tmp_path / "twice.toml"
    rules.write_text(
        '[[rule]]\nid = "NAV001"\nwhy = "w"\nphrases = ["Foo bar"]\nmatch = "line"\n'
        'action = "drop"\nremove = ["Foo bar"]\nkeep = ["Foo"]\n'
    )
    with pytest.raises(PatternError, match="NAV001 is defined twice") as caught:
        Cleaner([rules])
    assert caught.value.rule_id == "NAV001"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(disable=["NOPE"]), 'cannot disable "NOPE": no such rule, set or pass'),
        (dict(input_kind="pages"), "invalid value 'pages' for 'input_kind'"),
        (dict(keep_threshold=1.5), "not a fraction between 0 and 1"),
        (dict(keep_threshold=float("nan")), "not a fraction between 0 and 1"),
        (dict(comments_min_signatures=-1), "not a count"),
    ],
)
def test_bad_options_raise_value_error_with_the_cli_message(kwargs, message):
    with pytest.raises(ValueError) as caught:
        Cleaner(**kwargs)
    assert message in str(caught.value)
    assert not isinstance(caught.value, PatternError)


def test_bad_threads_raise_value_error(cleaner):
    with pytest.raises(ValueError, match="threads"):
        cleaner.clean_many(["a"], threads=-1)


def test_a_model_that_is_no_model_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="reading the model"):
        Cleaner(model=tmp_path / "none.bsm")
    junk = tmp_path / "junk.bsm"
    junk.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="junk.bsm"):
        Cleaner(model=junk)


def test_the_built_in_model_given_as_a_file_cleans_alike(cleaner):
    model = REPO / "models" / "default.bsm"
    assert Cleaner(model=model).clean_many(CORPUS) == cleaner.clean_many(CORPUS)


@pytest.mark.parametrize("value", [5, None, b"bytes", ["a list"]])
def test_clean_takes_only_str(cleaner, value):
    with pytest.raises(TypeError):
        cleaner.clean(value)
    with pytest.raises(TypeError):
        cleaner.clean_with_hits(value)


def test_clean_many_names_the_text_that_is_not_str(cleaner):
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        cleaner.clean_many(["a", 5])
    with pytest.raises(TypeError, match="not a str"):
        cleaner.clean_many("a str is not a list")


def test_patterns_and_disable_must_be_lists():
    with pytest.raises(TypeError):
        Cleaner("a-path.toml")
    with pytest.raises(TypeError):
        Cleaner(disable="NAV001")


def test_the_package_exports_its_api():
    assert set(boilerstrip.__all__) == {"Cleaner", "Hit", "HitKind", "PatternError", "__version__"}
    assert boilerstrip.__version__
    assert Hit.__module__ == Cleaner.__module__ == PatternError.__module__ == "boilerstrip"
    stubs = Path(boilerstrip.__file__).with_name("__init__.pyi")
    assert stubs.is_file() and stubs.with_name("py.typed").is_file()
