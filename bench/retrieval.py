"""Retrieval recall: does ``Screener.screen`` return every entity the scorer matches?

    python bench/retrieval.py [--queries N] [--sample N] [--seed S]

The anchor is exhaustive scoring, measured in the same run: every query is scored
against every listed entity with the scorer (``compare_query``), and the entities at or
above the threshold are what a perfect retrieval returns. Retrieval recall is the share
of those that ``screen`` (limit 10) returns as matches; it must be 1.0. Two sets:
the EU Belarus regime in full (every entity), and a sample of entities of every list in
../shared/data (EU, OFAC 2021, UN). Queries are listed names changed as customers'
records change them (a title, a year, an initial, a middle name dropped or added, a
suffix, a word order, a typo, an invisible character, a legal form), seeded.

Also printed: the time per query of ``screen`` and of the exhaustive anchor.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener
from sanctio.screening.scorer import compare_query

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
LIMIT = 10
_EXTRA = ["Mr", "Dr.", "Gen.", "Haji", "Jr", "II", "1961", "M.", "Nicholas", "LLC", "JSC"]
_INVISIBLE = ["\u200b", "\ufe0f", "\u034f", "\u00ad", "\U000e0041"]


def vary(name: str, rng: random.Random) -> str:
    """One or two of the changes customers' records make to a listed name."""
    words = name.split()
    for _ in range(rng.randint(1, 2)):
        change = rng.choice(["extra", "drop", "order", "typo", "invisible", "lower"])
        at = rng.randrange(len(words))
        if change == "extra":
            words.insert(rng.randint(0, len(words)), rng.choice(_EXTRA))
        elif change == "drop" and len(words) > 2:
            del words[at]
        elif change == "order" and len(words) > 1:
            words = [words[-1], *words[:-1]]
        elif change == "typo" and len(words[at]) > 4:
            cut = rng.randrange(1, len(words[at]) - 1)
            words[at] = words[at][:cut] + words[at][cut + 1 :]
        elif change == "invisible":
            cut = rng.randrange(len(words[at]) + 1)
            words[at] = words[at][:cut] + rng.choice(_INVISIBLE) + words[at][cut:]
        elif change == "lower":
            words = [w.lower() for w in words]
    return " ".join(words)


def measure(label: str, entities: list[Entity], queries: int, rng: random.Random) -> float:
    screener = Screener()
    screener.add(entities, label)
    names = [(name, e.schema.name) for e in entities for name in e.names]
    expected_total = found_total = 0
    screen_seconds = anchor_seconds = 0.0
    lost: list[str] = []
    for _ in range(queries):
        name, schema = rng.choice(names)
        text = vary(name, rng)
        query = Query.make(text, schema="Person" if schema == "Person" else "Thing")
        started = time.perf_counter()
        scored = [(compare_query(query, e, DEFAULT_THRESHOLD).score, e.id) for e in entities]
        anchor_seconds += time.perf_counter() - started
        expected = {id_ for score, id_ in scored if score >= DEFAULT_THRESHOLD}
        started = time.perf_counter()
        found = {m.entity.id for m in screener.screen(query, limit=LIMIT) if m.comparison.match}
        screen_seconds += time.perf_counter() - started
        # more matches than the limit: any LIMIT of them is a full answer
        expected_total += min(len(expected), LIMIT)
        found_total += min(len(expected & found), LIMIT)
        lost.extend(f"{text!r} -> {id_}" for id_ in expected - found)
    recall = found_total / expected_total if expected_total else 1.0
    print(
        f"{label}: {len(entities):,} entities, {queries} queries, {expected_total} matches "
        f"by exhaustive scoring; retrieval recall {recall:.4f}; "
        f"screen {screen_seconds / queries * 1000:.2f} ms a query, exhaustive "
        f"{anchor_seconds / queries * 1000:.1f} ms ({anchor_seconds / screen_seconds:.0f}x)"
    )
    for line in lost[:20]:
        print("  lost:", line)
    return recall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--sample", type=int, default=3000, help="entities of all lists")
    parser.add_argument("--seed", type=int, default=20201002)
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA}: not found; the lists of ../shared/data are needed")
    rng = random.Random(args.seed)
    belarus = read_list(DATA / "eu" / "32006R0765.csv").targets
    recalls = [measure("EU Belarus regime", belarus, args.queries, rng)]
    everything: list[Entity] = []
    for path in [*sorted((DATA / "eu").glob("*.csv")), DATA / "ofac" / "2021"]:
        everything.extend(read_list(path).targets)
    everything.extend(read_list(DATA / "un" / "consolidated.xml").targets)
    sample = rng.sample(everything, min(args.sample, len(everything)))
    recalls.append(measure("sample of all lists", sample, args.queries, rng))
    if min(recalls) < 1.0:
        sys.exit("retrieval lost matches the scorer makes")


if __name__ == "__main__":
    main()
