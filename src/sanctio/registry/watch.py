"""Telling cheaply whether anything was committed to the registry since the last look.

A service answering hundreds of requests a second checks on each one that the lists
it screens against are still current. Asking the database for the newest version
costs a pooled connection and a query (under load, connections churn and the check
cost as much as the screening); SQLite keeps a counter for exactly this question,
``PRAGMA data_version``, which changes whenever another connection, in this process
or another, commits (https://www.sqlite.org/pragma.html#pragma_data_version). It is
read on a connection of its own that never writes. PostgreSQL has no such counter, so
there every look says "maybe changed" and the caller queries as before.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy.engine import make_url


class CommitWatch:
    """``changed()`` is False only when nothing was committed since its last call."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        database = parsed.database or ""
        self._path = (
            database
            if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
            else None
        )
        self._connection: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._lock = threading.Lock()

    def changed(self) -> bool:
        if self._path is None:
            return True
        with self._lock:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    self._path, check_same_thread=False, isolation_level=None, timeout=30
                )
            (version,) = self._connection.execute("PRAGMA data_version").fetchone()
            changed: bool = version != self._seen
            self._seen = version
            return changed

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._seen = None
