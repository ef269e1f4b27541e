"""The cheap "anything committed?" check a service makes on every request: it must
never say "unchanged" after a list version was stored, whoever stored it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sanctio.registry import Registry
from sanctio.registry.watch import CommitWatch
from tests.api import import_belarus


def test_sqlite_commits_by_another_connection_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE t (x INTEGER)")
    watch = CommitWatch(f"sqlite:///{path}")
    assert watch.changed()  # the first look knows nothing yet
    assert not watch.changed()
    other.execute("INSERT INTO t VALUES (1)")
    assert watch.changed()
    assert not watch.changed()
    other.execute("SELECT * FROM t").fetchall()  # a read is no change
    assert not watch.changed()
    watch.close()
    assert watch.changed()  # reopened: knows nothing again
    other.close()


def test_without_a_counter_every_look_says_changed() -> None:
    for url in ("postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:///:memory:"):
        watch = CommitWatch(url)
        assert watch.changed()
        assert watch.changed()


def test_known_stamp_is_forgotten_when_a_version_is_stored(db_url: str) -> None:
    service_side = Registry(db_url)
    try:
        assert service_side.known_stamp() is None  # never read
        empty = service_side.stamp()
        assert empty == (0, 0)
        on_sqlite = db_url.startswith("sqlite")
        # PostgreSQL has no commit counter: every stamp is a query, none is known
        assert service_side.known_stamp() == (empty if on_sqlite else None)
        import_belarus(db_url)  # another Registry: another connection, as another process
        assert service_side.known_stamp() is None
        newest, count = service_side.stamp()
        assert count == 1
        assert newest > 0
        assert service_side.known_stamp() == ((newest, count) if on_sqlite else None)
    finally:
        service_side.close()
