"""Strip boilerplate from the extracted text of scraped articles.

The Python face of the boilerstrip cleaner (a Rust library): ``Cleaner(...)`` takes the options of
``boilerstrip clean`` and cleans to the same bytes as the command line. See docs/python.md.

>>> from boilerstrip import Cleaner
>>> Cleaner().clean("Skip to content\\n\\nThe council met on Monday.\\n\\nLeave a Reply\\nGreat post!\\n")
'The council met on Monday.\\n'
"""

from typing import Literal

try:
    from boilerstrip._native import Cleaner, Hit, PatternError, __version__
except ImportError as err:  # pragma: no cover - only in a source tree
    raise ImportError(
        "boilerstrip's Rust module (boilerstrip._native) is missing: this is the source tree, not "
        "the installed package; install it with `pip install ./python` from the repository and "
        "import it from elsewhere than python/"
    ) from err

HitKind = Literal["removed", "stripped", "joined"]
"""What a :class:`Hit` did to its line."""

__all__ = ["Cleaner", "Hit", "HitKind", "PatternError", "__version__"]
