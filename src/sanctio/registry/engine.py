"""Opening the registry database named by one URL, and bringing its tables up to date.

SQLite (the embedded default) and PostgreSQL are opened the same way; Alembic
migrations run automatically the first time a database is used, and again whenever
this version of Sanctio brings new ones.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from sanctio.errors import SanctioError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration; a test checks it is Alembic's head. Knowing it lets a command
#: skip importing Alembic when the database is already up to date.
HEAD = "0007"
WRITE_OPTION = "sanctio_write"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def open_engine(url: str) -> Engine:
    """An engine for ``url`` with its schema migrated to the newest revision."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SanctioError(
            f"SANCTIO_DB: cannot read database URL {url!r}; expected e.g. "
            "sqlite:///path/to/sanctio.db or postgresql+psycopg://user@host/db"
        ) from None
    kwargs: dict[str, Any] = {}
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private(Path(parsed.database).expanduser(), shown)
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    else:
        raise SanctioError(
            f"SANCTIO_DB: unsupported database {parsed.get_backend_name()!r}; "
            "expected sqlite:///... or postgresql+psycopg://..."
        )
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        migrate(engine)
    except DBAPIError as exc:
        raise SanctioError(
            f"cannot open the registry at {shown}: {str(exc.orig).strip()}"
        ) from None
    return engine


def _create_private(database: Path, shown: str) -> None:
    """Create a new SQLite registry readable by its owner only (0600; SQLite gives its
    -wal and -shm files the same mode), in a folder made 0700 if it is new: the
    registry holds restricted evidence, users' token hashes and the audit trail, and
    the umask would otherwise leave it readable by every account on the machine.
    An existing file or folder keeps its mode."""
    try:
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise SanctioError(f"cannot create the folder for {shown}: {exc}") from None
    try:
        descriptor = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise SanctioError(f"cannot create the registry {shown}: {exc}") from None
    os.close(descriptor)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, and a write-ahead log so readers never wait for an import.

    The driver's own transaction handling is switched off so that ``_sqlite_begin``
    decides how each transaction starts.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for a new database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
        return str(revision) if revision is not None else None


def _sqlite_begin(connection: Connection) -> None:
    """Writers take SQLite's write lock at the start (BEGIN IMMEDIATE).

    Two imports then queue one after the other, as PostgreSQL's row lock makes them
    do, instead of the second failing when it finds the first has written meanwhile.
    """
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, for transactions that write: they start holding the write lock."""
    return engine.execution_options(**{WRITE_OPTION: True})


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest migration, if it is not there already."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # SQLite rebuilds a table to drop a constraint (batch mode), dropping the old
        # one first: its foreign keys are off for that (the pragma cannot change inside
        # a transaction), and checked before the migration commits
        raw = connection.connection.dbapi_connection
        if sqlite and raw is not None:
            raw.cursor().execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise SanctioError("the migration would break a foreign key; not applied")
        finally:
            if sqlite and raw is not None:
                raw.cursor().execute("PRAGMA foreign_keys=ON")
