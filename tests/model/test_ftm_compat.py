"""Our schemata and our output checked against the followthemoney library itself.

Runs where the optional extra ``sanctio[ftm]`` is installed (always in CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctio.lists import read_list
from sanctio.model.schemata import ABSTRACT, SCHEMATA
from tests.conftest import missing


@pytest.fixture
def ftm_model() -> Any:
    try:
        from followthemoney import model
    except ImportError:
        missing("followthemoney not installed (pip install 'sanctio[ftm]', needs libicu-dev)")
    return model


@pytest.mark.parametrize("name", sorted(SCHEMATA))
def test_schema_declarations_match_followthemoney(ftm_model: Any, name: str) -> None:
    parents, matchable, own = SCHEMATA[name]
    schema = ftm_model.get(name)
    assert schema is not None, f"FtM has no schema {name}"
    assert {p.name for p in schema.extends} == set(parents)
    assert schema.abstract == (name in ABSTRACT)
    assert schema.matchable == matchable
    for prop, kind in own.items():
        assert prop in schema.properties, f"FtM {name} has no property {prop}"
        assert schema.properties[prop].type.name == kind, f"{name}.{prop}"


def test_every_entity_read_from_the_belarus_list_is_valid_ftm(
    ftm_model: Any, belarus_csv: Path
) -> None:
    parsed = read_list(belarus_csv)
    for entity in parsed.entities:
        data = entity.to_dict()
        proxy = ftm_model.get_proxy(data, cleaned=False)
        assert proxy.id == entity.id
        for prop, values in data["properties"].items():
            ftm_prop = proxy.schema.properties[prop]
            for value in values:
                assert ftm_prop.type.validate(value), f"{entity.id} {prop}={value!r}"
        # a target's references point at entities of the list
    ids = {e.id for e in parsed.entities}
    assert all(ref in ids for e in parsed.entities for _, ref in e.references())
