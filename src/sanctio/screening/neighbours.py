"""Finding the part keys similar to a query's, without scanning the vocabulary.

A spelling variant differs from the listed key by about one letter (a typo,
Karaev/Karayev after folding), or only in its vowels (Belarusian akanye:
Yarmoshina/Yermoshina, Tserabau/Terebov). So every key is filed under itself, the
strings left after deleting one of its letters, and the same for its consonant
skeleton (the symmetric-deletion scheme of SymSpell, W. Garbe 2012, used for
spelling correction). A query key produces the same variants; any indexed key
sharing one is at most one edit away on the key or on the consonants, and is then
checked with the real similarity. Words as written are filed the same way, for
typos that change the key more than the word. A query costs a few dozen dictionary look-ups
whatever the size of the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from sanctio.names.keys import consonant_skeleton

#: Keys and skeletons shorter than this are filed only under themselves: deleting a
#: letter of a 3-letter key leaves pairs that half the vocabulary shares.
MIN_DELETE_LENGTH = 4
_SKELETON = "#"
_TEXT = "@"


@lru_cache(maxsize=500_000)
def variants(key: str) -> tuple[str, ...]:
    """The strings ``key`` is filed under: itself, its one-letter deletions, and the
    same for its consonant skeleton (marked so the two never mix)."""
    found = {key}
    if len(key) >= MIN_DELETE_LENGTH:
        found.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    skeleton = consonant_skeleton(key)
    if len(skeleton) >= 3:
        found.add(_SKELETON + skeleton)
        if len(skeleton) >= MIN_DELETE_LENGTH:
            found.update(_SKELETON + skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton)))
    return tuple(found)


@lru_cache(maxsize=500_000)
def text_variants(text: str) -> tuple[str, ...]:
    """The strings a word as written is filed under: itself and its one-letter
    deletions, marked apart from keys. A typo can break a digraph (KLYCUHENKOV for
    KLYUCHENKOV) and give a key far from the listed one; the words stay one edit apart."""
    found = {_TEXT + text}
    if len(text) >= MIN_DELETE_LENGTH:
        found.update(_TEXT + text[:i] + text[i + 1 :] for i in range(len(text)))
    return tuple(found)


class KeyNeighbours:
    """The vocabulary of part keys and of words as written, filed for near-neighbour
    look-up."""

    def __init__(self) -> None:
        self._filed: dict[str, list[str]] = defaultdict(list)
        self._keys: set[str] = set()
        #: word as written -> its key
        self._texts: dict[str, str] = {}

    def add(self, key: str, text: str | None = None) -> None:
        if key not in self._keys:
            self._keys.add(key)
            for variant in variants(key):
                self._filed[variant].append(key)
        if text is not None and text not in self._texts:
            self._texts[text] = key
            for variant in text_variants(text):
                self._filed[variant].append(text)

    def near(self, key: str) -> set[str]:
        """Indexed keys within one edit of ``key`` or of its consonant skeleton (and
        ``key`` itself if indexed); the caller checks how similar each really is."""
        found: set[str] = set()
        filed = self._filed
        for variant in variants(key):
            found.update(filed.get(variant, ()))
        return found

    def near_texts(self, text: str) -> dict[str, str]:
        """Indexed words within one edit of ``text``, with their keys."""
        found: dict[str, str] = {}
        for variant in text_variants(text):
            for word in self._filed.get(variant, ()):
                found[word] = self._texts[word]
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)
