"""What a query word finds: looked for among candidates key by key (a word in tens of
thousands of names) or through the merged array, the answer is the same."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.screening import index
from sanctio.screening.index import PartHits

entity_numbers = st.lists(st.integers(0, 300), max_size=60)
similarities = st.sampled_from([1.0, 0.95, 0.9, 0.82, 0.75, 0.6, 0.5])


@settings(max_examples=300)
@given(st.lists(st.tuples(entity_numbers, similarities), max_size=6), entity_numbers)
def test_key_by_key_equals_merged(keys: list[tuple[list[int], float]], asked: list[int]) -> None:
    postings = [(np.unique(np.asarray(n, dtype=np.int32)), s) for n, s in keys if n]
    numbers = np.asarray(asked, dtype=np.int32)
    with patch.object(index, "LAZY_HITS", -1):
        lazy = PartHits({}, postings)
        key_by_key = lazy.best(numbers)
        # another form of the same query, then the next query (merged by then)
        again, next_query = lazy.best(numbers), lazy.best(numbers.copy())
        flagged = PartHits({}, postings).numbers  # marked, not merged
    merged_hits = PartHits({}, postings)
    merged = merged_hits.best(numbers)
    # the merged array holds each entity once with its best similarity...
    expected = {
        n: max(s for held, s in postings if n in held) for held, _ in postings for n in held
    }
    assert merged_hits.numbers.tolist() == flagged.tolist() == sorted(expected)
    # ...and either way each asked entity gets it, or 0 when no key of it is alike
    assert merged.tolist() == [expected.get(n, 0.0) for n in asked]
    assert key_by_key.tolist() == merged.tolist()
    assert again.tolist() == next_query.tolist() == merged.tolist()


def test_a_word_in_more_names_than_the_limit_is_common_without_merging() -> None:
    many = np.arange(5_000, dtype=np.int32)
    hits = PartHits({"ivanov": 1.0}, [(many, 1.0), (many[:10], 0.9)])
    assert hits.more_than(2_000)
    assert hits._merged is None  # told from the largest key's count alone
    # keys of 1,900 entities each, overlapping: 2,400 entities in all, or 1,900
    spread = [(many[start : start + 1_900], 0.9) for start in (0, 100, 300, 500)]
    assert PartHits({}, spread).more_than(2_000)
    same = [(many[:1_900], similarity) for similarity in (1.0, 0.9, 0.8, 0.7)]
    counted = PartHits({}, same)
    assert not counted.more_than(2_000)
    assert counted._merged is None  # counted, not merged with the similarities
    assert counted.numbers.tolist() == list(range(1_900))
