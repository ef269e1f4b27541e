"""How fast lists are read and stored, against anchors measured in the same run.

Anchors: Python's csv module reading the same files without any mapping (the floor
for any CSV reader), lxml parsing the same XML without any mapping (the floor for the
XML readers), and sqlite3 ``executemany`` inserting the same JSON rows with no ORM
(the floor for storing them). Prints each ratio. Needs ../shared/data.

Two parts: the 36 EU journal files alone (reading, then storing); then the whole of
../shared/data as a user would import it (the 36 EU regimes, the OFAC July 2021 release
as a folder, the UN consolidated XML), read and stored into one fresh SQLite registry,
with the total time of the import.

    python bench/import_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from lxml import etree

from sanctio.lists import ParsedList, read_list
from sanctio.model.types import clean_phone
from sanctio.registry import Registry

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
DATA = SHARED / "eu"
OFAC = SHARED / "ofac" / "2021"
UN = SHARED / "un" / "consolidated.xml"
#: What the whole import should take on the project's 2-core machine.
TARGET_SECONDS = 15.0

T = TypeVar("T")


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``runs`` timings of ``work``, and its result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def csv_rows(paths: list[Path]) -> int:
    """Records in CSV files read by the csv module alone: the anchor for CSV readers."""
    rows = 0
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle))
    return rows


def raw_store(folder: Path, lists: list[ParsedList]) -> None:
    """The same entities as JSON rows through sqlite3 executemany: the anchor for storing."""
    conn = sqlite3.connect(folder / f"raw-{time.monotonic_ns()}.db")
    conn.execute("CREATE TABLE e (v INTEGER, id TEXT, data TEXT, PRIMARY KEY (v, id))")
    with conn:
        for v, parsed in enumerate(lists):
            conn.executemany(
                "INSERT INTO e VALUES (?, ?, ?)",
                [(v, e.id, json.dumps(e.to_dict())) for e in parsed.entities],
            )
    conn.close()


def registry_store(folder: Path, lists: list[ParsedList]) -> None:
    """Every list as a new version in a fresh SQLite registry, as ``sanctio lists import``."""
    registry = Registry(f"sqlite:///{folder / f'reg-{time.monotonic_ns()}.db'}")
    for parsed in lists:
        registry.import_list(parsed)
    registry.close()


def eu_only(runs: int) -> None:
    """The 36 EU journal files: reading, then storing (the first figures in
    docs/benchmarks.md, measured the same way since they were first published)."""
    files = sorted(DATA.glob("*.csv"))

    def anchor_read() -> int:
        rows = 0
        for path in files:
            with path.open(encoding="utf-8", newline="") as handle:
                rows += sum(1 for _ in csv.DictReader(handle))
        return rows

    anchor_s, rows = best_of(runs, anchor_read)

    def ours_read() -> list[ParsedList]:
        clean_phone.cache_clear()  # no help from earlier runs
        return [read_list(p) for p in files]

    ours_s, parsed = best_of(runs, ours_read)
    entities = sum(len(p.entities) for p in parsed)
    print(f"read  {len(files)} EU files, {rows} rows -> {entities} FtM entities")
    print(f"      csv module alone  {anchor_s * 1000:8.1f} ms")
    print(f"      sanctio readers   {ours_s * 1000:8.1f} ms   ({rows / ours_s:,.0f} rows/s)")
    print(f"      ratio             {ours_s / anchor_s:8.1f} x the bare csv parse")

    with tempfile.TemporaryDirectory() as tmp:
        raw_s, _ = best_of(runs, lambda: raw_store(Path(tmp), parsed))
        store_s, _ = best_of(runs, lambda: registry_store(Path(tmp), parsed))
    print(f"store {entities} entities as new versions in SQLite")
    print(f"      sqlite3 executemany {raw_s * 1000:8.1f} ms")
    rate = entities / store_s
    print(f"      sanctio registry    {store_s * 1000:8.1f} ms   ({rate:,.0f} entities/s)")
    print(f"      ratio               {store_s / raw_s:8.1f} x raw inserts")


@dataclass
class Source:
    """One kind of input of the whole import, and the anchor its reading is compared to."""

    label: str
    paths: list[Path]
    anchor_label: str
    anchor: Callable[[], int]


def un_records() -> int:
    """INDIVIDUAL and ENTITY records of the UN file parsed by lxml alone: the XML anchor."""
    root = etree.parse(str(UN)).getroot()
    return len(root.findall("INDIVIDUALS/INDIVIDUAL")) + len(root.findall("ENTITIES/ENTITY"))


@dataclass
class Run:
    """One whole import: seconds to read each source, to store, and in all."""

    read: dict[str, float]
    store: float
    total: float
    lists: list[ParsedList]


def import_everything(sources: list[Source], folder: Path) -> Run:
    """Read every source and store every list in a fresh registry, timing each step."""
    clean_phone.cache_clear()
    start = time.perf_counter()
    read: dict[str, float] = {}
    lists: list[ParsedList] = []
    for source in sources:
        began = time.perf_counter()
        lists += [read_list(path) for path in source.paths]
        read[source.label] = time.perf_counter() - began
    began = time.perf_counter()
    registry_store(folder, lists)
    stored = time.perf_counter() - began
    return Run(read, stored, time.perf_counter() - start, lists)


def whole_data(runs: int) -> None:
    """Everything in ../shared/data read and stored into one fresh registry: the best of
    ``runs`` whole imports, with each step of that run against its anchor."""
    eu_files = sorted(DATA.glob("*.csv"))
    ofac_files = [OFAC / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")]
    sources = [
        Source(  # rows less each file's header, as above
            "EU journal CSV", eu_files, "csv module", lambda: csv_rows(eu_files) - len(eu_files)
        ),
        Source("OFAC CSV 2021", [OFAC], "csv module, 4 files", lambda: csv_rows(ofac_files)),
        Source("UN XML", [UN], "lxml parse", un_records),
    ]
    anchors = {s.label: best_of(runs, s.anchor) for s in sources}
    with tempfile.TemporaryDirectory() as tmp:
        best = min(
            (import_everything(sources, Path(tmp)) for _ in range(runs)), key=lambda r: r.total
        )
        raw_s, _ = best_of(runs, lambda: raw_store(Path(tmp), best.lists))
    entities = sum(len(p.entities) for p in best.lists)
    print()
    print(
        f"whole ../shared/data: {len(eu_files)} EU regimes, OFAC 2021 (folder), UN "
        f"consolidated XML -> {len(best.lists)} lists, {entities:,} entities in a fresh "
        f"SQLite registry; best of {runs} whole imports"
    )
    print(f"  {'step':<16}{'records':>9}{'sanctio':>10}{'anchor':>10}{'ratio':>8}")
    for source in sources:
        anchor_s, records = anchors[source.label]
        read_s = best.read[source.label]
        print(
            f"  {source.label:<16}{records:>9,}{read_s:>9.2f}s{anchor_s:>9.3f}s"
            f"{read_s / anchor_s:>7.1f}x  (anchor: {source.anchor_label})"
        )
    print(
        f"  {'store':<16}{entities:>9,}{best.store:>9.2f}s{raw_s:>9.3f}s"
        f"{best.store / raw_s:>7.1f}x  (anchor: sqlite3 executemany of the same JSON)"
    )
    verdict = "within" if best.total < TARGET_SECONDS else "OVER"
    print(f"  total import    {best.total:.2f} s; {verdict} the {TARGET_SECONDS:.0f} s target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timings per figure; the best counts")
    args = parser.parse_args()
    if not DATA.is_dir() or not OFAC.is_dir() or not UN.is_file():
        sys.exit(f"list files not found under {SHARED} (eu/, ofac/2021/, un/consolidated.xml)")
    eu_only(args.runs)
    whole_data(args.runs)


if __name__ == "__main__":
    main()
