"""How fast precinct files load and the integer-percent test runs, and whether it
reproduces the published figures.

1. Loading the Russian 2018 file (97,699 precincts, zipped CSV), against the csv module
   alone reading the same text (the floor for any CSV reader).
2. ``integer_test`` with 1,000 draws on the 2018 file (~91,000 precincts after
   the exclusions) and on a synthetic honest election of 100,000 precincts, against
   the 20 s target on the project's 2-core machine. CPU time is printed beside wall
   time: when another job shares the cores, wall time rises but CPU time does not.
3. Every forensic test on the synthetic 100,000 precincts (integer test with 1,000
   draws, fingerprint fit without replicates, Shpilkin, digit tests) against the same
   20 s target.
4. The excess of integer-percent precincts on the 2011, 2012 and 2018 files next to the
   published figures (Kobak, Shpilkin & Pshenichnikov 2016 and the authors' updates).

Needs ../shared/data.

    python bench/forensics_speed.py [--draws N] [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from sanctio.forensics.digits import digit_tests
from sanctio.forensics.fingerprint import fit
from sanctio.forensics.integer import integer_test
from sanctio.forensics.loaders import load_precincts
from sanctio.forensics.precincts import Precincts
from sanctio.forensics.shpilkin import anomalous_votes

RUSSIA = Path(__file__).resolve().parents[2] / "shared" / "data" / "elections" / "russia"
#: 100,000 precincts x 1,000 draws should take well under this on 2 cores.
TARGET_SECONDS = 20.0
PUBLISHED = {2011: 1003, 2012: 1160, 2018: 1709}

T = TypeVar("T")


def timed(runs: int, work: Callable[[], T]) -> tuple[float, float, T]:
    """Best wall time of ``runs`` runs of ``work``, its CPU time, and its result."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        result = work()
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu = wall, _cpu() - start_cpu
    assert result is not None
    return best, cpu, result


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def csv_floor(path: Path) -> int:
    """Rows of the zipped CSV read by the csv module with no mapping: the anchor."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def synthetic(n: int, seed: int = 0) -> Precincts:
    """An honest election: binomial counts at random rates, in 80 regions."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 3000, n)
    issued = rng.binomial(registered, rng.uniform(0.4, 0.9, n))
    found = issued - rng.binomial(issued, 0.003)
    leader = rng.binomial(found, rng.uniform(0.3, 0.8, n))
    return Precincts(
        ids=[f"P{i}" for i in range(n)],
        regions=[f"R{i % 80}" for i in range(n)],
        registered=registered,
        ballots_issued=issued,
        ballots_found=found,
        votes=np.column_stack([leader, found - leader]),
        candidates=["Leader", "Other"],
        source="synthetic",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="best of N for loading")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; numpy {np.__version__}; {args.draws} draws")

    path = RUSSIA / "2018.csv.zip"
    floor, _, rows = timed(args.runs, lambda: csv_floor(path))
    wall, cpu, p2018 = timed(args.runs, lambda: load_precincts(path))
    print(f"\nload 2018.csv.zip: {len(p2018):,} precincts ({rows:,} rows)")
    print(f"  csv module alone  {floor:6.2f} s")
    print(
        f"  load_precincts    {wall:6.2f} s   (cpu {cpu:.2f} s)  {wall / floor:.1f} x the csv floor"
    )

    print(f"\ninteger_test, {args.draws} draws (target {TARGET_SECONDS:.0f} s on 2 cores)")
    cases = [("Russia 2018", p2018), ("synthetic 100,000", synthetic(100_000))]
    for label, p in cases:
        wall, cpu, result = timed(1, partial(integer_test, p, draws=args.draws))
        print(
            f"  {label:18} {result.precincts_used:7,} precincts  {wall:6.2f} s  (cpu {cpu:.2f} s)"
            f"  {wall / TARGET_SECONDS:.2f} of the target"
        )

    print(f"\nevery test on synthetic 100,000 precincts (target {TARGET_SECONDS:.0f} s in all)")
    p = synthetic(100_000)
    steps: list[tuple[str, Callable[[], object]]] = [
        (f"integer_test, {args.draws} draws", partial(integer_test, p, draws=args.draws)),
        ("fingerprint fit, no replicates", partial(fit, p, replicates=0)),
        ("anomalous votes (Shpilkin)", partial(anomalous_votes, p)),
        ("digit tests", partial(digit_tests, p)),
    ]
    total = 0.0
    for label, work in steps:
        wall, cpu, _ = timed(1, work)
        total += wall
        print(f"  {label:32} {wall:6.2f} s  (cpu {cpu:.2f} s)")
    print(f"  {'all':32} {total:6.2f} s   {total / TARGET_SECONDS:.2f} of the target")

    print(f"\nexcess of integer-percent precincts, {args.draws} draws, seed 0")
    print("  year   observed   expected    sd    excess  published  ratio")
    for year, published in PUBLISHED.items():
        p = p2018 if year == 2018 else load_precincts(RUSSIA / f"{year}.csv.zip")
        r = integer_test(p, draws=args.draws, seed=0)
        print(
            f"  {year}  {r.observed:9,}  {r.expected:9,.1f}  {r.sd:5.1f}  {r.excess:8,.1f}"
            f"  {published:9,}  {r.excess / published:5.3f}"
        )


if __name__ == "__main__":
    main()
