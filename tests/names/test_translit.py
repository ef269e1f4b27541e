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
