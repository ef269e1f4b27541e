"""Finding the part keys similar to a query's, without scanning the vocabulary.

A spelling variant differs from the listed key by about one letter (a typo,
Karaev/Karayev after folding), or only in its vowels (Belarusian akanye:
Yarmoshina/Yermoshina, Tserabau/Terebov). So every key is filed under itself, the
strings left after deleting one of its letters, and the same for its consonant
skeleton (the symmetric-deletion scheme of SymSpell, W. Garbe 2012, used for
spelling correction). A query key produces the same variants; any indexed key
sharing one is at most one edit away on the key or on the consonants, and is then
checked with the real similarity. A query costs a few dozen dictionary look-ups
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


class KeyNeighbours:
    """The vocabulary of part keys, filed for near-neighbour look-up."""

    def __init__(self) -> None:
        self._filed: dict[str, list[str]] = defaultdict(list)
        self._keys: set[str] = set()

    def add(self, key: str) -> None:
        if key in self._keys:
            return
        self._keys.add(key)
        for variant in variants(key):
            self._filed[variant].append(key)

    def near(self, key: str) -> set[str]:
        """Indexed keys within one edit of ``key`` or of its consonant skeleton (and
        ``key`` itself if indexed); the caller checks how similar each really is."""
        found: set[str] = set()
        filed = self._filed
        for variant in variants(key):
            found.update(filed.get(variant, ()))
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)
