"""Romanization: the Latin forms real lists and passports print."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.names import normalize, romanizations, token_key
from sanctio.names.translit import SYSTEMS, romanize


@pytest.mark.parametrize(
    ("cyrillic", "system", "latin"),
    [
        ("лукашэнка", "be_passport", "lukashenka"),
        ("аляксандр", "be_passport", "aliaksandr"),
        ("ціханоўская", "be_passport", "tsikhanouskaya"),
        ("святлана", "be_passport", "sviatlana"),
        ("лукашэнка", "be_national", "lukašenka"),
        ("ермошина", "ru_bgn", "yermoshina"),
        ("юлия", "ru_icao", "iuliia"),
        ("григорьевич", "ru_bgn", "grigoryevich"),
        ("олександр", "uk_national", "oleksandr"),
        ("щербаков", "ru_bgn", "shcherbakov"),
    ],
)
def test_systems(cyrillic: str, system: str, latin: str) -> None:
    assert romanize(cyrillic, system) == latin


def test_a_belarusian_name_gets_every_belarusian_form() -> None:
    forms = dict(
        (system, latin) for system, latin in romanizations(normalize("Аляксандр Лукашэнка"))
    )
    assert forms["be_passport"] == "aliaksandr lukashenka"
    assert forms["be_bgn"] == "alyaksandr lukashenka"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Lukashenka", "LUKASHENKO", "Lukašenka", "Лукашэнка", "Лукашенко"],
        ["Karaeu", "Karayev", "KARAEV", "Караеў", "Караев"],
        ["Yermoshina", "Ermoshina", "Ермошина"],
        ["Tsikhanouskaya", "Ціханоўская", "Tsikhanovskaya"],
        ["Shcherbakov", "Scherbakov", "Щербаков"],
    ],
)
def test_spellings_of_one_name_share_a_key(spellings: list[str]) -> None:
    keys = set()
    for spelling in spellings:
        forms = romanizations(normalize(spelling))
        keys.add(frozenset(token_key(latin) for _, latin in forms))
    common = frozenset.intersection(*keys)
    assert common, keys


@given(
    st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўїєґ", min_size=1, max_size=15),
    st.sampled_from(sorted(SYSTEMS)),
)
def test_every_system_leaves_no_cyrillic(word: str, system: str) -> None:
    latin = romanize(word, system)
    assert not any("\u0400" <= c <= "\u04ff" for c in latin)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=15))
def test_keys_are_stable(word: str) -> None:
    assert token_key(token_key(word)) == token_key(word)


hangul_words = st.text(
    alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=4
)
han_words = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4
)


@given(st.lists(hangul_words | han_words, min_size=1, max_size=3))
def test_hangul_and_chinese_characters_are_romanized_a_syllable_a_word(words: list[str]) -> None:
    """Every hangul syllable or Chinese character becomes one lower-case Latin word in
    the last form (the only one of a Korean name); other forms only join syllables."""
    text = " ".join(words)
    forms = romanizations(text)
    system, last = forms[-1]
    assert system in ("ko_rr", "zh_pinyin")
    syllables = last.split()
    assert len(syllables) == sum(len(w) for w in words)
    assert all(s.isascii() and s.isalpha() and s.islower() for s in syllables)
    for _, latin in forms:
        assert "".join(latin.split()) == "".join(syllables)


def test_a_korean_name_in_hangul_reads_as_its_romanizations() -> None:
    assert romanizations("김정은") == (("ko_rr", "gim jeong eun"),)
    assert romanizations("习近平") == (("zh_pinyin", "xi jinping"), ("zh_pinyin", "xi jin ping"))
