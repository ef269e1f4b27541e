"""A workflow with an officer and the Belarus regime, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sanctio.designation.auth import Actor, Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry

OFFICER = Actor("officer", Role.OFFICER)


@pytest.fixture
def workflow(registry: Registry) -> Designation:
    flow = Designation(registry)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(
        OFFICER,
        "BLR",
        "Belarus",
        "Decision 2012/642/CFSP",
        "Regulation (EC) No 765/2006",
        ["responsible for repression", "supporting the regime"],
        ["Asset freeze", "Travel ban"],
    )
    return flow
