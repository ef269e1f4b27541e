"""Retrieval never loses what the scorer would match.

``Screener.screen`` scores only the candidates its index fetches and its estimates
pass. Whatever a query adds or changes (a title, a year, an initial, a middle name, a
suffix, another order, a typo, invisible characters), every listed entity that the
scorer, run on every entity of the list, scores at or above the threshold must be among
the results. Held on the Belarus regime as bundled, with queries made from its own
names by hypothesis.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener
from sanctio.screening.scorer import compare_query

LIMIT = 10


@cache
def _listed() -> tuple[Screener, tuple[Entity, ...], tuple[str, ...]]:
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        entities = tuple(read_list(path).targets)
    screener = Screener()
    screener.add(entities, "eu-32006R0765")
    names = tuple(sorted({name for entity in entities for name in entity.names}))
    return screener, entities, names


_EXTRA = ["Mr", "Dr.", "Gen.", "Sheikh", "Jr", "III", "1954", "G.", "A.", "Ivan", "OJSC", "LLC"]
_INVISIBLE = ["\u200b", "\ufe0f", "\u034f", "\u00ad", "\u2060", "\U000e0041", "\u180b"]


@st.composite
def queries(draw: st.DrawFn) -> str:
    """A listed name with some of what customers' records do to names."""
    _, _, names = _listed()
    words = draw(st.sampled_from(names)).split()
    typos = 0
    for _ in range(draw(st.integers(0, 2))):
        change = draw(st.sampled_from(["extra", "drop", "swap", "typo", "invisible", "lower"]))
        if change == "typo":
            # one letter dropped: two in one word (ASTREIKA / AREIKA) lie beyond the
            # keys the look-up finds alike, a known gap (docs/screening.md)
            typos += 1
            if typos > 1:
                continue
        at = draw(st.integers(0, len(words)))
        if change == "extra":
            words.insert(at, draw(st.sampled_from(_EXTRA)))
        elif change == "drop" and len(words) > 2:
            del words[min(at, len(words) - 1)]
        elif change == "swap" and len(words) > 1:
            words = [words[-1], *words[:-1]]
        elif change == "typo":
            word = words[min(at, len(words) - 1)]
            if len(word) > 4:
                cut = draw(st.integers(1, len(word) - 2))
                words[min(at, len(words) - 1)] = word[:cut] + word[cut + 1 :]
        elif change == "invisible":
            word = words[min(at, len(words) - 1)]
            cut = draw(st.integers(0, len(word)))
            mark = draw(st.sampled_from(_INVISIBLE))
            words[min(at, len(words) - 1)] = word[:cut] + mark + word[cut:]
        elif change == "lower":
            words = [w.lower() for w in words]
    return " ".join(words)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(queries(), st.sampled_from(["Person", "Thing"]))
def test_every_entity_the_scorer_matches_is_screened(text: str, schema: str) -> None:
    screener, entities, _ = _listed()
    query = Query.make(text, schema=schema)
    forms = query.name_forms()
    scored = {
        entity.id: compare_query(query, entity, DEFAULT_THRESHOLD).score for entity in entities
    }
    expected = {id_ for id_, score in scored.items() if score >= DEFAULT_THRESHOLD}
    found = {m.entity.id for m in screener.screen(query, limit=LIMIT) if m.comparison.match}
    if len(expected) <= LIMIT:
        assert expected <= found, (text, forms[0].parts, expected - found)
    else:
        assert len(found) == LIMIT


def test_a_title_year_or_initial_keeps_the_listed_person() -> None:
    """The forms a user types first: each finds Aliaksandr Ryhoravich LUKASHENKA."""
    screener, _, _ = _listed()
    for text in (
        "Mr Alexander Lukashenko",
        "Aleksandr Lukashenko 1954",
        "Alexander Lukashenko Jr",
        "Alexander G. Lukashenko",
        "Gen. Alexander Lukashenko",
    ):
        best = screener.screen(Query.make(text))[0]
        assert best.entity.caption == "Aliaksandr Ryhoravich LUKASHENKA", text
        assert best.comparison.match, (text, best.comparison.explanation)


def _one(schema: str, name: str) -> Screener:
    entity = Entity.make(schema, "listed", caption=name, target=True)
    entity.add("name", name)
    screener = Screener()
    screener.add([entity], "list")
    return screener


def test_short_words_one_letter_off_and_words_cut_to_three_letters_are_fetched() -> None:
    """Keys of two or three letters are filed under their deletions, and long ones cut
    to three letters with them (a field's length, McCune-Reischauer apostrophes lost)."""
    for schema, listed, query in [
        ("Airplane", "EP-MNA", "EP-MA"),
        ("Person", "RI, Cho'ng-Wo'n", "Cho'ng-W'n RI"),
        ("Vessel", "YU PHYONG 5", "YU PHYO 5"),
    ]:
        screener = _one(schema, listed)
        entity = screener.index.entities[0].entity
        expected = compare_query(Query.make(query, schema=schema), entity, DEFAULT_THRESHOLD)
        assert expected.match, (query, expected.explanation)
        found = screener.screen(Query.make(query, schema=schema))
        assert [m.entity.id for m in found] == ["listed"], query
