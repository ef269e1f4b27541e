"""Opening registries: automatic migrations, and clear errors for bad URLs."""

from __future__ import annotations

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
