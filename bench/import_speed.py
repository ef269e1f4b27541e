"""How fast lists are read and stored, against anchors measured in the same run.

Anchors: Python's csv module reading the same files without any mapping (the floor
for any CSV reader), and sqlite3 ``executemany`` inserting the same JSON rows with no
ORM (the floor for storing them). Prints each ratio. Needs ../shared/data.

    python bench/import_speed.py
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sanctio.lists import read_list
from sanctio.model.types import clean_phone
from sanctio.registry import Registry

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists" / "eu"


def best_of(runs: int, work):  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    files = sorted(DATA.glob("*.csv"))
    if not files:
        sys.exit(f"no EU list files in {DATA}")

    def anchor_read() -> int:
        rows = 0
        for path in files:
            with path.open(encoding="utf-8", newline="") as handle:
                rows += sum(1 for _ in csv.DictReader(handle))
        return rows

    anchor_s, rows = best_of(3, anchor_read)

    def ours_read() -> list:  # type: ignore[type-arg]
        clean_phone.cache_clear()  # no help from earlier runs
        return [read_list(p) for p in files]

    ours_s, parsed = best_of(3, ours_read)
    entities = sum(len(p.entities) for p in parsed)
    print(f"read  {len(files)} EU files, {rows} rows -> {entities} FtM entities")
    print(f"      csv module alone  {anchor_s * 1000:8.1f} ms")
    print(f"      sanctio readers   {ours_s * 1000:8.1f} ms   ({rows / ours_s:,.0f} rows/s)")
    print(f"      ratio             {ours_s / anchor_s:8.1f} x the bare csv parse")

    with tempfile.TemporaryDirectory() as tmp:

        def anchor_store() -> None:
            conn = sqlite3.connect(Path(tmp) / f"raw-{time.monotonic_ns()}.db")
            conn.execute("CREATE TABLE e (v INTEGER, id TEXT, data TEXT, PRIMARY KEY (v, id))")
            with conn:
                for v, p in enumerate(parsed):
                    conn.executemany(
                        "INSERT INTO e VALUES (?, ?, ?)",
                        [(v, e.id, json.dumps(e.to_dict())) for e in p.entities],
                    )
            conn.close()

        def ours_store() -> None:
            registry = Registry(f"sqlite:///{Path(tmp) / f'reg-{time.monotonic_ns()}.db'}")
            for p in parsed:
                registry.import_list(p)
            registry.close()

        raw_s, _ = best_of(3, anchor_store)
        store_s, _ = best_of(3, ours_store)
    print(f"store {entities} entities as new versions in SQLite")
    print(f"      sqlite3 executemany {raw_s * 1000:8.1f} ms")
    rate = entities / store_s
    print(f"      sanctio registry    {store_s * 1000:8.1f} ms   ({rate:,.0f} entities/s)")
    print(f"      ratio               {store_s / raw_s:8.1f} x raw inserts")


if __name__ == "__main__":
    main()
