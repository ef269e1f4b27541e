"""Key similarity: the same for a pair whichever way round and however many keys are
compared at once, and it tells spelling variants from different names; the cover's
cheap bound on a pair's similarity never says no to a pair the scorer pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.names.keys import token_key
from sanctio.names.parts import make_part
from sanctio.screening.scorer import (
    FUZZY_KNEE,
    PAIRED,
    key_similarities,
    key_similarity,
    may_pair,
    part_similarity,
)

keys = st.text(alphabet="aeioubdghkmnrstvzCWZT", min_size=1, max_size=12)


@settings(max_examples=300)
@given(keys, st.lists(keys, max_size=8))
def test_many_at_once_equals_one_by_one(key: str, others: list[str]) -> None:
    many = key_similarities(key, others)
    assert many == [key_similarities(key, [other])[0] for other in others]
    assert all(0.0 <= value <= 1.0 for value in many)
    assert all(value == 1.0 for other, value in zip(others, many, strict=True) if other == key)


@settings(max_examples=300)
@given(keys, keys)
def test_symmetric(a: str, b: str) -> None:
    assert key_similarity(a, b) == pytest.approx(key_similarity(b, a))


@pytest.mark.parametrize(
    ("a", "b"),
    [("YARMOSHINA", "YERMOSHINA"), ("TSERABAU", "TEREBOV"), ("KARAEU", "KARAYEV")],
)
def test_spelling_variants_are_above_the_knee(a: str, b: str) -> None:
    assert key_similarity(token_key(a.lower()), token_key(b.lower())) >= FUZZY_KNEE


@pytest.mark.parametrize(("a", "b"), [("IVANOV", "RIABOV"), ("PETROV", "SIDOROV")])
def test_different_names_are_pushed_below_it(a: str, b: str) -> None:
    assert key_similarity(token_key(a.lower()), token_key(b.lower())) < 0.5


words = st.text(alphabet="abdeghijklmnorstuvyzh", min_size=1, max_size=12)
#: real spellings, so that given-name groups, patronymics and near variants all occur
spellings = st.sampled_from(
    ["aliaksandr", "alexander", "aleksandrovich", "lidzia", "lidiya", "yarmoshina",
     "yermoshina", "abdellah", "labella", "lukashenka", "lukashenko", "ivanovna",
     "viktar", "viktor", "i", "a", "hassan", "ghassan", "petrov", "sidorov"]
)  # fmt: skip


@settings(max_examples=1000)
@given(words | spellings, st.booleans(), words | spellings, st.booleans())
def test_may_pair_is_false_only_below_paired(a: str, cap_a: bool, b: str, cap_b: bool) -> None:
    """The cover's cheap bound never turns away a pair the scorer would pair."""
    q, c = make_part(a, cap_a), make_part(b, cap_b)
    if not may_pair(q, c):
        assert part_similarity(q, c)[0] <= PAIRED


def test_may_pair_turns_away_different_names_and_keeps_variants() -> None:
    def bound(a: str, b: str) -> bool:
        return may_pair(make_part(a), make_part(b))

    assert not bound("petrov", "mohammed")
    assert bound("abdellah", "labella")
    assert bound("yarmoshina", "yermoshina")
    # just above the bound: plain similarity 0.714, which the scorer pairs at 0.45
    assert part_similarity(make_part("petrov"), make_part("petrenko"))[0] > PAIRED
    assert bound("petrov", "petrenko")
