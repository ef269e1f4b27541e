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

import zlib
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctio.names.keys import consonant_skeleton

#: Keys and skeletons shorter than this are filed under their deletions apart
#: (``_SHORT``): deleting a letter of a 3-letter key leaves pairs that half the
#: vocabulary shares, which a long query key must not meet.
MIN_DELETE_LENGTH = 4
_SKELETON = "#"
_TEXT = "@"
_SHORT = "!"


def variants(key: str) -> tuple[str, ...]:
    """The strings ``key`` is filed under: itself, its one-letter deletions, and the
    same for its consonant skeleton (marked so the two never mix).

    Not cached: the index files a key once, and a query looks one up only when its
    word's hits are not kept already (``NameIndex.part_hits``); kept for 500,000 keys
    they grew a service by up to 1 KB a new key for 6 µs saved (docs/benchmarks.md)."""
    found = {key}
    if len(key) >= MIN_DELETE_LENGTH:
        found.update(key[:i] + key[i + 1 :] for i in range(len(key)))
        # cut short by up to three letters (NETWO for NETWORK, RIDU for RIDUAN): a
        # query's key or its deletions meet these
        found.update(key[:-cut] for cut in (2, 3) if len(key) - cut >= MIN_DELETE_LENGTH)
        # ... and to three letters, filed with the short keys (PHYO for PHYONG)
        found.update(_SHORT + key[:-cut] for cut in (1, 2) if len(key) - cut == 3)
    elif len(key) >= 2:
        # a short key one letter off (W'N for WON, MA for MNA) is filed apart, so only
        # a short query key meets it
        found.add(_SHORT + key)
        if len(key) == 3:
            found.update(_SHORT + key[:i] + key[i + 1 :] for i in range(len(key)))
    skeleton = consonant_skeleton(key)
    if len(skeleton) >= 3:
        found.add(_SKELETON + skeleton)
        if len(skeleton) >= MIN_DELETE_LENGTH:
            found.update(_SKELETON + skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton)))
    return tuple(found)


def text_variants(text: str) -> tuple[str, ...]:
    """The strings a word as written is filed under: itself and its one-letter
    deletions, marked apart from keys. A typo can break a digraph (KLYCUHENKOV for
    KLYUCHENKOV) and give a key far from the listed one; the words stay one edit apart."""
    found = {_TEXT + text}
    if len(text) >= MIN_DELETE_LENGTH:
        found.update(_TEXT + text[:i] + text[i + 1 :] for i in range(len(text)))
    return tuple(found)


def _hash(variant: str) -> int:
    """A stable 64-bit hash (Python's own changes from one process to the next, and
    the table is saved to a file)."""
    data = variant.encode()
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


class KeyNeighbours:
    """The vocabulary of part keys and of words as written, filed for near-neighbour
    look-up.

    The filing is two sorted arrays (variant hashes, and what each points to), so a
    saved index loads in an instant; a rare hash collision only adds a word the caller
    then finds dissimilar.
    """

    def __init__(self) -> None:
        self._keys: dict[str, int] = {}  # key -> number
        self._texts: dict[str, int] = {}  # word as written -> number
        self._key_list: list[str] = []
        self._text_list: list[str] = []
        self._text_key: list[str] = []  # each word's key
        self._pending: list[tuple[int, int]] = []  # (variant hash, entry number)
        self._hashes: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        self._entries: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)

    def add(self, key: str, text: str | None = None) -> None:
        """File a key, and the word as written that gave it."""
        if key not in self._keys:
            number = self._keys[key] = len(self._key_list)
            self._key_list.append(key)
            self._pending.extend((_hash(v), number) for v in variants(key))
        if text is not None and text not in self._texts:
            number = self._texts[text] = len(self._text_list)
            self._text_list.append(text)
            self._text_key.append(key)
            # words are numbered after keys' numbers, negated, to share one table
            self._pending.extend((_hash(v), -1 - number) for v in text_variants(text))

    def _file_pending(self) -> None:
        count = len(self._pending)
        added_hashes = np.fromiter((h for h, _ in self._pending), dtype=np.uint64, count=count)
        added_entries = np.fromiter((n for _, n in self._pending), dtype=np.int32, count=count)
        hashes = np.concatenate([self._hashes, added_hashes])
        entries = np.concatenate([self._entries, added_entries])
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._entries = hashes[order], entries[order]
        self._pending = []

    def _filed(self, filed_under: tuple[str, ...]) -> npt.NDArray[np.int32]:
        """Entry numbers filed under any of these variants."""
        if self._pending:
            self._file_pending()
        wanted = np.fromiter((_hash(v) for v in filed_under), dtype=np.uint64)
        starts = np.searchsorted(self._hashes, wanted, side="left")
        ends = np.searchsorted(self._hashes, wanted, side="right")
        spans = [self._entries[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int32)

    def near(self, key: str, text: str) -> tuple[set[str], dict[str, str]]:
        """Indexed keys within one edit of ``key`` or of its consonant skeleton (and
        ``key`` itself if indexed), and indexed words within one edit of ``text`` with
        their keys: one look-up for both. The caller checks how similar each really is."""
        keys: set[str] = set()
        texts: dict[str, str] = {}
        for n in self._filed(variants(key) + text_variants(text)).tolist():
            if n >= 0:
                keys.add(self._key_list[n])
            else:
                texts[self._text_list[-1 - n]] = self._text_key[-1 - n]
        return keys, texts

    def words(self) -> list[tuple[str, str]]:
        """Every word as written that was filed, with its key."""
        return list(zip(self._text_list, self._text_key, strict=True))

    def __len__(self) -> int:
        return len(self._key_list)

    def saved(self) -> tuple[dict[str, list[str]], dict[str, npt.NDArray[Any]]]:
        """What a saved index keeps (``screening/cache.py``): the words as JSON, the
        filing as arrays; the look-up dictionaries are rebuilt from the lists."""
        if self._pending:
            self._file_pending()
        words = {"keys": self._key_list, "texts": self._text_list, "text_keys": self._text_key}
        return words, {"hashes": self._hashes, "entries": self._entries}

    @classmethod
    def restored(
        cls, words: dict[str, list[str]], arrays: dict[str, npt.NDArray[Any]]
    ) -> KeyNeighbours:
        """The vocabulary ``saved`` gave; ValueError when the parts do not fit together."""
        made = cls()
        made._key_list = [str(k) for k in words["keys"]]
        made._text_list = [str(t) for t in words["texts"]]
        made._text_key = [str(k) for k in words["text_keys"]]
        made._hashes = np.asarray(arrays["hashes"], dtype=np.uint64)
        made._entries = np.asarray(arrays["entries"], dtype=np.int32)
        if len(made._text_list) != len(made._text_key) or len(made._hashes) != len(made._entries):
            raise ValueError("the vocabulary's parts differ in length")
        entries = made._entries
        if len(entries) and (
            entries.max() >= len(made._key_list) or -1 - entries.min() >= len(made._text_list)
        ):
            raise ValueError("the vocabulary's filing points past its words")
        made._keys = {key: n for n, key in enumerate(made._key_list)}
        made._texts = {text: n for n, text in enumerate(made._text_list)}
        return made
