"""Unpacking several spellings packed into one alias cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.lists.name_variants import person_name_variants

CASES = {
    "Dmitri Valerievich PAVLICHENKO (Dmitriy Valeriyevich PAVLICHENKO)": [
        "Dmitri Valerievich PAVLICHENKO",
        "Dmitriy Valeriyevich PAVLICHENKO",
    ],
    "Iury (Yuri) Leonidovich SIVAKOV": ["Iury Leonidovich SIVAKOV", "Yuri Leonidovich SIVAKOV"],
    "Юрый Леанідавіч СIВАКАЎ, СIВАКОЎ": ["Юрый Леанідавіч СIВАКАЎ", "Юрый Леанідавіч СIВАКОЎ"],
    "Liliya Valereuna LUKASHENKA (SIAMASHKA)": [
        "Liliya Valereuna LUKASHENKA",
        "Liliya Valereuna SIAMASHKA",
    ],
    "Rashid Al-Maghribi (the Moroccan)": ["Rashid Al-Maghribi"],
    "Taha, Abdul Rahman S.": ["Taha, Abdul Rahman S."],
    "Лидия Михайловна ЕРМОШИНА": ["Лидия Михайловна ЕРМОШИНА"],
    "Лiдзiя Мiхайлаўна ЯРМОШЫНА": ["Лiдзiя Мiхайлаўна ЯРМОШЫНА"],  # Latin i inside Cyrillic
    "a.k.a. Andrei Mykolayvych TROSHEV": ["Andrei Mykolayvych TROSHEV"],
    "Andrey Nikolaevich TROSHEV Андрей Николаевич ТРОШЕВ": [
        "Andrey Nikolaevich TROSHEV",
        "Андрей Николаевич ТРОШЕВ",
    ],
    "née PETROVA": ["PETROVA"],
    "Ivan IVANOV, MD": ["Ivan IVANOV, MD"],
}


@pytest.mark.parametrize(("text", "expected"), CASES.items())
def test_real_alias_cells(text: str, expected: list[str]) -> None:
    assert person_name_variants(text) == expected


latin_words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8
)
cyrillic_words = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяАБВГДЕЖЗИКЛМНОПРСТУ", min_size=1, max_size=8
)
# one script per name: names that run two scripts together are split on purpose (TROSHEV)


@given(
    st.sampled_from([latin_words, cyrillic_words]).flatmap(
        lambda w: st.tuples(st.lists(w, min_size=1, max_size=4), st.lists(w, max_size=3))
    )
)
def test_variants_are_clean_and_start_with_the_base(parts: tuple[list[str], list[str]]) -> None:
    name, note = parts
    text = " ".join(name) + (f" ({' '.join(note)})" if note else "")
    variants = person_name_variants(text)
    assert variants[0] == " ".join(name)
    assert len(variants) == len(set(variants))
    for variant in variants:
        assert variant
        assert "(" not in variant
        assert ")" not in variant
        assert variant == variant.strip()
        assert "  " not in variant
