"""Diffs: whenever a list's content changes, the diff says what changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.lists import ParsedList
from sanctio.model import Entity
from sanctio.registry import diff_entities


def person(i: int, names: list[str], birth: list[str]) -> Entity:
    entity = Entity.make("Person", f"p{i}", caption=names[0] if names else f"p{i}", target=True)
    entity.add("name", names)
    entity.add("birthDate", birth)
    return entity


def sanction(i: int, n: int, reason: str) -> Entity:
    entity = Entity.make("Sanction", f"p{i}--sanction-{n}", caption="EU-BLR")
    entity.add("entity", f"p{i}")
    entity.add("reason", reason)
    return entity


def parsed(entities: list[Entity]) -> ParsedList:
    return ParsedList("x", "test", Path("x"), entities)


def test_a_second_identical_sanction_is_a_change() -> None:
    old = [person(1, ["A B"], []), sanction(1, 1, "r")]
    new = [*old, sanction(1, 2, "r")]
    diff = diff_entities("x", old, new)
    (item,) = diff.changed
    assert item["properties"]["Sanction:reason"] == {
        "old": ["r"],
        "new": ["p1--sanction-1: r", "p1--sanction-2: r"],
    }
    assert item["properties"]["Sanction:id"]["new"] == ["p1--sanction-1", "p1--sanction-2"]


def test_caption_change_is_reported() -> None:
    old = person(1, ["A B"], [])
    new = person(1, ["A B"], [])
    new.caption = "A. B."
    (item,) = diff_entities("x", [old], [new]).changed
    assert item["properties"] == {"caption": {"old": ["A B"], "new": ["A. B."]}}


def test_two_sanctions_swapping_reasons_is_a_change() -> None:
    old = [person(1, ["A B"], []), sanction(1, 1, "r1"), sanction(1, 2, "r2")]
    new = [person(1, ["A B"], []), sanction(1, 1, "r2"), sanction(1, 2, "r1")]
    (item,) = diff_entities("x", old, new).changed
    assert item["properties"]["Sanction:reason"]["new"] == [
        "p1--sanction-1: r2",
        "p1--sanction-2: r1",
    ]


def test_reordered_values_are_no_change() -> None:
    old = person(1, ["A B", "C D"], [])
    new = person(1, ["C D", "A B"], [])
    new.caption = old.caption
    assert parsed([old]).content_hash() == parsed([new]).content_hash()
    assert diff_entities("x", [old], [new]).changed == []


names = st.lists(st.sampled_from(["A B", "C D", "E F"]), max_size=2, unique=True)
births = st.lists(st.sampled_from(["1953", "1953-01-29", "1960"]), max_size=2, unique=True)
lists = st.builds(
    lambda people, sanctions: [
        *(person(i, n, b) for i, (n, b) in enumerate(people)),
        *(sanction(i % max(len(people), 1), k, r) for k, (i, r) in enumerate(sanctions) if people),
    ],
    st.lists(st.tuples(names, births), max_size=3),
    st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["r1", "r2"])), max_size=3),
)


@settings(max_examples=300)
@given(lists, lists)
def test_a_content_change_always_shows_in_the_diff(old: list[Entity], new: list[Entity]) -> None:
    changed = parsed(old).content_hash() != parsed(new).content_hash()
    diff = diff_entities("x", old, new)
    assert changed == bool(diff.added or diff.removed or diff.changed)
