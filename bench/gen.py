#!/usr/bin/env python3
"""Generate a deterministic benchmark input from corpus/input, in three shapes.

Documents are recombined from the corpus: each keeps the head and tail lines of one corpus
article (where its junk is) around paragraphs drawn from all articles, so the input is not one
document repeated. The same seed and size give the same bytes.

  gen.py --corpus corpus/input --out DIR --mb 1024 [--files 100000] [--seed 1]

writes DIR/stream.txt (all documents, blank line between), DIR/docs.jsonl ({"id", "text"}
records) and DIR/files/NNN/NNNNNN.txt (the first --files documents, one file each).
"""
import argparse
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="corpus/input")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    articles = []
    for name in sorted(os.listdir(args.corpus)):
        with open(os.path.join(args.corpus, name), encoding="utf-8") as f:
            articles.append([l for l in f.read().replace("\r\n", "\n").split("\n\n")])
    paragraphs = [p for a in articles for p in a[2:-2] if p.strip()]
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "files"), exist_ok=True)
    target = args.mb * 1_000_000
    size = 0
    n = 0
    with open(os.path.join(args.out, "stream.txt"), "w", encoding="utf-8") as stream, open(
        os.path.join(args.out, "docs.jsonl"), "w", encoding="utf-8"
    ) as jsonl:
        while size < target:
            frame = rng.choice(articles)
            body = rng.sample(paragraphs, rng.randint(3, 12))
            doc = "\n\n".join(frame[:2] + body + frame[-2:]) + "\n"
            stream.write(doc + "\n")
            jsonl.write(json.dumps({"id": f"doc-{n}", "text": doc}, ensure_ascii=False) + "\n")
            if n < args.files:
                folder = os.path.join(args.out, "files", f"{n // 1000:03d}")
                if n % 1000 == 0:
                    os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, f"{n:06d}.txt"), "w", encoding="utf-8") as f:
                    f.write(doc)
            size += len(doc.encode("utf-8"))
            n += 1
    print(f"{n} documents, {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
