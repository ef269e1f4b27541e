"""Latin spellings read the way their transliteration system reads them."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sanctio.names import name_forms, normalize, token_key
from sanctio.names.readings import READINGS, latin_readings, respell
from sanctio.names.translit import romanize


@pytest.mark.parametrize(
    ("written", "reading", "english"),
    [
        ("choïgou", "fr", "shoygu"),
        ("iermochina", "fr", "iermoshina"),
        ("tchernychev", "fr", "chernyshev"),
        ("sergueï", "fr", "sergey"),
        ("jirinovski", "fr", "zhirinovski"),
        ("schoigu", "de", "shoigu"),
        ("jermoschina", "de", "yermoshina"),
        ("saizew", "de", "saitsev"),
        ("chruschtschow", "de", "khrushchov"),
        ("lukašenka", "slavic", "lukashenka"),
        ("švec", "slavic", "shvets"),
        ("ûrʹevič", "slavic", "yurʹevich"),
        ("râbcev", "slavic", "ryabtsev"),
    ],
)
def test_each_system_is_read_back_the_english_way(written: str, reading: str, english: str) -> None:
    assert respell(written, reading) == english


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("Sergueï CHOÏGOU", "Sergei SHOIGU"),  # French
        ("Sergej SCHOIGU", "Sergei SHOIGU"),  # German
        ("Lidia IERMOCHINA", "Lidia YERMOSHINA"),
        ("Michail Michailowitsch SCHWEZ", "Mikhail Mikhailovich SHVETS"),
        ("Roman Ûrʹevič PLUGIN", "Roman Yurievich PLUGIN"),  # ISO 9
        ("Siarhiej ŠAŬCOŬ", "Siarhei SHAUTSOU"),  # Belarusian national system
    ],
)
def test_a_name_in_another_system_shares_the_keys_of_its_english_spelling(
    written: str, listed: str
) -> None:
    keys = {form.keys for form in name_forms(written)}
    assert frozenset(token_key(w) for w in normalize(listed).split()) in keys


@pytest.mark.parametrize(
    "name", ["Chen Wei", "Michael Jackson", "Ivan Petrov", "Juan Carlos", "Marwan Walid"]
)
def test_names_without_a_systems_marks_are_not_read_in_it(name: str) -> None:
    """``ch`` alone says nothing (Chen, Michael), nor ``w`` (Wei, Marwan): no French or
    German reading, so CHEN is not SHEN."""
    assert latin_readings(normalize(name)) == ()


latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzčšžïûâŭ", min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(latin_words, min_size=1, max_size=4))
def test_a_reading_keeps_the_words_and_only_adds_a_form(words: list[str]) -> None:
    text = " ".join(words)
    for reading, respelt in latin_readings(text):
        assert reading in READINGS
        assert respelt != text
        assert len(respelt.split()) == len(words)
        assert respelt == " ".join(respell(w, reading) for w in words)
    forms = name_forms(text)
    assert forms[0].system == "latin"
    assert forms[0].parts == name_forms(text)[0].parts


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abdefhiklmnpqrtvxy ", min_size=1, max_size=20))
def test_english_letters_alone_get_no_reading(text: str) -> None:
    """Without c, g, j, o, s, u, w, z and letters with marks, no European system shows;
    the syllables reading only in a name of two words or more, each of one vowel group."""
    words = text.split()
    for reading, _ in latin_readings(" ".join(words)):
        assert reading == "syllables"
        assert len(words) >= 2
        assert all(len(re.findall("[aeiouyw]+", w)) == 1 for w in words)


@settings(max_examples=300, deadline=None)
@given(st.lists(latin_words, min_size=1, max_size=3))
def test_slavic_and_german_readings_leave_none_of_their_marks(words: list[str]) -> None:
    text = " ".join(words)
    slavic = respell(text, "slavic")
    assert not set(slavic) & set("čšžŝŭćśźĺńûâ")
    german = respell(text, "de")
    assert not set(german) & set("wzj")


# ISO 9 (GOST 7.79 A), one Latin letter for each Cyrillic letter
_ISO9 = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "ž", "з": "z", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "ш": "š",
    "щ": "ŝ", "ы": "y", "ю": "û", "я": "â",
}  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="".join(_ISO9), min_size=1, max_size=10))
def test_iso9_read_back_has_the_key_of_the_bgn_pcgn_spelling(word: str) -> None:
    """Any Russian word in ISO 9, read back, gets the comparison key of its BGN/PCGN
    spelling (the one sanctions lists use), whenever it shows a háček or circumflex."""
    assume("цх" not in word)  # ISO 9 ch, which the Czech-based systems use for х
    iso = "".join(_ISO9[c] for c in word)
    assume(any(c in iso for c in "žčšŝûâ"))
    readings = dict(latin_readings(iso))
    assert token_key(readings["slavic"]) == token_key(romanize(word, "ru_bgn"))


# French transcription of Russian, consonants and a, i, u (у is ou)
_FRENCH = {
    "б": "b", "д": "d", "ж": "j", "к": "k", "л": "l", "м": "m", "н": "n", "п": "p",
    "р": "r", "т": "t", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch",
    "щ": "chtch", "а": "a", "и": "i", "у": "ou",
}  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="".join(_FRENCH), min_size=0, max_size=9),
    st.integers(0, 9),
)
def test_french_read_back_has_the_key_of_the_bgn_pcgn_spelling(rest: str, at: int) -> None:
    """Any such word with an у (ou, the mark of French) read back gets the key of its
    BGN/PCGN spelling. In French т before ш or щ is written like ч (tch), and д before
    ж like дж (dj): those pairs are ambiguous, and kept apart here by a vowel."""
    word = rest[:at] + "у" + rest[at:]
    for pair in ("тш", "тщ", "дж"):
        word = word.replace(pair, pair[0] + "а" + pair[1])
    french = "".join(_FRENCH[c] for c in word)
    readings = dict(latin_readings(french))
    assert token_key(readings["fr"]) == token_key(romanize(word, "ru_bgn"))
