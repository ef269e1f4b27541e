"""What the screening caches keep is not walked by the cycle collector, so that a
service's full collections stay short however many customers' names it has seen (they
took 120-160 ms with requests waiting, docs/benchmarks.md)."""

from __future__ import annotations

import gc
import random
import tracemalloc
from pathlib import Path

import pytest

from sanctio.lists import read_list
from sanctio.names import name_forms
from sanctio.names.parts import NamePart, make_part
from sanctio.screening import Query, Screener
from sanctio.screening.scorer import forget_pairs
from sanctio.untracked import untracked


@pytest.fixture
def screener(belarus_csv: Path) -> Screener:
    parsed = read_list(belarus_csv)
    built = Screener()
    built.add(parsed.entities, parsed.name)
    return built


def test_a_names_forms_and_their_parts_are_left_to_reference_counting() -> None:
    forms = name_forms("Александр Григорьевич Лукашенко")
    assert len(forms) > 1  # romanized several ways
    for form in forms:
        assert not gc.is_tracked(form)
        assert not gc.is_tracked(form.parts)
        assert not gc.is_tracked(form.keys)
        assert not any(gc.is_tracked(part) for part in form.parts)


def test_a_words_hits_are_left_to_reference_counting(screener: Screener) -> None:
    hits = screener.index.part_hits(name_forms("Lukashenka")[0].parts[0])
    assert len(hits.numbers) > 1  # the president and his sons
    assert not gc.is_tracked(hits)


def test_screening_new_names_leaves_the_collector_nearly_nothing_more_to_walk(
    screener: Screener,
) -> None:
    """Every query brings words and names the caches keep; before, each added half a
    dozen objects for every full collection to walk until the caches dropped them."""
    rng = random.Random(7)
    listed = [name for entity in screener.index.entities for name in entity.entity.names]
    words = sorted({w for name in listed for w in name.split() if w.isalpha() and len(w) > 3})
    queries = []
    for _ in range(300):
        picked = rng.sample(words, 3)
        typo = rng.randrange(1, len(picked[2]))
        picked[2] = picked[2][:typo] + picked[2][typo:][::-1]  # a new word each time
        queries.append(Query.make(" ".join(picked)))
    for query in queries[:20]:  # the module-level caches made, whatever ran before
        forget_pairs()
        screener.screen(query)
    gc.collect()
    before = len(gc.get_objects())
    for query in queries[20:]:
        forget_pairs()  # as a service does before each batch
        screener.screen(query)
    gc.collect()
    assert len(gc.get_objects()) - before < 30  # one for every ten queries at most


def test_untracked_values_are_still_freed_and_atomic_ones_left_alone() -> None:
    word = "yermoshina"
    assert untracked(word) is word
    tracemalloc.start()
    try:
        made = [untracked(NamePart(f"w{i}", f"k{i}", "other")) for i in range(10_000)]
        assert not any(gc.is_tracked(part) for part in made)
        held, _ = tracemalloc.get_traced_memory()
        del made
        gc.collect()  # nor does the collector trip over them
        left, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held - left > 1_000_000  # the parts and their words, freed by reference counts
    assert not gc.is_tracked(make_part("yermoshina"))
