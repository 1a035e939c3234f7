"""Clean JSONL dumps with boilerstrip as a Ray Data map step.

python ray_clean.py INPUT OUTPUT [BOILERSTRIP]
"""
import json
import subprocess
import sys

import pyarrow as pa
import ray

# Its absolute path on every node: Ray's workers need not have the PATH of your shell.
BOILERSTRIP = "/usr/local/bin/boilerstrip"


def cleaner(boilerstrip=BOILERSTRIP):
    """A map_batches function: the batch as JSONL through boilerstrip, its answer parsed."""
    command = [boilerstrip, "clean", "--format", "jsonl", "-j", "1",
               "--id-field", "id", "--on-error", "fail", "-"]

    def clean_batch(batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        # check=True: a non-zero exit raises, and the dataset fails.
        done = subprocess.run(command, input=lines.encode(), stdout=subprocess.PIPE,
                              check=True)
        cleaned = [json.loads(line) for line in done.stdout.split(b"\n") if line]
        return pa.Table.from_pylist(cleaned) if cleaned else batch.slice(0, 0)

    return clean_batch


def clean(ds, boilerstrip=BOILERSTRIP):
    """The dataset of cleaned records: read_json's rows, with their text cleaned."""
    return ds.map_batches(cleaner(boilerstrip), batch_format="pyarrow")


if __name__ == "__main__":
    src, dst = sys.argv[1:3]
    # Rows come out in input order only with preserve_order (else as blocks finish).
    ray.data.DataContext.get_current().execution_options.preserve_order = True
    clean(ray.data.read_json(src), *sys.argv[3:]).write_json(dst)
