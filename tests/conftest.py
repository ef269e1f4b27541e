"""Shared fixtures: a fresh registry on SQLite and on PostgreSQL, and the real data files.

Tests that need a PostgreSQL server or ``../shared/data`` skip locally with the reason
when those are absent; under CI (CI=true) a missing prerequisite fails the test,
because there it must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sanctio.designation.auth import Actor, Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """Skip for a developer, fail in CI: a prerequisite of this test is absent."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's local files (default registry, saved screening index) in its own
    folder, never the user's data directory; commands run by a test inherit it."""
    folder = tmp_path / "sanctio-data"
    monkeypatch.setenv("SANCTIO_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def shared_data() -> Path:
    """The real list and election files beside the project (../shared/data)."""
    if not SHARED_DATA.is_dir():
        missing(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def belarus_csv() -> Iterator[Path]:
    """The EU Belarus regime file as bundled with the package for the demo."""
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        yield path


def _postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = os.environ.get("SANCTIO_TEST_PG_URL")
    if not admin_url:
        missing("SANCTIO_TEST_PG_URL not set (start one with: eval $(bash .ci/postgres.sh))")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"sanctio_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        missing(f"PostgreSQL at {admin_url} not reachable: {exc}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A registry URL for an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
    else:
        yield from _postgres_url()


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    store = Registry(db_url)
    yield store
    store.close()


@pytest.fixture
def workflow(registry: Registry) -> Designation:
    """The designation workflow with an officer and the Belarus regime."""
    flow = Designation(registry)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(
        Actor("officer", Role.OFFICER),
        "BLR",
        "Belarus",
        "Decision 2012/642/CFSP",
        "Regulation (EC) No 765/2006",
        ["responsible for repression", "supporting the regime"],
        ["Asset freeze", "Travel ban"],
    )
    return flow
