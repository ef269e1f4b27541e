"""What a query word finds is kept for the next queries, up to ``HITS_CACHED`` words;
when full, the least recently used quarter is dropped, so the common words stay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sanctio.lists import read_list
from sanctio.names import name_forms
from sanctio.names.parts import NamePart, make_part
from sanctio.screening import Screener
from sanctio.screening import index as index_module
from sanctio.screening.index import NameIndex

WORDS = ["lukashenka", "yermoshina", "karayev", "aleksandr", "lidia", "viktor", "yury"]


@pytest.fixture
def index(belarus_csv: Path) -> NameIndex:
    parsed = read_list(belarus_csv)
    built = Screener()
    built.add(parsed.entities, parsed.name)
    return built.index


def part(word: str) -> NamePart:
    return name_forms(word)[0].parts[0]


def test_a_word_in_use_outlives_words_not_used_since(
    index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "HITS_CACHED", 4)
    monkeypatch.setattr(index_module, "HITS_DROPPED", 2)
    kept = {w: index.part_hits(part(w)) for w in WORDS[:4]}  # full: four words
    assert index.part_hits(part(WORDS[0])) is kept[WORDS[0]]  # the first, used again
    index.part_hits(part(WORDS[4]))  # a fifth: the two least recently used go
    assert index.part_hits(part(WORDS[0])) is kept[WORDS[0]]
    assert index.part_hits(part(WORDS[3])) is kept[WORDS[3]]
    assert index.part_hits(part(WORDS[1])) is not kept[WORDS[1]]  # found anew
    assert len(index._hits) <= 4


def test_kept_hits_are_what_a_fresh_look_up_finds(index: NameIndex) -> None:
    for word in WORDS:
        kept = index.part_hits(part(word))
        again = index.part_hits(part(word))
        fresh = index._find_hits(part(word))
        assert again is kept
        assert np.array_equal(kept.numbers, fresh.numbers)
        assert np.array_equal(kept.scores, fresh.scores)
        assert kept.similar == fresh.similar


def test_a_word_is_kept_once_for_every_role_but_a_fathers_name(index: NameIndex) -> None:
    """The role only weighs what a word finds, so a customer's Yermoshina and a listed
    YERMOSHINA share their hits; as a father's name a word finds fathers' names only."""
    assert index.part_hits(make_part("yermoshina")) is index.part_hits(
        make_part("yermoshina", True)
    )
    father = index.part_hits(make_part("aliaksandravich"))
    family = index.part_hits(make_part("aliaksandravich", True))
    assert len(father.numbers) > len(family.numbers) > 0  # sons of Aliaksandrs; a family


def test_the_hits_kept_stay_within_their_bytes_however_few_the_words(
    index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large index a word finds large arrays: the words kept are bounded by the
    bytes of their hits as well as by their number, the least recently used going
    first."""
    sizes = {w: index._find_hits(part(w)).numbers.nbytes * 3 for w in WORDS}  # + scores
    budget = sum(sizes[w] for w in WORDS[-3:])  # room for the last three, not all
    assert budget < sum(sizes.values())
    monkeypatch.setattr(index_module, "HITS_BYTES", budget)
    for word in WORDS:
        index.part_hits(part(word))
    kept = list(index._hits.values())
    assert sum(h.numbers.nbytes + h.scores.nbytes for h in kept) == index._hits_bytes
    assert index._hits_bytes <= budget
    assert index.part_hits(part(WORDS[-1])) is kept[-1]  # the last used is kept
    assert len(kept) < len(WORDS)


def test_a_prepared_index_has_looked_up_its_most_common_words(
    index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service prepares its index at start-up: the dearest look-ups, those of the
    words most entities hold, are not left to its first queries."""
    index.prepare()
    common = max(index.name_keys | index.patronymic_keys, key=lambda k: len(index.postings(k)))
    spellings = [text for text, key in index.neighbours.words() if key == common]
    assert spellings

    def looked_up_again(word: NamePart) -> None:
        pytest.fail(f"{word.text} was looked up again")

    monkeypatch.setattr(index, "_find_hits", looked_up_again)
    for text in spellings:
        assert len(index.part_hits(make_part(text)).numbers) >= len(index.postings(common))


def test_preparing_takes_at_most_half_of_the_bytes_allowed(
    index: NameIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.prepare()
    everything = index._hits_bytes  # the list's common words, all of them
    largest = max(h.numbers.nbytes + h.scores.nbytes for h in index._hits.values())
    index._hits.clear()
    index._hits_bytes = 0
    monkeypatch.setattr(index_module, "HITS_BYTES", everything // 2)
    index.prepare()
    # it stops at the word that takes it past a quarter (a father's name: two roles)
    assert everything // 4 < index._hits_bytes <= everything // 4 + 2 * largest
