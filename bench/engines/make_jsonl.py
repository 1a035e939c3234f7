"""Write N JSONL records made from corpus/input for the engine recipes' checks.

python3 bench/engines/make_jsonl.py N OUT [--exact]

Each record has an id, a url, the text of a corpus document (cycled; every third has a
paragraph of boilerplate added, so records differ), and nested metadata. Strings hold raw
U+2028, U+0085 and non-ASCII letters, which a line reader must not split on. With --exact the
file also has what only a byte-for-byte engine keeps: other key orders and spacing, a number
no float holds (1e400), \\u escapes and a blank line.
"""
import json
import pathlib
import sys

n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
exact = "--exact" in sys.argv[3:]
texts = sorted(pathlib.Path("corpus/input").glob("*.txt"))
extra = "Share this:\n\nLeave a Reply\n\nCopyright © 2024 Example Media. All Rights Reserved."
with out.open("w", encoding="utf-8", newline="\n") as f:
    for i in range(n):
        doc = texts[i % len(texts)]
        text = doc.read_text(encoding="utf-8")
        if i % 3 == 1:
            text += "\n\n" + extra
        if i % 10 == 0:
            text = text.replace(". ", ".\u2028", 1).replace(", ", ",\u0085 ", 1)
        record = {
            "id": f"doc-{i:04d}",
            "url": f"https://example.org/{doc.stem}?n={i}",
            "text": text,
            "meta": {"source": doc.name, "n": i, "lang": doc.stem.split("-")[1]},
        }
        line = json.dumps(record, ensure_ascii=False)
        if exact and i % 50 == 7:
            line = line.replace('{"id": ', '{ "score" : 1e400,\t"id":', 1)
            line = line.replace("é", "\\u00e9").replace("\u2019", "\\u2019")
        f.write(line + "\n")
        if exact and i == n // 2:
            f.write("\n")
