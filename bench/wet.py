"""Write the records of a JSONL file (`{"text": ...}` per line) as a gzipped WET file, one
conversion record per line and one gzip member per record, as Common Crawl writes them.

    python3 bench/wet.py docs.jsonl docs.warc.wet.gz
"""
import gzip
import json
import sys
import uuid


def record(number: int, text: str) -> bytes:
    block = text.encode("utf-8")
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: conversion\r\n"
        f"WARC-Target-URI: https://site{number % 97}.example/{number}\r\n"
        "WARC-Date: 2026-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=number)}>\r\n"
        "Content-Type: text/plain\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode("ascii")
    return head + block + b"\r\n\r\n"


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as lines, open(target, "wb") as out:
        for number, line in enumerate(lines, 1):
            out.write(gzip.compress(record(number, json.loads(line)["text"]), compresslevel=6))


if __name__ == "__main__":
    main()
