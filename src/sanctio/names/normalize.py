"""Text of a name made comparable: one Unicode form, one case, no invisible characters,
no look-alike letters from another script, no punctuation.

``normalize("Lidzia\u200b YARMOSHINA")`` and ``normalize("lidzia yarmoshina")`` are equal;
so are a Cyrillic word typed with a Latin ``a`` and the same word typed correctly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
#: (Podʺyachev): dropped like the soft sign's apostrophe.
_HARD_SIGNS = re.compile(r"(?<=\w)[”ʺ″](?=\w)")
_SEPARATORS = re.compile(r"[\W_]+")


def _visible(char: str) -> bool:
    """False for format characters (zero-width space and joiners, BOM, soft hyphen)
    and control characters: they never belong to a name."""
    return unicodedata.category(char) not in ("Cf", "Cc", "Co", "Cn")


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


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, ready to transliterate and compare."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c if _visible(c) else (" " if c in "\t\n\r" else "") for c in text)
    text = _APOSTROPHES.sub("", _HARD_SIGNS.sub("", text.casefold()))
    words = (fold_homoglyphs(w) for w in _SEPARATORS.split(text) if w)
    return " ".join(unicodedata.normalize("NFC", w) for w in words)
