"""What a query word finds: each entity holding a key like it, once, with the best
similarity among the keys it holds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.screening.index import _best_per_entity

entity_numbers = st.lists(st.integers(0, 300), min_size=1, max_size=60)
similarities = st.sampled_from([1.0, 0.95, 0.9, 0.82, 0.75, 0.6, 0.5])


@settings(max_examples=300)
@given(st.lists(st.tuples(entity_numbers, similarities), max_size=6))
def test_each_entity_once_with_its_best_key(keys: list[tuple[list[int], float]]) -> None:
    postings = [(np.unique(np.asarray(n, dtype=np.int32)), s) for n, s in keys]
    numbers, scores = _best_per_entity(postings)
    held_by: dict[int, list[float]] = {}
    for held, similarity in postings:
        for number in held.tolist():
            held_by.setdefault(number, []).append(similarity)
    assert numbers.tolist() == sorted(held_by)
    assert scores.tolist() == [max(held_by[n]) for n in sorted(held_by)]
