"""The checks of bench/engines/ray.sh: python ray_check.py INPUT EXPECTED OUTPUT_DIR BOILERSTRIP

OUTPUT_DIR holds what `ray_clean.py INPUT OUTPUT_DIR BOILERSTRIP` wrote; EXPECTED is one
`boilerstrip clean --format jsonl -` run over INPUT. Records are compared parsed: Ray reads
them into Arrow tables, so the bytes of the other fields are Ray's, not the input's.
"""
import json
import pathlib
import sys

import ray

from ray_clean import clean

src, expected, out, binary = sys.argv[1:5]
want = [json.loads(line) for line in open(expected, encoding="utf-8")]
by_id = lambda record: record["id"]

files = sorted(pathlib.Path(out).glob("*.json"))
got = [json.loads(line) for f in files for line in f.open(encoding="utf-8")]
if sorted(got, key=by_id) != sorted(want, key=by_id):
    sys.exit(f"ray.sh: the {len(got)} records written differ from one run's {len(want)}")
print(f"identical: {len(got)} records (sorted by id) in {len(files)} files")

# In order, and split into five blocks, each a batch of its own.
ray.data.DataContext.get_current().execution_options.preserve_order = True
ds = clean(ray.data.read_json(src).repartition(5), binary)
got = ds.take_all()
if [dict(row) for row in got] != want:
    sys.exit("ray.sh: with preserve_order, the records differ from one run's, in order")
print(f"identical in order: {len(got)} records from 5 blocks")
