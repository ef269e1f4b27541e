"""Normalization: invisible characters, homoglyphs, case and punctuation never matter."""

from __future__ import annotations

import unicodedata

import pytest
import regex
from hypothesis import given, settings
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
        # BGN/PCGN's hard sign and its middle dot between t and s
        ("Il’ich Pod”yachev", "ilich podyachev"),
        ("Dmitriy Svet·skiy", "dmitriy svetskiy"),
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


#: Every code point Unicode says renders as nothing (DerivedCoreProperties.txt,
#: Default_Ignorable_Code_Point): variation selectors, the combining grapheme joiner,
#: Mongolian free variation selectors, Hangul fillers, tag characters ...
DEFAULT_IGNORABLE = [
    chr(c) for c in range(0x110000) if regex.match(r"\p{Default_Ignorable_Code_Point}", chr(c))
]


def test_the_default_ignorable_set_is_the_one_unicode_publishes() -> None:
    """The set the next test runs over holds the characters the issue of evasion named."""
    for char in "\ufe0f\ufe00\u034f\u180b\u180f\u115f\u1160\u3164\uffa0\U000e0041\U000e0100":
        assert char in DEFAULT_IGNORABLE
    assert len(DEFAULT_IGNORABLE) > 4000


@settings(max_examples=5, deadline=None)
@given(st.sampled_from(["lukashenka", "лукашэнка", "YARMOSHINA", "Łukaszenka", "김정은"]))
def test_no_default_ignorable_character_anywhere_splits_or_changes_a_word(word: str) -> None:
    """Each of them, at every position of the word, is removed and the word stays one."""
    expected = normalize(word)
    for char in DEFAULT_IGNORABLE:
        for at in range(len(word) + 1):
            assert normalize(word[:at] + char + word[at:]) == expected, (hex(ord(char)), at)
