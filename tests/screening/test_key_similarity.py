"""Key similarity: the same for a pair whichever way round and however many keys are
compared at once, and it tells spelling variants from different names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.names.keys import token_key
from sanctio.screening.scorer import FUZZY_KNEE, key_similarities, key_similarity

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
