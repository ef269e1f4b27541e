"""Screening speed against anchors measured in the same run.

    python bench/screening_speed.py [--queries N]

- Index: every entity of the 36 EU lists in ../shared/data, built from scratch.
- Single queries: p50 and p99 latency of ``Screener.screen`` for names drawn from
  the lists (varied: Cyrillic aliases, typos, other order), against brute force
  ``rapidfuzz.process.extract`` with token_set_ratio over every indexed name (the
  anchor: what a team gets from rapidfuzz alone, without transliteration).
- Batch: ``screen_file`` rows per second on every core.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from sanctio.lists import read_list
from sanctio.screening import Query, Screener
from sanctio.screening.batch import screen_file

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists" / "eu"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    lists = [read_list(p) for p in sorted(DATA.glob("*.csv"))]

    start = time.perf_counter()
    screener = Screener()
    for parsed in lists:
        screener.add(parsed.entities, parsed.name)
    build = time.perf_counter() - start
    names = [n for e in screener.index.entities for n in e.entity.names]
    print(
        f"index: {len(screener.index)} entities, {len(names)} names, "
        f"{len(screener.index.postings)} part keys, built in {build:.1f} s"
    )

    rng = random.Random(7)
    queries = rng.sample(names, min(args.queries, len(names)))
    ours: list[float] = []
    for query in queries:
        t = time.perf_counter()
        screener.screen(Query.make(query), limit=10)
        ours.append((time.perf_counter() - t) * 1000)
    processed = [utils.default_process(n) for n in names]
    brute: list[float] = []
    for query in queries[:200]:
        t = time.perf_counter()
        process.extract(
            utils.default_process(query),
            processed,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=10,
        )
        brute.append((time.perf_counter() - t) * 1000)
    p50, p99 = percentile(ours, 0.5), percentile(ours, 0.99)
    b50, b99 = percentile(brute, 0.5), percentile(brute, 0.99)
    print(
        f"single query ({len(ours)} queries): p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"mean {statistics.mean(ours):.2f} ms"
    )
    print(
        f"brute-force rapidfuzz token_set over {len(names)} names: p50 {b50:.2f} ms, "
        f"p99 {b99:.2f} ms"
    )
    print(f"ratio (sanctio / brute force): p50 {p50 / b50:.2f}, p99 {p99 / b99:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.csv"
        rows = [rng.choice(names).replace(",", " ") for _ in range(4000)]
        source.write_text("id,name\n" + "".join(f"r{i},{n}\n" for i, n in enumerate(rows)), "utf-8")
        for workers in (1, os.cpu_count() or 1):
            t = time.perf_counter()
            screen_file(screener, source, Path(tmp) / "out.jsonl", 0.8, workers=workers)
            seconds = time.perf_counter() - t
            print(f"screen-file, {workers} process(es): {len(rows) / seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()
