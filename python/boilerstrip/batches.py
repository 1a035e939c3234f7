"""Clean a column of batches: the map step of Hugging Face ``datasets`` and Ray Data.

No framework is imported here; a batch is a ``dict`` of columns (what ``datasets.map(batched=True)``
and Ray Data's ``"numpy"`` and ``"default"`` batch formats give) or a pandas ``DataFrame``
(Ray's ``"pandas"`` format)::

    from boilerstrip.batches import CleanBatch

    dataset = dataset.map(CleanBatch(), batched=True)                  # Hugging Face datasets
    data = data.map_batches(CleanBatch(), batch_format="pandas")       # Ray Data

The other columns are passed through as they are; a text that is not a string (``None``) is left
as it is.
"""

from boilerstrip import Cleaner


class CleanBatch:
    """A callable that cleans ``column`` of each batch it is given.

    Args:
        column: the column holding the text to clean (``"text"``).
        threads: threads per batch (``Cleaner.clean_many``'s ``threads``). The default, 1, suits
            engines that run a task per core; ``None`` uses every core.
        **options: the arguments of :class:`boilerstrip.Cleaner`. They are checked here; the
            cleaner itself is built where the batches are cleaned, on first use, since a
            ``Cleaner`` is not pickled (engines pickle the function to send it to workers).
    """

    def __init__(self, column: str = "text", threads: int | None = 1, **options):
        Cleaner(**options)  # bad options fail now, not in a worker
        self.column = column
        self.threads = threads
        self.options = options
        self._cleaner = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    def __call__(self, batch):
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.options)
        if self.column not in batch:
            raise KeyError(f"no column {self.column!r} in the batch (it has {list(batch.keys())})")
        texts = list(batch[self.column])
        at = [i for i, text in enumerate(texts) if isinstance(text, str)]
        cleaned = self._cleaner.clean_many([texts[i] for i in at], threads=self.threads)
        for i, text in zip(at, cleaned):
            texts[i] = text
        if hasattr(batch, "columns") and hasattr(batch, "copy"):  # a pandas DataFrame
            out = batch.copy()
            out[self.column] = texts
            return out
        out = dict(batch)
        column = batch[self.column]
        if type(column).__module__ == "numpy":  # Ray's numpy format: an array of objects
            import numpy

            out[self.column] = numpy.array(texts, dtype=object)
        else:
            out[self.column] = texts
        return out
