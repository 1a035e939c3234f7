"""Strip boilerplate from the extracted text of scraped articles.

The Python face of the boilerstrip cleaner (a Rust library): ``Cleaner(...)`` takes the options
of ``boilerstrip clean`` and cleans to the same bytes as the command line. See docs/python.md.
"""

import os
from collections.abc import Iterable, Sequence
from typing import Literal, TypeAlias, final

__version__: str

HitKind: TypeAlias = Literal["removed", "stripped", "joined"]
"""What a :class:`Hit` did to its line."""

class PatternError(ValueError):
    """A pattern file that cannot be used: a TOML error, an unknown field, a bad regex, a rule id
    defined twice, or a file that cannot be read.

    The message names the file, line and rule as the CLI's does
    (``my-rules.toml:7: rule MY1: unknown field `phrase` ...``).
    """

    file: str | None
    """The pattern file (``<default>/NAME.toml`` for a built-in set); ``None`` where unknown."""
    line: int | None
    """1-based line in the file, where known."""
    rule_id: str | None
    """The rule the error is about, where known."""

@final
class Hit:
    """One change to a document, attributed to the rule or pass that made it."""

    @property
    def id(self) -> str:
        """Rule id (``NAV001``) or pass id (``CLASSIFY``, ``COMMENTS``, ``DEDUPE``, ``REJOIN``)."""
    @property
    def line(self) -> int:
        """1-based line number in the normalized input."""
    @property
    def kind(self) -> HitKind:
        """``"removed"`` (the whole line), ``"stripped"`` (a prefix or suffix of it) or
        ``"joined"`` (onto the previous kept line)."""
    @property
    def text(self) -> str:
        """The removed text: the whole line, or the stripped part; for a join, the joined line."""
    @property
    def reason(self) -> str | None:
        """The main reason, for passes that decide line by line (the line model, comment
        sections); ``None`` for rules."""
    @property
    def probability(self) -> float | None:
        """For the line model (``CLASSIFY``): its probability that the line was content."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cleaner:
    """Removes boilerplate from article text, as ``boilerstrip clean`` does.

    Build one and reuse it: building compiles the rules (tens of milliseconds), cleaning a short
    text takes microseconds. A cleaner is safe to share between threads, and releases the GIL
    while it cleans.
    """

    def __new__(
        cls,
        patterns: Sequence[str | os.PathLike[str]] | None = None,
        *,
        builtin: bool = True,
        disable: Sequence[str] | None = None,
        input_kind: Literal["auto", "article", "page"] = "auto",
        model: str | os.PathLike[str] | None = None,
        keep_threshold: float | None = None,
        fold_punctuation: bool = False,
        comments_min_article_words: int | None = None,
        comments_min_signatures: int | None = None,
        comments_max_gap_lines: int | None = None,
        comments_header_lines: int | None = None,
        explain: bool = False,
    ) -> Cleaner:
        """Build a cleaner; each argument is an option of ``boilerstrip clean``.

        Args:
            patterns: pattern files, or directories of ``*.toml`` files, added to the built-in
                sets (``--patterns``).
            builtin: start from the built-in pattern sets; ``False`` starts with no rules
                (``--no-default-patterns``).
            disable: rule ids or names, set names, or passes (``CLASSIFY``, ``COMMENTS``,
                ``DEDUPE``, ``LEARN``, ``REJOIN``) to disable; an item may be comma-separated
                (``--disable``).
            input_kind: what the texts are, which decides how sure the line model must be to
                remove a line (``--input-kind``).
            model: a line model file made by ``boilerstrip train`` instead of the built-in one
                (``--model``).
            keep_threshold: remove lines whose probability of being content is under this
                fraction, instead of under the model's own threshold (``--keep-threshold``).
            fold_punctuation: fold typographic quotes, dashes and ellipses to ASCII
                (``--fold-punctuation``).
            comments_min_article_words: ``--comments-min-article-words`` (default 0).
            comments_min_signatures: ``--comments-min-signatures`` (default 3).
            comments_max_gap_lines: ``--comments-max-gap-lines`` (default 15).
            comments_header_lines: ``--comments-header-lines`` (default 5).
            explain: line-model hits from ``clean_with_hits`` name, in ``reason``, the features
                that weighed most against the line (as ``clean --explain``).

        Raises:
            PatternError: a pattern file cannot be read or used (a ``ValueError``).
            ValueError: a name ``disable`` does not know, or a value out of range, with the
                message the CLI gives.
            FileNotFoundError: ``model`` does not exist (``OSError`` for other read errors).
            TypeError: an argument of the wrong type (``patterns`` or ``disable`` given a
                ``str`` instead of a list).
        """
    def clean(self, text: str) -> str:
        """The cleaned text: the bytes ``boilerstrip clean -`` writes for ``text``.

        Raises:
            TypeError: ``text`` is not a ``str`` (decode ``bytes`` first).
            UnicodeEncodeError: ``text`` holds a lone surrogate.
        """
    def clean_many(self, texts: Iterable[str], threads: int | None = None) -> list[str]:
        """The cleaned texts, in the order given, cleaned on ``threads`` threads with the GIL
        released; the output is the same for any number of threads.

        Args:
            texts: the texts (a list, or any iterable of ``str`` but a ``str``).
            threads: ``None`` or 0 uses all cores; 1 cleans in the calling thread.

        Raises:
            TypeError: an item is not a ``str`` (the message names its index), or ``texts`` is
                a ``str``.
            ValueError: ``threads`` is negative.
        """
    def clean_with_hits(self, text: str) -> tuple[str, list[Hit]]:
        """The cleaned text and every change made to ``text``, in line order."""
    @property
    def patterns_hash(self) -> str:
        """``sha256:...`` of the active rules and passes, as in the CLI's audit report: two
        cleaners with the same hash and options clean alike."""
    @property
    def rules(self) -> list[str]:
        """The ids of the active rules, in load order."""

__all__ = ["Cleaner", "Hit", "HitKind", "PatternError", "__version__"]
