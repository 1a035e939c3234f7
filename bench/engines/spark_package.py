"""Clean JSONL dumps with the boilerstrip Python package as a Spark map step (no binary).

spark-submit spark_package.py INPUT OUTPUT
"""
import json
import sys
from itertools import islice

from pyspark import SparkContext


def clean_partition(lines):
    """Each record of a partition with its "text" cleaned, 256 at a time."""
    from boilerstrip import Cleaner  # imported on the executor, which needs the package

    cleaner = Cleaner()
    lines = iter(lines)
    while batch := list(islice(lines, 256)):
        records = [json.loads(line) for line in batch if line.strip()]
        texts = cleaner.clean_many([r["text"] for r in records], threads=1)
        for record, text in zip(records, texts):
            # As `clean --format jsonl` does: a text without a final newline gets none.
            if not record["text"].endswith("\n"):
                text = text.removesuffix("\n")
            record["text"] = text
            yield json.dumps(record, ensure_ascii=False)


if __name__ == "__main__":
    src, dst = sys.argv[1:3]
    sc = SparkContext(appName="boilerstrip")
    sc.textFile(src).mapPartitions(clean_partition).saveAsTextFile(dst)
    sc.stop()
