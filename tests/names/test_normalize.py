"""Normalization: invisible characters, homoglyphs, case and punctuation never matter."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.names import normalize, word_script
from sanctio.names.scripts import cyrillic_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lidzia\u200b YARMOSHINA", "lidzia yarmoshina"),
        ("LUKA\u00adSHENKA,  Aliaksandr R.", "lukashenka aliaksandr r"),
        ("Лiдзiя Мiхайлаўна ЯРМОШЫНА", "лідзія міхайлаўна ярмошына"),  # Latin i in Cyrillic
        ("Lukashenkа", "lukashenka"),  # Cyrillic а in a Latin word
        ("Валер’евіч", "валеревіч"),
        ("ＬＵＫＡＳＨＥＮＫＡ", "lukashenka"),  # full-width letters
        ("O'Brien-Smith", "obrien smith"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_cyrillic_letters_keep_their_marks() -> None:
    assert normalize("Андрэй Ёлкін") == "андрэй ёлкін"
    assert normalize("Юрий") != normalize("Юрии")


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("Лукашэнка", ("be", "ru")),
        ("Щербаков", ("ru",)),
        ("Аляксандр Рыгоравіч", ("be",)),
        ("Олександр Їжак", ("uk",)),
        ("Александр Григорьевич", ("ru", "uk")),
    ],
)
def test_language_of_cyrillic(text: str, languages: tuple[str, ...]) -> None:
    assert cyrillic_language(text) == languages


names = st.text(
    alphabet=st.characters(whitelist_categories=["Lu", "Ll", "Zs", "Pd", "Po", "Cf", "Mn"]),
    max_size=30,
)
invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@given(names)
def test_normalized_text_is_clean_and_stable(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once
    assert once == once.strip()
    assert not any(unicodedata.category(c) in ("Cf", "Cc") for c in once)


@given(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюяіў ",
        min_size=1,
        max_size=20,
    ),
    invisible,
    st.integers(0, 20),
)
def test_invisible_characters_change_nothing(text: str, char: str, at: int) -> None:
    at = min(at, len(text))
    assert normalize(text[:at] + char + text[at:]) == normalize(text)


@given(
    st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюя", min_size=2, max_size=12),
    st.integers(0, 11),
)
def test_one_latin_look_alike_in_a_cyrillic_word_is_folded(rest: str, at: int) -> None:
    at = min(at, len(rest))
    word = rest[:at] + "а" + rest[at:]
    swapped = rest[:at] + "a" + rest[at:]  # Latin a among at least two Cyrillic letters
    assert word_script(swapped) == "cyrillic"
    assert normalize(swapped) == normalize(word)


_LOOK_ALIKES = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у"}


@given(st.text(alphabet="acdeflnoprsuxyz", min_size=3, max_size=12), st.data())
def test_cyrillic_look_alikes_in_a_latin_word_are_folded(word: str, data: st.DataObject) -> None:
    """Even when most letters are Cyrillic look-alikes, one Latin letter without a
    Cyrillic twin (d, f, l, n, r, s, u, z) says the word is Latin."""
    swapped = "".join(
        _LOOK_ALIKES[c] if c in _LOOK_ALIKES and data.draw(st.booleans()) else c for c in word
    )
    if any(c in "dflnrsuz" for c in word):
        assert normalize(swapped) == normalize(word)
