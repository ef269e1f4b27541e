"""Which writing system a letter or a word is in."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def char_script(char: str) -> str:
    """'latin', 'cyrillic', or 'other' for one character (digits and marks are 'other')."""
    if not char.isalpha():
        return "other"
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("LATIN"):
        return "latin"
    return "other"


def word_script(word: str) -> str:
    """The script most letters of ``word`` are in ('other' for none): Лiдзiя is Cyrillic."""
    if word.isascii():
        return "latin" if any(c.isalpha() for c in word) else "other"
    counts = {"latin": 0, "cyrillic": 0}
    for char in word:
        script = char_script(char)
        if script in counts:
            counts[script] += 1
    if not any(counts.values()):
        return "other"
    return "cyrillic" if counts["cyrillic"] > counts["latin"] else "latin"


def cyrillic_language(text: str) -> tuple[str, ...]:
    """The East Slavic languages a Cyrillic name may be written in, most likely first.

    Letters only one language has decide: ў, and і without и, are Belarusian; ї, є, ґ
    are Ukrainian; щ and ъ are Russian; и without і is Russian (or Ukrainian, whose и
    looks the same).
    """
    letters = set(text.lower())
    if "ў" in letters or ("і" in letters and "и" not in letters and "ї" not in letters):
        return ("be",)
    if letters & {"ї", "є", "ґ"} or ("і" in letters and "и" in letters):
        return ("uk",)
    if "ъ" in letters or "щ" in letters:
        return ("ru",)
    if letters & {"ы", "э", "ё"}:
        # Russian names nearly always have an и; without one, Belarusian is likelier
        return ("be", "ru") if "и" not in letters else ("ru",)
    return ("ru", "uk")
