"""Throughput of the Python package beside the CLI, on the same texts in the same run.

    python bench/python.py [--texts FILE.jsonl] [--cli PATH] [--rounds N]

FILE.jsonl has one record per text with a "text" field; without --texts it is made in a temporary
directory from ../shared/bench/*/*.txt (the bench's inputs, not its *.gold.txt). Prints MB/s (text
bytes, UTF-8, over wall time, best of --rounds interleaved rounds) for `clean_many` at 1 and 2 threads and for the
CLI's `clean --format jsonl -j1` and `-j2` on the same records, then the time of one `clean` call
on an empty and a short text against the same texts' share of a `clean_many` batch.
"""

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import boilerstrip

REPO = Path(__file__).resolve().parents[1]
SHORT = "Skip to content\n\nThe council met on Monday.\n\nLeave a Reply\n"


def bench_jsonl(directory: Path) -> Path:
    texts = sorted(
        p for p in (REPO.parent / "shared" / "bench").glob("*/*.txt")
        if not p.name.endswith(".gold.txt")
    )
    out = directory / "benchtexts.jsonl"
    with out.open("w") as f:
        for p in texts:
            f.write(json.dumps({"id": p.name, "text": p.read_bytes().decode("utf-8", "replace")}))
            f.write("\n")
    return out


def best(rounds: int, run) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path)
    parser.add_argument("--cli", type=Path, default=REPO / "target" / "release" / "boilerstrip")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.texts or bench_jsonl(Path(tmp))
        texts = [json.loads(line)["text"] for line in path.open()]
        mb = sum(len(t.encode()) for t in texts) / 1e6
        print(f"{len(texts)} texts, {mb:.1f} MB, from {path}; best of {args.rounds}")

        cleaner = boilerstrip.Cleaner()

        def cli(j: int) -> None:
            with path.open("rb") as stdin:
                subprocess.run(
                    [str(args.cli), "clean", "--format", "jsonl", f"-j{j}", "-q", "-"],
                    stdin=stdin, stdout=subprocess.DEVNULL, check=True,
                )

        runs = {
            "clean_many threads=1": lambda: cleaner.clean_many(texts, threads=1),
            "clean_many threads=2": lambda: cleaner.clean_many(texts, threads=2),
            "CLI clean --format jsonl -j1": lambda: cli(1),
            "CLI clean --format jsonl -j2": lambda: cli(2),
        }
        # Round after round of each, so that all see the same moments of a busy machine.
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                times[name].append(best(1, run))
        for name, seconds in times.items():
            print(f"{name:30} {mb / min(seconds):6.1f} MB/s (best {min(seconds):.2f} s, "
                  f"median {sorted(seconds)[len(seconds) // 2]:.2f} s)")

    # The per-call cost: one call per text against the same texts in one clean_many batch,
    # on an empty text (nothing to clean: the call itself) and on a short one.
    n = 100_000
    for text in ("", SHORT):
        one = best(args.rounds, lambda: [cleaner.clean(text) for _ in range(n)]) / n
        batch = best(args.rounds, lambda: cleaner.clean_many([text] * n, threads=1)) / n
        print(
            f"clean() on a {len(text)}-byte text: {one * 1e6:.2f} µs per call; "
            f"in clean_many(threads=1): {batch * 1e6:.2f} µs per text"
        )


if __name__ == "__main__":
    main()
