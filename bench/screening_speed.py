"""Screening speed on every list in ../shared/data, against anchors measured in the same run.

    python bench/screening_speed.py [--queries N] [--rows N]

- Index: every target of the 36 EU regimes, OFAC's 2021 SDN list and the UN
  consolidated list, read from the files and indexed from scratch (timed), then
  saved and loaded back as ``sanctio screen`` does (timed, with its first query).
  The query figures below are on the index as built, as a long-running service
  holds it.
- Single queries: p50 and p99 latency of ``Screener.screen`` for names drawn from the
  lists (as listed, reordered, with a typo), against brute force
  ``rapidfuzz.process.extract`` with token_set_ratio over every indexed name (the
  anchor: what a team gets from rapidfuzz alone, without transliteration).
- Batch: ``screen_file`` rows per second on one core and on every core, for a
  customer file where one row in ten is a listed name (with the same variations) and
  the rest are customers made of the lists' own given and family names recombined.
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
from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener
from sanctio.screening.batch import screen_file
from sanctio.screening.cache import read_index, save_index

LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
SOURCES = [
    *sorted((LISTS / "eu").glob("*.csv")),
    LISTS / "ofac" / "2021",
    LISTS / "un" / "consolidated.xml",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def varied(name: str, rng: random.Random) -> str:
    """A listed name as a customer record may carry it: as is, reordered, or with a typo."""
    words = name.split()
    kind = rng.randrange(3)
    if kind == 1 and len(words) > 1:
        return " ".join([words[-1], *words[:-1]])
    if kind == 2 and len(words[-1]) > 4:
        i = rng.randrange(1, len(words[-1]) - 1)
        return " ".join([*words[:-1], words[-1][:i] + words[-1][i + 1 :]])
    return name


def customers(persons: list[Entity], rng: random.Random, count: int) -> list[str]:
    """Names made of the lists' given and family names recombined: people who are not
    listed but share name parts with those who are, as most customers do."""
    given, family = [], []
    for person in persons:
        words = [w for w in person.caption.replace(",", " ").split() if w.isalpha()]
        if len(words) >= 2:
            given.append(words[0])
            family.append(words[-1])
    return [f"{rng.choice(given)} {rng.choice(family)}" for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    start = time.perf_counter()
    lists = [read_list(path) for path in SOURCES]
    read = time.perf_counter() - start

    start = time.perf_counter()
    screener = Screener()
    for parsed in lists:
        screener.add(parsed.entities, parsed.name)
    screener.index.postings("")
    build = time.perf_counter() - start
    names = [n for e in screener.index.entities for n in e.entity.names]
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "index.npz"  # as ``sanctio screen`` saves it: no pickle
        save_index(screener, saved, "bench")
        start = time.perf_counter()
        loaded = read_index(saved, "bench")
        load = time.perf_counter() - start
        start = time.perf_counter()
        loaded.screen(Query.make("Lidia Yermoshina"))
        first = (time.perf_counter() - start) * 1000
        size = saved.stat().st_size / 2**20
    print(
        f"index: {len(lists)} lists, {len(screener.index):,} entities, {len(names):,} names, "
        f"{screener.index.keys:,} part keys; files read in {read:.1f} s, "
        f"index built in {build:.1f} s; saved index {size:.0f} MB loads in {load:.2f} s, "
        f"first query on it {first:.0f} ms"
    )

    rng = random.Random(7)
    asked = [varied(n, rng) for n in rng.sample(names, min(args.queries, len(names)))]
    for name in asked[:20]:
        screener.screen(Query.make(name))
    ours: list[float] = []
    for name in asked:
        t = time.perf_counter()
        screener.screen(Query.make(name))
        ours.append((time.perf_counter() - t) * 1000)
    processed = [utils.default_process(n) for n in names]
    brute: list[float] = []
    for name in asked[:200]:
        t = time.perf_counter()
        process.extract(
            utils.default_process(name), processed, scorer=fuzz.token_set_ratio,
            processor=None, limit=10,
        )  # fmt: skip
        brute.append((time.perf_counter() - t) * 1000)
    p50, p99 = percentile(ours, 0.5), percentile(ours, 0.99)
    b50, b99 = percentile(brute, 0.5), percentile(brute, 0.99)
    print(
        f"single query ({len(ours)}): p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"mean {statistics.mean(ours):.2f} ms"
    )
    print(
        f"brute-force rapidfuzz token_set over {len(names):,} names ({len(brute)}): "
        f"p50 {b50:.2f} ms, p99 {b99:.2f} ms; ratio sanctio/brute p50 {p50 / b50:.2f}, "
        f"p99 {p99 / b99:.2f}"
    )

    persons = [e.entity for e in screener.index.entities if e.entity.schema.name == "Person"]
    listed = [varied(rng.choice(names), rng) for _ in range(args.rows // 10)]
    rows = [*listed, *customers(persons, rng, args.rows - len(listed))]
    rng.shuffle(rows)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.csv"
        body = "".join(f'r{i},"{n.replace(chr(34), "")}"\n' for i, n in enumerate(rows))
        source.write_text("id,name\n" + body, "utf-8")
        # every core first: its workers' caches die with them, so both runs start
        # from the same state of the parent's
        for workers in (os.cpu_count() or 1, 1):
            t = time.perf_counter()
            summary = screen_file(
                screener, source, Path(tmp) / "out.jsonl", DEFAULT_THRESHOLD, workers=workers
            )
            seconds = time.perf_counter() - t
            print(
                f"screen-file, {workers} process(es): {len(rows) / seconds:,.0f} rows/s "
                f"({len(rows):,} rows, {summary.with_matches:,} with matches)"
            )


if __name__ == "__main__":
    main()
