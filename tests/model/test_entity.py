"""Entities: FtM property names and types enforced, FtM JSON in and out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.model import Entity, InvalidValueError, get_schema


def test_person_is_a_legal_entity_with_inherited_properties() -> None:
    person = get_schema("Person")
    assert person.is_a("LegalEntity")
    assert person.is_a("Thing")
    assert person.get("registrationNumber") is not None  # from LegalEntity
    assert person.get("birthDate") is not None
    assert get_schema("Organization").get("birthDate") is None


def test_values_are_checked_against_their_type() -> None:
    person = Entity.make("Person", "p1", caption="A")
    person.add("birthDate", ["1953-01-29", "1954"])
    person.add("nationality", "BY")
    person.add("gender", "Female")
    assert person.get("birthDate") == ["1953-01-29", "1954"]
    assert person.get("nationality") == ["by"]
    assert person.get("gender") == ["female"]
    with pytest.raises(InvalidValueError, match="expected an ISO date"):
        person.add("birthDate", "29.1.1953")
    with pytest.raises(InvalidValueError, match="country code"):
        person.add("nationality", "Belarusian")
    with pytest.raises(InvalidValueError, match="a property of Person"):
        person.add("imoNumber", "123")
    with pytest.raises(KeyError, match="abstract"):
        Entity.make("Thing", "t1")


def test_values_are_deduplicated_and_blank_ones_dropped() -> None:
    person = Entity.make("Person", "p1")
    person.add("alias", ["A  B", "A B", " ", ""])
    assert person.get("alias") == ["A B"]
    person.add("notes", "")
    assert "notes" not in person.properties


def test_ftm_json_round_trip() -> None:
    person = Entity.make("Person", "p1", caption="Lidzia YARMOSHINA", target=True)
    person.add("name", "Lidzia YARMOSHINA")
    person.add("alias", ["Лидия ЕРМОШИНА"])
    data = person.to_dict()
    assert data == {
        "id": "p1",
        "schema": "Person",
        "caption": "Lidzia YARMOSHINA",
        "target": True,
        "properties": {"alias": ["Лидия ЕРМОШИНА"], "name": ["Lidzia YARMOSHINA"]},
    }
    again = Entity.from_dict(data)
    assert again.to_dict() == data
    assert again.state_hash() == person.state_hash()


def test_state_hash_ignores_order_but_not_content() -> None:
    a = Entity.make("Person", "p1")
    a.add("alias", ["x", "y"])
    b = Entity.make("Person", "p1")
    b.add("alias", ["y", "x"])
    assert a.state_hash() == b.state_hash()
    b.add("alias", "z")
    assert a.state_hash() != b.state_hash()


def test_from_dict_refuses_what_ftm_would_refuse() -> None:
    with pytest.raises(KeyError, match="unknown schema"):
        Entity.from_dict({"id": "x", "schema": "Persn", "properties": {}})
    with pytest.raises(InvalidValueError):
        Entity.from_dict({"id": "x", "schema": "Person", "properties": {"birthDate": ["soon"]}})


@given(
    st.dictionaries(
        st.sampled_from(["name", "alias", "notes", "position"]),
        st.lists(st.text(min_size=1, max_size=10), max_size=3),
    )
)
def test_any_clean_entity_survives_json(properties: dict[str, list[str]]) -> None:
    entity = Entity.make("Person", "p")
    for prop, values in properties.items():
        entity.add(prop, values)
    assert Entity.from_dict(entity.to_dict()).to_dict() == entity.to_dict()
