"""Opening registries: automatic migrations, and clear errors for bad URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from sanctio.errors import SanctioError
from sanctio.registry import Registry
from sanctio.registry.engine import HEAD, alembic_config


def test_migrations_run_on_first_use(db_url: str) -> None:
    registry = Registry(db_url)
    tables = set(inspect(registry.engine).get_table_names())
    assert {"lists", "list_versions", "version_entities", "alembic_version"} <= tables
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head == HEAD
    with registry.engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head
    registry.close()
    Registry(db_url).close()  # opening again is a no-op, not a second migration


def test_default_sqlite_file_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "sanctio.db"
    Registry(f"sqlite:///{path}").close()
    assert path.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "cannot read database URL"),
        ("oracle://x@y/z", "unsupported database 'oracle'"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open the registry"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(SanctioError, match=message):
        Registry(url)


def test_a_file_that_is_no_database(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 100)
    with pytest.raises(SanctioError, match=r"cannot open the registry.*not a database"):
        Registry(f"sqlite:///{text_file}")


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file.csv"
    blocker.write_text("x")
    with pytest.raises(SanctioError, match="cannot create the folder"):
        Registry(f"sqlite:///{blocker / 'registry.db'}")


def test_a_new_sqlite_registry_is_readable_by_its_owner_only(
    tmp_path: Path, belarus_csv: Path
) -> None:
    """The registry holds restricted evidence, token hashes and the audit trail: 0600 in
    a new folder of 0700, whatever the umask (finding 12); its write-ahead log too."""
    from sanctio.lists import read_list

    old_umask = os.umask(0o022)
    try:
        database = tmp_path / "new-folder" / "registry.db"
        registry = Registry(f"sqlite:///{database}")
        registry.import_list(read_list(belarus_csv))
        modes = {p.name: p.stat().st_mode & 0o777 for p in database.parent.iterdir()}
        registry.close()
    finally:
        os.umask(old_umask)
    assert modes["registry.db"] == 0o600
    assert all(mode == 0o600 for mode in modes.values()), modes
    assert database.parent.stat().st_mode & 0o777 == 0o700


def test_an_existing_registry_file_keeps_its_mode(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    database.chmod(0o640)
    Registry(f"sqlite:///{database}").close()
    assert database.stat().st_mode & 0o777 == 0o640
