"""Text of a name made comparable: one Unicode form, one case, no invisible characters,
no look-alike letters from another script, no punctuation.

``normalize("Lidzia\u200b YARMOSHINA")`` and ``normalize("lidzia yarmoshina")`` are equal;
so are a Cyrillic word typed with a Latin ``a`` and the same word typed correctly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

from sanctio.names.scripts import char_script, word_script

#: Letters that look alike in Latin and Cyrillic (lower case, and upper case folded).
#: Source: Unicode confusables (https://www.unicode.org/Public/security/latest/confusables.txt),
#: the Latin/Cyrillic pairs among them.
LATIN_TO_CYRILLIC = {
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "j": "ј", "k": "к",
    "m": "м", "o": "о", "p": "р", "t": "т", "x": "х", "y": "у",
}  # fmt: skip
CYRILLIC_TO_LATIN = {v: k for k, v in LATIN_TO_CYRILLIC.items()} | {"ѕ": "s", "ԁ": "d"}
_APOSTROPHES = re.compile(r"['’ʼ`´ʹ′‘]")
#: The hard sign as BGN/PCGN (”) and ISO 9 (ʺ, ″) write it, inside a word
#: (Podʺyachev): dropped like the soft sign's apostrophe; and BGN/PCGN's middle dot,
#: which keeps two letters from reading as one (Svet·skiy: т and с, not ц).
_HARD_SIGNS = re.compile(r"(?<=\w)[”ʺ″·‧](?=\w)")
#: Word boundaries: anything but a letter, a digit or a combining mark. A mark
#: (a stray accent, a Mongolian or CJK variation mark) stays in its word.
_SEPARATORS = regex.compile(r"[^\p{L}\p{N}\p{M}]+")
#: Characters that render as nothing (Unicode's Default_Ignorable_Code_Point:
#: zero-width space and joiners, soft hyphen, variation selectors, the combining
#: grapheme joiner, Hangul fillers, tag characters), format characters, and unassigned
#: or private-use code points: removed without splitting the word they sit in, so
#: that no invisible character can split a listed name in two. Control characters
#: (tabs, line breaks) separate words.
_INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Co}\p{Cn}]+")
_CONTROLS = regex.compile(r"\p{Cc}+")


def fold_homoglyphs(word: str) -> str:
    """Letters of the word's minority script replaced by their look-alike in its main one.

    The main script is the one of a letter that has no look-alike (the ``r`` and ``z``
    of a ``Реrеz`` typed with three Cyrillic letters), else the one most letters use.
    """
    script = _main_script(word)
    table = LATIN_TO_CYRILLIC if script == "cyrillic" else CYRILLIC_TO_LATIN
    if script == "other":
        return word
    return "".join(table.get(c, c) if char_script(c) not in (script, "other") else c for c in word)


def _main_script(word: str) -> str:
    latin_only = any(char_script(c) == "latin" and c not in LATIN_TO_CYRILLIC for c in word)
    cyrillic_only = any(char_script(c) == "cyrillic" and c not in CYRILLIC_TO_LATIN for c in word)
    if latin_only != cyrillic_only:
        return "latin" if latin_only else "cyrillic"
    return word_script(word)


def strip_latin_marks(word: str) -> str:
    """Diacritics off Latin letters (é → e); Cyrillic й and ё keep theirs, they are letters."""
    out = []
    for char in word:
        if char_script(char) == "latin":
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out)


def visible(text: str) -> str:
    """The text without the characters that render as nothing (``_INVISIBLE``)."""
    visible_text: str = _INVISIBLE.sub("", text)
    return visible_text


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, ready to transliterate and compare."""
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub(" ", unicodedata.normalize("NFKC", text))
    text = _APOSTROPHES.sub("", _HARD_SIGNS.sub("", text.casefold()))
    words = (fold_homoglyphs(w) for w in _SEPARATORS.split(text) if w)
    return " ".join(unicodedata.normalize("NFC", w) for w in words)
