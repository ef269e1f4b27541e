"""The vectorised key similarity used for candidates agrees with the scorer's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.screening.scorer import key_similarities, key_similarity

keys = st.text(alphabet="aeioubdghkmnrstvzCWZT", min_size=1, max_size=12)


@settings(max_examples=300)
@given(keys, st.lists(keys, max_size=8))
def test_many_at_once_equals_one_by_one(key: str, others: list[str]) -> None:
    expected = [1.0 if other == key else key_similarity(key, other) for other in others]
    assert key_similarities(key, others) == expected
