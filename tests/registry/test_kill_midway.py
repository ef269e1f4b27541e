"""An import killed with SIGKILL in the middle of writing leaves the previous version intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sanctio.lists import read_list
from sanctio.lists.eu_journal import COLUMNS
from sanctio.model.records import ListVersion, VersionEntity
from sanctio.registry import Registry
from tests.listfiles import read_rows, write_rows

COPIES = 40  # about 16,000 rows: a few seconds of writing in one transaction


def big_list(source: Path, target: Path, copies: int = COPIES) -> Path:
    """The source list repeated ``copies`` times, each copy with its own ids and names."""
    rows = read_rows(source)
    header, body = rows[0], rows[1:]
    record = COLUMNS.index("recordId")
    name = COLUMNS.index("name")
    out = [header]
    for copy in range(copies):
        for row in body:
            changed = list(row)
            changed[record] = f"{copy}-{row[record]}" if row[record] else ""
            changed[name] = f"{row[name]} {copy}"
            out.append(changed)
    return write_rows(target, out)


def writing_now(url: str) -> bool:
    """True while another process holds an open write transaction on the registry."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        probe = sqlite3.connect(str(parsed.database), timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                )
            )
            return bool(count)
    finally:
        engine.dispose()


def test_sigkill_during_import_keeps_previous_version(
    db_url: str, belarus_csv: Path, tmp_path: Path
) -> None:
    registry = Registry(db_url)
    registry.import_list(read_list(belarus_csv), name="blr")
    registry.close()
    big = big_list(belarus_csv, tmp_path / "big.csv")

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sanctio",
            "--db",
            db_url,
            "lists",
            "import",
            str(big),
            "--name",
            "blr",
            "--allow-removals",  # every id of the big list is new
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    deadline = time.monotonic() + 120
    caught = False
    while time.monotonic() < deadline and process.poll() is None:
        if writing_now(db_url):
            process.send_signal(signal.SIGKILL)
            caught = True
            break
        time.sleep(0.01)
    process.wait(timeout=30)
    assert caught, f"import ended before it could be killed: {process.stderr.read()!r}"  # type: ignore[union-attr]
    assert process.returncode == -signal.SIGKILL

    if make_url(db_url).get_backend_name() == "sqlite":
        with sqlite3.connect(str(make_url(db_url).database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    registry = Registry(db_url)
    assert registry.version("blr").version == 1
    assert registry.version("blr").entities == 408
    with Session(registry.engine) as session:
        assert session.scalar(select(func.count()).select_from(ListVersion)) == 1
        assert session.scalar(select(func.count()).select_from(VersionEntity)) == 816
    # and the registry takes the next import as usual
    edited = read_rows(belarus_csv)
    edited[1][COLUMNS.index("birthDate")] = "1900"
    assert registry.import_list(
        read_list(write_rows(tmp_path / "e.csv", edited)), name="blr"
    ).created
    registry.close()
