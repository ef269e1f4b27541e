"""Screening at the scale of a bank's customer base: a synthetic index of 1,000,000 names.

    python bench/screening_scale.py [--names 1000000] [--queries 1000]

The names are made from the real lists' name parts (given names, fathers' names and
family names of every person on the 36 EU lists in ../shared/data), recombined at
random, with the real listed persons added as they are. Half the synthetic persons
also get a Cyrillic spelling (taken from a real person whose Latin family name they
share), so the index holds both scripts as a real list does.

Measured, in one run:
- memory of the index (resident set size growth while building it) and build time;
- the index prepared as a service prepares it at start-up (``NameIndex.prepare``: the
  hits of the most common words looked up), timed;
- single query latency p50/p99 in-process, for queries that are real listed names
  (with variations: Cyrillic, order, typo) and synthetic customer names, and the
  memory after them (what the index keeps of its queries included);
- the anchor: brute-force ``rapidfuzz.process.extract`` (token_set_ratio) over all
  names, on a sample of the same queries; the ratio of the two.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import statistics
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.screening import Query, Screener

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists" / "eu"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def rss_mb() -> float:
    """Current resident set size, from /proc (peak figures would hide what is freed)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def name_parts(persons: list[Entity]) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """Given names, patronymics, family names (ALL-CAPS words) and, per family name,
    a Cyrillic spelling of a person who has it."""
    given, fathers, families = set(), set(), set()
    cyrillic_of: dict[str, str] = {}
    for person in persons:
        words = person.caption.split()
        caps = [w for w in words if w.isupper() and len(w) > 1 and w.isalpha()]
        rest = [w for w in words if w not in caps and w.isalpha() and not w.isupper()]
        if not caps or not rest:
            continue
        families.update(caps)
        given.add(rest[0])
        if len(rest) > 1 and re.search(r"(vich|vna|una|ovych|ivna)$", rest[1]):
            fathers.add(rest[1])
        for name in person.names:
            if _CYRILLIC.search(name):
                cyrillic_of.setdefault(caps[-1], name)
    return sorted(given), sorted(fathers), sorted(families), cyrillic_of


def synthetic(
    count: int, persons: list[Entity], rng: random.Random
) -> tuple[list[Entity], list[str]]:
    """Synthetic persons with ``count`` names in all, and the Latin names made."""
    given, fathers, families, cyrillic_of = name_parts(persons)
    entities: list[Entity] = []
    made = 0
    latin: list[str] = []
    while made < count:
        family = rng.choice(families)
        words = [rng.choice(given)]
        if rng.random() < 0.5:
            words.append(rng.choice(fathers))
        name = " ".join([*words, family])
        entity = Entity.make("Person", f"syn-{len(entities)}", caption=name, target=True)
        entity.add("name", name)
        made += 1
        latin.append(name)
        if made < count and family in cyrillic_of and rng.random() < 0.5:
            entity.add("alias", cyrillic_of[family])
            made += 1
        if rng.random() < 0.3:
            entity.add("birthDate", f"{rng.randint(1940, 2000)}")
        entities.append(entity)
    return entities, latin


def queries(persons: list[Entity], latin: list[str], rng: random.Random, n: int) -> list[str]:
    """Half real listed names (as listed, in Cyrillic, reordered, with a typo), half
    synthetic customers."""
    picked: list[str] = []
    for _ in range(n // 2):
        person = rng.choice(persons)
        name = rng.choice(person.names)
        words = name.split()
        kind = rng.randrange(3)
        if kind == 1 and len(words) > 1:
            name = " ".join([words[-1], *words[:-1]])
        elif kind == 2 and len(words[-1]) > 4:
            i = rng.randrange(1, len(words[-1]) - 1)
            name = " ".join([*words[:-1], words[-1][:i] + words[-1][i + 1 :]])
        picked.append(name)
    picked.extend(rng.choice(latin) for _ in range(n - len(picked)))
    rng.shuffle(picked)
    return picked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute", type=int, default=30, help="queries for the anchor")
    args = parser.parse_args()
    rng = random.Random(20201002)
    targets = [e for path in sorted(DATA.glob("*.csv")) for e in read_list(path).targets]
    persons = [e for e in targets if e.schema.name == "Person"]
    gc.collect()
    at_start = rss_mb()
    entities, latin = synthetic(args.names - sum(len(p.names) for p in persons), persons, rng)
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    screener = Screener()
    screener.add(persons, "eu")
    screener.add(entities, "synthetic")
    screener.index.postings("")  # arrays built now, not in the first query
    build = time.perf_counter() - start
    gc.collect()
    grown = rss_mb() - before
    names = [n for e in screener.index.entities for n in e.entity.names]
    print(
        f"index: {len(screener.index):,} entities, {len(names):,} names, "
        f"{screener.index.keys:,} part keys; built in {build:.0f} s"
    )
    print(
        f"memory: index {grown:,.0f} MB, entities {before - at_start:,.0f} MB, "
        f"together {grown + before - at_start:,.0f} MB (resident set growth)"
    )
    start = time.perf_counter()
    screener.index.prepare()
    print(
        f"prepared as a service does at start-up: the hits of "
        f"{len(screener.index._hits):,} common words looked up in "
        f"{time.perf_counter() - start:.1f} s"
    )
    asked = queries(persons, latin, rng, args.queries)
    for name in asked[:20]:
        screener.screen(Query.make(name))  # warm the caches a long-running service has
    ours: list[float] = []
    for name in asked:
        t = time.perf_counter()
        screener.screen(Query.make(name))
        ours.append((time.perf_counter() - t) * 1000)
    p50, p99 = percentile(ours, 0.5), percentile(ours, 0.99)
    print(
        f"single query ({len(ours)}): p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"mean {statistics.mean(ours):.2f} ms"
    )
    kept = screener.index._hits
    print(
        f"memory after the queries: {rss_mb() - at_start:,.0f} MB in all, the hits of "
        f"{len(kept):,} query words kept for later queries among it "
        f"({screener.index._hits_bytes / 2**20:,.0f} MB of arrays)"
    )
    processed = [utils.default_process(n) for n in names]
    brute: list[float] = []
    for name in asked[: args.brute]:
        t = time.perf_counter()
        process.extract(
            utils.default_process(name), processed, scorer=fuzz.token_set_ratio,
            processor=None, limit=10,
        )  # fmt: skip
        brute.append((time.perf_counter() - t) * 1000)
    b50 = percentile(brute, 0.5)
    print(
        f"brute-force rapidfuzz token_set over {len(names):,} names ({len(brute)} queries): "
        f"p50 {b50:.1f} ms; sanctio p50 is {b50 / p50:.0f}x faster"
    )
    plain: list[float] = []
    for name in asked[: args.brute]:
        t = time.perf_counter()
        process.extract(
            utils.default_process(name), processed, scorer=fuzz.ratio, processor=None, limit=10
        )
        plain.append((time.perf_counter() - t) * 1000)
    r50 = percentile(plain, 0.5)
    print(
        f"brute-force rapidfuzz ratio (the fastest scorer) over the same names: p50 {r50:.1f} ms; "
        f"sanctio p50 is {r50 / p50:.0f}x faster"
    )


if __name__ == "__main__":
    main()
