"""Screening against the real EU Belarus list."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctio.lists import read_list
from sanctio.names import name_forms
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener

PRESIDENT = "eu-32006r0765-i-a-45"
SON = "eu-32006r0765-i-a-46"
YARMOSHINA = "eu-32006r0765-i-a-33"


@pytest.fixture(scope="module")
def screener() -> Screener:
    from importlib import resources

    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        parsed = read_list(Path(path))
    built = Screener()
    built.add(parsed.entities, parsed.name)
    return built


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Лидия Ермошина", YARMOSHINA),
        ("Lidia YERMOSHINA", YARMOSHINA),
        ("Alexander Lukashenko", PRESIDENT),
        ("Аляксандр Лукашэнка", PRESIDENT),
        ("Viktor Lukashenko", SON),
        ("Karayev Yuri", "eu-32006r0765-i-a-5"),
    ],
)
def test_finds_the_listed_person_first(screener: Screener, query: str, expected: str) -> None:
    matches = screener.screen(Query.make(query))
    assert matches[0].entity.id == expected
    assert matches[0].comparison.match
    assert matches[0].lists == ("eu-32006R0765",)


def test_screening_the_president_does_not_alert_on_his_sons(screener: Screener) -> None:
    matches = screener.screen(
        Query.make("Aliaksandr Ryhoravich LUKASHENKA", birth_date="1954-08-30")
    )
    alerts = [m.entity.id for m in matches if m.comparison.match]
    assert alerts == [PRESIDENT]
    by_name_only = screener.screen(
        Query.make("Aliaksandr Ryhoravich LUKASHENKA"), threshold=0.0, limit=20
    )
    son = next(m for m in by_name_only if m.entity.id == SON)
    assert son.score < DEFAULT_THRESHOLD
    assert "given names differ" in son.comparison.explanation


def test_candidates_come_from_the_index_not_a_scan(screener: Screener) -> None:
    forms = name_forms("Lidia Yermoshina")
    candidates = screener.index.candidates(forms)
    assert YARMOSHINA in {screener.index.entities[i].entity.id for i in candidates}
    assert len(candidates) < len(screener.index) / 10


def test_threshold_and_limit(screener: Screener) -> None:
    loose = screener.screen(Query.make("Lukashenka"), threshold=0.0, limit=3)
    assert len(loose) == 3
    assert [m.score for m in loose] == sorted((m.score for m in loose), reverse=True)
    strict = screener.screen(Query.make("Lukashenka"), threshold=0.99, limit=3)
    assert not any(m.comparison.match for m in strict)
