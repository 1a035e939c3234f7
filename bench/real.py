#!/usr/bin/env python3
"""Write the bench's real texts as a benchmark input: the texts the cleaner is run on in
../shared/bench (raw page dumps and extractors' output, 386 sites, not the *.gold.txt), as they
are, repeated in full until the input holds at least --mb MB.

gen.py recombines the 42 articles of corpus/input, 172 KB in all: its input is fine for memory,
parallelism and the formats, but its lines are shorter than real text's (which costs the line
model more a byte), and a text that small, repeated, needs few states of ripgrep's lazily built
automaton (which makes ripgrep faster from the start). This input is what a user's scrape looks
like: 386 sites, raw page dumps and extractors' output, long and short lines.

  real.py --bench ../shared/bench --out DIR --mb 100 [--files 20000]

writes DIR/stream.txt (all texts, a blank line between), DIR/docs.jsonl ({"id", "text"} records,
the same texts) and DIR/files/RRR/NAME.txt (the same texts again, one file each, the first
--files of them). The texts are read in the order of their names, so the same bench gives the
same bytes.
"""
import argparse
import json
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=Path, default=Path("../shared/bench"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--files", type=int, default=100_000)
    args = ap.parse_args()

    paths = sorted(p for p in args.bench.glob("*/*.txt") if not p.name.endswith(".gold.txt"))
    if not paths:
        raise SystemExit(f"real.py: no texts under {args.bench}/*/")
    texts = [(p.name, p.read_bytes().decode("utf-8", "replace")) for p in paths]
    target = args.mb * 1_000_000
    size = n = rounds = 0
    (args.out / "files").mkdir(parents=True, exist_ok=True)
    with open(args.out / "stream.txt", "w", encoding="utf-8") as stream, open(
        args.out / "docs.jsonl", "w", encoding="utf-8"
    ) as jsonl:
        while size < target:
            folder = args.out / "files" / f"{rounds:03d}"
            if n < args.files:
                folder.mkdir(exist_ok=True)
            for name, text in texts:
                doc = text if text.endswith("\n") else text + "\n"
                stream.write(doc + "\n")
                record = {"id": f"{rounds}/{name}", "text": doc}
                jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
                if n < args.files:
                    with open(folder / name, "w", encoding="utf-8") as f:
                        f.write(doc)
                size += len(doc.encode("utf-8"))
                n += 1
            rounds += 1
    times = "once" if rounds == 1 else f"{rounds} times"
    print(f"{n} documents ({len(texts)} texts, {times}), {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
