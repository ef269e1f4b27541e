"""Screening at the scale of a bank's customer base: an index of 1,000,000 names.

    python bench/screening_scale.py [--names 1000000] [--queries 1000] [--brute 30]

The index holds every person of the 36 EU lists in ../shared/data as listed, and
synthetic customers of a European bank up to the number of names asked for: persons
and, 8% of them, companies of 46 locales and their scripts, made by
``bench/customer_names.py`` from faker's locale providers (given, family and fathers'
names combined as each language forms them; companies with their legal forms).
A third of the synthetic persons get a birth year. The vocabulary is what a look-up
depends on, so every figure is printed with the index's number of names, distinct
family names (the synthetic persons' and the listed persons' ALL-CAPS ones) and
distinct part keys. (The index of the lists' own name parts recombined, used until
2026-12, had 7,564 part keys for a million names; the 41,484 names of all the shared
lists have 25,814.)

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
import resource
import statistics
import time
from pathlib import Path

from customer_names import customer_base
from rapidfuzz import fuzz, process, utils

from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.screening import Query, Screener

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists" / "eu"


def rss_mb() -> float:
    """Current resident set size, from /proc (peak figures would hide what is freed)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def listed_family_names(persons: list[Entity]) -> set[str]:
    """The listed persons' family names: the ALL-CAPS words of each name, as EU lists
    print them (LUKASHENKA, ABU BAKR), case-folded."""
    found = set()
    for person in persons:
        for name in person.names:
            caps = [w for w in name.split() if w.isupper() and len(w) > 1 and w.isalpha()]
            if caps:
                found.add(" ".join(caps).casefold())
    return found


def synthetic(count: int, rng: random.Random) -> tuple[list[Entity], list[str], set[str], int]:
    """``count`` synthetic customers (one name each), their names, the persons' distinct
    family names, and how many locales they come from."""
    base = customer_base(count, seed=rng.randrange(2**32))
    entities: list[Entity] = []
    for number, (schema, name) in enumerate(base.names):
        entity = Entity.make(schema, f"syn-{number}", caption=name, target=True)
        entity.add("name", name)
        if schema == "Person" and rng.random() < 0.3:
            entity.add("birthDate", f"{rng.randint(1940, 2005)}")
        entities.append(entity)
    locales = sum(1 for n in base.by_locale.values() if n)
    return entities, [name for _, name in base.names], base.family_names, locales


def queries(persons: list[Entity], customers: list[str], rng: random.Random, n: int) -> list[str]:
    """Half real listed names (as listed, in Cyrillic, reordered, with a typo), half
    synthetic customers (persons and companies, in every script)."""
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
    picked.extend(rng.choice(customers) for _ in range(n - len(picked)))
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
    listed = sum(len(p.names) for p in persons)
    customer_base(100, seed=0)  # faker's providers loaded before the memory is measured
    gc.collect()
    at_start = rss_mb()
    start = time.perf_counter()
    entities, customers, families, locales = synthetic(args.names - listed, rng)
    generated = time.perf_counter() - start
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
    listed_families = listed_family_names(persons)
    family_names = len({f.casefold() for f in families} | listed_families)
    companies = sum(1 for e in entities if e.schema.name == "Company")
    vocabulary = (
        f"[{len(names):,} names, {family_names:,} family names, {screener.index.keys:,} part keys]"
    )
    print(
        f"index: {len(screener.index):,} entities, {len(names):,} names ({listed:,} names of "
        f"{len(persons):,} listed persons; {len(entities) - companies:,} synthetic persons "
        f"and {companies:,} companies of {locales} locales, generated in {generated:.0f} s); "
        f"{family_names:,} distinct family names ({len(families):,} synthetic, "
        f"{len(listed_families):,} listed); {screener.index.keys:,} part keys; "
        f"built in {build:.0f} s"
    )
    print(
        f"memory: index {grown:,.0f} MB, entities {before - at_start:,.0f} MB, "
        f"together {grown + before - at_start:,.0f} MB (resident set growth) {vocabulary}"
    )
    start = time.perf_counter()
    screener.index.prepare()
    print(
        f"prepared as a service does at start-up: the hits of "
        f"{len(screener.index._hits):,} common words looked up in "
        f"{time.perf_counter() - start:.1f} s {vocabulary}"
    )
    asked = queries(persons, customers, rng, args.queries)
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
        f"mean {statistics.mean(ours):.2f} ms {vocabulary}"
    )
    kept = screener.index._hits
    print(
        f"memory after the queries: {rss_mb() - at_start:,.0f} MB in all, the hits of "
        f"{len(kept):,} query words kept for later queries among it "
        f"({screener.index._hits_bytes / 2**20:,.0f} MB of arrays) {vocabulary}"
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
        f"p50 {b50:.1f} ms; sanctio p50 is {b50 / p50:.0f}x faster {vocabulary}"
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
        f"sanctio p50 is {r50 / p50:.0f}x faster {vocabulary}"
    )
    alone = Screener()
    alone.add(persons, "eu")
    print(
        f"for comparison, the listed persons alone: {listed:,} names, "
        f"{alone.index.keys:,} part keys"
    )


if __name__ == "__main__":
    main()
