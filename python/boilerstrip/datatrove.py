"""A datatrove pipeline step that cleans each document's text with boilerstrip.

Importable only where datatrove is installed (``pip install datatrove``)::

    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from boilerstrip.datatrove import BoilerstripCleaner

    pipeline = [
        JsonlReader("crawl/"),
        BoilerstripCleaner(disable=["COMMENTS"]),
        JsonlWriter("clean/"),
    ]

Documents are cleaned in batches with ``Cleaner.clean_many``; the output is what
``boilerstrip clean`` makes of each text.
"""

from collections.abc import Iterator
from itertools import islice

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from boilerstrip import Cleaner


class BoilerstripCleaner(PipelineStep):
    """Replace each document's text with its cleaned text.

    Args:
        batch_size: documents handed to ``clean_many`` at a time.
        threads: threads per batch (``clean_many``'s ``threads``). The default, 1, suits
            datatrove's own parallelism (one task per core); ``None`` uses every core.
        drop_empty: drop the documents that clean to nothing (as the CLI's ``--drop-empty``);
            by default they are kept, with an empty text.
        **options: the arguments of :class:`boilerstrip.Cleaner` (``patterns``, ``disable``,
            ``input_kind``, ...). They are checked here, when the pipeline is made; the cleaner
            itself is built in each task, since a ``Cleaner`` is not pickled.

    Stats: ``total``, ``changed`` (the text changed), ``emptied`` (cleaned to nothing),
    ``dropped`` (with ``drop_empty``) and ``chars_removed``.
    """

    name = "🧹 boilerstrip"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        batch_size: int = 256,
        threads: int | None = 1,
        drop_empty: bool = False,
        **options,
    ):
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"invalid value '{batch_size}' for 'batch_size': not 1 or more")
        Cleaner(**options)  # bad options fail now, not in a worker
        self.batch_size = batch_size
        self.threads = threads
        self.drop_empty = drop_empty
        self.options = options

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        cleaner = Cleaner(**self.options)
        for batch in _batches(data, self.batch_size):
            with self.track_time(unit="batch"):
                texts = cleaner.clean_many([doc.text for doc in batch], threads=self.threads)
            for doc, text in zip(batch, texts):
                self.stat_update("total")
                if text != doc.text:
                    self.stat_update("changed")
                    self.stat_update("chars_removed", value=len(doc.text) - len(text))
                doc.text = text
                if not text:
                    self.stat_update("emptied")
                    if self.drop_empty:
                        self.stat_update("dropped")
                        continue
                yield doc


def _batches(data: DocumentsPipeline, size: int) -> Iterator[list[Document]]:
    it = iter(data)
    while batch := list(islice(it, size)):
        yield batch
