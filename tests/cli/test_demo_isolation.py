"""Demos never write into the user's registry: with SANCTIO_DB (or --db) naming one,
``sanctio demo`` still uses its own database in the data directory; only ``--into``
writes elsewhere, and the forensics demo then records as a real user of that registry
(its token), never as a user that does not exist there."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import MetaData, create_engine, select

from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from sanctio.registry.audit import entries
from tests.cli.test_cli import sanctio


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the registry at ``url``."""
    engine = create_engine(url)
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted(map(tuple, connection.execute(select(table))), key=repr)
                for name, table in tables.tables.items()
            }
    finally:
        engine.dispose()


def test_the_forensics_demo_leaves_the_registry_of_sanctio_db_unchanged(
    db_url: str, private_data_dir: Path
) -> None:
    registry = Registry(db_url)
    workflow = Designation(registry)
    officer = workflow.add_user(None, "olga", Role.OFFICER)
    proposer = workflow.add_user(workflow.authenticate(officer), "eeas", Role.PROPOSER)
    registry.close()
    before = snapshot(db_url)

    ran = sanctio("demo", "forensics", "--json", env={"SANCTIO_DB": db_url})
    assert json.loads(ran.stdout)["findings_added"] == 652
    assert "the demo uses its own database" in ran.stderr
    assert snapshot(db_url) == before
    # the findings went to the demo's own database, recorded by its officer
    own = Registry(f"sqlite:///{private_data_dir / 'belarus-2020.db'}")
    assert [(e.actor, e.action) for e in entries(own.engine)][-1][0] == "sanctions-officer"
    own.close()

    # --into writes there, only as a user of that registry
    refused = sanctio("demo", "forensics", "--into", db_url, ok=False, env={"SANCTIO_TOKEN": ""})
    assert refused.returncode == 1
    assert "pass --token (or set SANCTIO_TOKEN) of an officer or proposer" in refused.stderr
    assert snapshot(db_url) == before
    into = sanctio("demo", "forensics", "--into", db_url, "--json", env={"SANCTIO_TOKEN": proposer})
    assert json.loads(into.stdout)["findings_added"] == 652
    registry = Registry(db_url)
    assert entries(registry.engine)[-1].actor == "eeas"
    registry.close()


def test_the_replay_goes_into_a_registry_only_when_it_has_no_users(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    registry = Registry(url)
    Designation(registry).add_user(None, "olga", Role.OFFICER)
    registry.close()
    before = snapshot(url)
    refused = sanctio("demo", "belarus-2020", "--into", url, ok=False)
    assert refused.returncode == 1
    assert "needs a registry without any; this one has users" in refused.stderr
    assert snapshot(url) == before
