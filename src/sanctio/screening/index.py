"""An in-memory index of every name of every listed entity, for candidate generation.

Each name is kept in its distinct Latin forms, split into parts. Each part key has a
posting array (the entities whose names contain it). A query part finds the keys
worth looking at without scanning the vocabulary: its own key, its near neighbours
(``neighbours.py``), and the other spellings of the same given name or father's
name. The entities behind those keys are ranked with numpy by how well they cover
the query's parts, and only the best few are handed to the scorer, so the cost of a
query grows with the number of close names, not with the size of the lists.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from sanctio.model import Entity
from sanctio.model.schema import Schema, get_schema
from sanctio.names.affixes import is_minor, may_be_minor
from sanctio.names.parts import NameForm, NamePart, make_part, may_be_middle, name_forms
from sanctio.screening.neighbours import KeyNeighbours
from sanctio.screening.query import IDENTIFIER_PROPERTIES, identifier_key, name_kind
from sanctio.screening.scorer import (
    FAMILY_PART_WEIGHT,
    MIDDLE_WEIGHT,
    ROLE_WEIGHT,
    SAME_GROUP,
    key_similarities,
    text_similarity,
)
from sanctio.untracked import untracked

#: Keys at least this similar to a query part's key also fetch candidates.
FETCH_CUTOFF = 0.5
#: How many entities the scorer sees per query, at least.
CANDIDATES = 30
#: A word with more hits than this (and than COMMON_SHARE of the index) fetches no
#: candidates when the query has a rarer word; it still counts in their coverage.
COMMON_HITS = 2_000
COMMON_SHARE = 0.002
#: Query words whose hits are kept for the next query (about 2 KB each on the lists
#: of ../shared/data)...
HITS_CACHED = 20_000
#: ...and the most their arrays may take: on an index of a million names a word finds
#: 76 KB on average (a common father's name megabytes), and 20,000 such words would
#: take 1.5 GB (docs/benchmarks.md).
HITS_BYTES = 128 * 2**20
#: The keys whose words ``prepare`` looks up ahead, the most common first.
COMMON_WORDS = 500
#: When either is reached, the least recently used quarter is dropped. Emptied at once
#: instead, the common words went with the rare: a service then looked up one word in
#: ten anew for minutes, against one in 30 once warm (docs/benchmarks.md).
HITS_DROPPED = HITS_CACHED // 4

Numbers = npt.NDArray[np.int32]
Scores = npt.NDArray[np.float64]
_NONE: Numbers = np.zeros(0, dtype=np.int32)


class PartHits(NamedTuple):
    """What a query part finds: the entities holding a key like its key (sorted), the
    best similarity of each, and the keys with theirs."""

    numbers: Numbers
    scores: Scores
    similar: dict[str, float]


class IndexedEntity:
    """A listed entity with the Latin forms of each of its names.

    A saved index leaves the forms out (they are most of its objects, and slow to
    read back); they are made again the first time the entity is a candidate.
    """

    __slots__ = ("_forms", "entity", "lists")

    def __init__(
        self, entity: Entity, lists: tuple[str, ...], forms: list[list[NameForm]] | None = None
    ) -> None:
        self.entity = entity
        self.lists = lists
        self._forms = forms

    @property
    def forms(self) -> list[list[NameForm]]:
        if self._forms is None:
            kind = name_kind(self.entity.schema.name)
            self._forms = [name_forms(name, kind) for name in self.entity.names]
        return self._forms


@dataclass
class NameIndex:
    """Entities, and for each part key the entities whose names contain it."""

    entities: list[IndexedEntity] = field(default_factory=list)
    neighbours: KeyNeighbours = field(default_factory=KeyNeighbours)
    #: given-name group -> keys of its spellings; the same for fathers' names
    given_keys: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    father_keys: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    identifiers: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: keys seen as fathers' names, and as any other part (a key can be both)
    patronymic_keys: set[str] = field(default_factory=set)
    name_keys: set[str] = field(default_factory=set)
    _postings: dict[str, Numbers] = field(default_factory=dict)
    _pending: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: words listed as a title, particle, number or legal form -> the entities (in the
    #: order added) whose names hold them so: a query's same word may pair with them
    minor_words: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: the same as arrays, made at the first query that asks (``_minor_holders``)
    _minor_arrays: dict[str, Numbers] = field(default_factory=dict, repr=False)
    _hits: dict[tuple[str, str, bool, int | None], PartHits] = field(
        default_factory=dict, repr=False
    )
    _hits_bytes: int = field(default=0, repr=False)

    def add(self, entity: Entity, lists: Iterable[str] = ()) -> None:
        kind = name_kind(entity.schema.name)
        forms = [name_forms(name, kind) for name in entity.names]
        number = len(self.entities)
        self.entities.append(IndexedEntity(entity, tuple(lists), forms))
        # titles, particles, numbers and legal forms never fetch (``searched_parts``)
        parts = {part for name in forms for form in name for part in form.parts}
        for text in {part.text for part in parts if is_minor(part.role)}:
            self.minor_words[text].append(number)
            self._minor_arrays.pop(text, None)
        parts = {part for part in parts if not is_minor(part.role)}
        for key in {part.key for part in parts}:
            self._pending[key].append(number)
        for part in parts:
            self.neighbours.add(part.key, part.text)
            if part.role == "patronymic":
                self.patronymic_keys.add(part.key)
            else:
                self.name_keys.add(part.key)
        for part in parts:
            if part.group is not None:
                groups = self.father_keys if part.role == "patronymic" else self.given_keys
                groups[part.group].add(part.key)
        for prop in IDENTIFIER_PROPERTIES:
            for value in entity.get(prop):
                self.identifiers[identifier_key(value)].append(number)

    def saved(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """What a saved index keeps (``screening/cache.py``), as JSON-able data and
        numpy arrays: never a pickle, which would run code when read. The query-time
        caches and the entities' name forms are left out (made again when asked for)."""
        if self._pending:
            self._merge_pending()
        words, filing = self.neighbours.saved()
        keys = list(self._postings)
        postings = [self._postings[key] for key in keys]
        data: dict[str, Any] = {
            "entities": [[e.entity.to_dict(), list(e.lists)] for e in self.entities],
            "words": words,
            "given_keys": {str(g): sorted(k) for g, k in self.given_keys.items()},
            "father_keys": {str(g): sorted(k) for g, k in self.father_keys.items()},
            "identifiers": self.identifiers,
            "patronymic_keys": sorted(self.patronymic_keys),
            "name_keys": sorted(self.name_keys),
            "minor_words": self.minor_words,
            "posting_keys": keys,
        }
        arrays = {
            "filing_hashes": filing["hashes"],
            "filing_entries": filing["entries"],
            "postings": np.concatenate(postings) if postings else _NONE,
            "posting_ends": np.cumsum([len(p) for p in postings], dtype=np.int64),
        }
        return data, arrays

    @classmethod
    def restored(cls, data: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> NameIndex:
        """The index ``saved`` gave; ValueError, KeyError or TypeError when the parts
        do not fit together (the file is then rebuilt)."""
        index = cls()
        index.entities = [_saved_entity(record, lists) for record, lists in data["entities"]]
        count = len(index.entities)
        index.neighbours = KeyNeighbours.restored(
            data["words"],
            {"hashes": arrays["filing_hashes"], "entries": arrays["filing_entries"]},
        )
        for name in ("given_keys", "father_keys"):
            groups: dict[int, set[str]] = getattr(index, name)
            for group, keys in data[name].items():
                groups[int(group)] = {str(k) for k in keys}
        for name in ("identifiers", "minor_words"):
            numbered: dict[str, list[int]] = getattr(index, name)
            for text, numbers in data[name].items():
                numbered[str(text)] = _numbers(numbers, count)
        index.patronymic_keys = {str(k) for k in data["patronymic_keys"]}
        index.name_keys = {str(k) for k in data["name_keys"]}
        postings = np.asarray(arrays["postings"], dtype=np.int32)
        ends = np.asarray(arrays["posting_ends"], dtype=np.int64)
        keys = [str(k) for k in data["posting_keys"]]
        if len(ends) != len(keys) or (len(ends) and ends[-1] != len(postings)):
            raise ValueError("the postings do not fit their keys")
        if len(postings) and (postings.min() < 0 or postings.max() >= count):
            raise ValueError("a posting points past the entities")
        starts = [0, *ends.tolist()]
        index._postings = {
            key: postings[start:end]
            for key, start, end in zip(keys, starts, starts[1:], strict=False)
        }
        return index

    def postings(self, key: str) -> Numbers:
        """The entities (sorted numbers) whose names contain a part with ``key``."""
        if self._pending:
            self._merge_pending()
        return self._postings.get(key, _NONE)

    def _merge_pending(self) -> None:
        self._hits.clear()
        self._hits_bytes = 0
        for key, numbers in self._pending.items():
            added = np.asarray(numbers, dtype=np.int32)
            known = self._postings.get(key)
            self._postings[key] = added if known is None else np.union1d(known, added)
        self._pending.clear()

    @property
    def keys(self) -> int:
        """How many distinct part keys the index holds."""
        return len(self.neighbours)

    def matching_keys(self, part: NamePart) -> dict[str, float]:
        """Indexed keys worth fetching for a query part, with how alike they are."""
        # a father's name is only ever compared with a father's name (the scorer gives
        # other pairs nothing), so only keys seen in the same kind of part are wanted
        same_kind = self.patronymic_keys if part.role == "patronymic" else self.name_keys
        found: dict[str, float] = {}
        near_keys, near_texts = self.neighbours.near(part.key, part.text)
        near = [key for key in near_keys if key in same_kind]
        for key, similarity in zip(near, key_similarities(part.key, near), strict=True):
            if similarity >= FETCH_CUTOFF:
                found[key] = similarity
        for text, key in near_texts.items():
            if key not in same_kind:
                continue
            similarity = text_similarity(part.text, text)
            if similarity >= FETCH_CUTOFF and similarity > found.get(key, 0.0):
                found[key] = similarity
        if part.group is not None:
            groups = self.father_keys if part.role == "patronymic" else self.given_keys
            for key in groups.get(part.group, ()):
                found[key] = max(found.get(key, 0.0), SAME_GROUP)
        # the same key in the other kind of part is the same word to the scorer: a
        # lower-case KAZAKEVICH read as a father's name finds the listed family name
        other_kind = self.name_keys if part.role == "patronymic" else self.patronymic_keys
        if part.key in other_kind:
            found[part.key] = 1.0
        return found

    def candidates(self, forms: list[NameForm], limit: int = CANDIDATES) -> list[int]:
        """Entities covering the query's name parts best, best first."""
        return [number for number, _ in self.ranked(forms, limit)]

    def ranked(self, forms: list[NameForm], limit: int = CANDIDATES) -> list[tuple[int, float]]:
        """Entities covering the query's name parts best, with their coverage: the
        weighted share of the query's parts that have a similar key among the
        entity's names (0..1), best first.

        Given names alone do not fetch candidates when the query has other parts
        (half the list is called Aleksandr), but they do rank what the other parts
        fetched.
        """
        searched = [parts for parts in map(searched_parts, forms) if parts]
        fetched = [self.part_hits(p).numbers for parts in searched for p in self._fetching(parts)]
        if not fetched:
            return []
        numbers = _union(fetched)
        # every form's coverage of every candidate; a candidate keeps its best form's
        coverage = np.zeros(len(numbers))
        for form in forms:
            if not (parts := name_parts(form)):
                continue
            members = [self._membership(part, numbers) for part in parts]
            covered = sum(members)
            holders = [self._minor_holders(p, numbers) for p in parts]
            weights = _weights(parts, members, holders, form)
            np.maximum(coverage, covered / weights, out=coverage)
        if len(numbers) > limit:
            keep = np.argpartition(-coverage, limit - 1)[:limit]
            numbers, coverage = numbers[keep], coverage[keep]
        order = np.lexsort((numbers, -coverage))
        return list(zip(numbers[order].tolist(), coverage[order].tolist(), strict=True))

    def _minor_holders(self, part: NamePart, numbers: Numbers) -> npt.NDArray[np.bool_] | None:
        """Which of ``numbers`` list the part's word as a title, particle, number or
        legal form (the scorer may pair them at that small weight); None for none."""
        holders = self._minor_arrays.get(part.text)
        if holders is None:
            listed = self.minor_words.get(part.text)
            if not listed:
                return None
            holders = self._minor_arrays[part.text] = np.asarray(listed, dtype=np.int32)
        return np.isin(numbers, holders)

    def by_identifier(self, identifiers: Iterable[str]) -> list[int]:
        """Entities carrying any of these identifiers (already in ``identifier_key`` form)."""
        return sorted({n for value in identifiers for n in self.identifiers.get(value, ())})

    def _fetching(self, parts: list[NamePart]) -> list[NamePart]:
        """The parts whose hits are candidates: not given names, and not words so
        common that they would fetch a good share of the index (Mohammed, Al, Ivanov
        in a million names) unless nothing rarer is there. The other parts still count
        towards every candidate's coverage."""
        distinctive = [p for p in parts if p.role != "given"] or parts
        limit = max(COMMON_HITS, int(len(self.entities) * COMMON_SHARE))
        rare = [p for p in distinctive if len(self.part_hits(p).numbers) <= limit]
        if rare:
            return rare
        return sorted(distinctive, key=lambda p: len(self.part_hits(p).numbers))[:1]

    def part_hits(self, part: NamePart) -> PartHits:
        """Each entity holding a key like the part's (sorted), with the best similarity.
        Kept for the next query with the same word (customer names repeat; a given
        name's hits are the largest arrays an index has), once for a word in any role
        but a father's name: the role only weighs what it finds (``_membership``), and a
        customer's Petrov and a listed PETROV are two roles."""
        if self._pending:
            self._merge_pending()
        looked_up = (part.text, part.key, part.role == "patronymic", part.group)
        found = self._hits.pop(looked_up, None)
        if found is None:
            found = self._find_hits(part)
            self._hits_bytes += _size(found)
            if len(self._hits) >= HITS_CACHED or self._hits_bytes > HITS_BYTES:
                self._drop_least_used()
        self._hits[looked_up] = found  # last: the most recently used (a dict keeps order)
        return found

    def _drop_least_used(self) -> None:
        """The least recently used words' hits dropped, a quarter of the words kept or
        of the bytes allowed (whichever was reached), the words first used longest ago
        first: a dict keeps its keys in the order they were put back."""
        words = HITS_CACHED - HITS_DROPPED
        size = HITS_BYTES - HITS_BYTES // 4
        for stale in list(self._hits):
            if len(self._hits) <= words and self._hits_bytes <= size:
                return
            # gone already when a batch in a worker thread screens at the same time
            dropped = self._hits.pop(stale, None)
            if dropped is not None:
                self._hits_bytes -= _size(dropped)

    def _find_hits(self, part: NamePart) -> PartHits:
        similar = self.matching_keys(part)
        postings = [(self.postings(key), similarity) for key, similarity in similar.items()]
        return untracked(PartHits(*_best_per_entity([p for p in postings if len(p[0])]), similar))

    def _membership(self, part: NamePart, numbers: Numbers) -> Scores:
        """For each of ``numbers``, the part's weighted similarity to its best key (0 if
        it has none like it)."""
        hits, similarities, _ = self.part_hits(part)
        if not len(hits):
            return np.zeros(len(numbers))
        at = np.minimum(np.searchsorted(hits, numbers), len(hits) - 1)
        return np.where(hits[at] == numbers, ROLE_WEIGHT[part.role] * similarities[at], 0.0)

    def prepare(self) -> None:
        """Make every entity's name forms now, not the first time it is a candidate,
        and look up the most common words: a long-running service does at start-up, so
        that its first minutes screen as fast as the rest and its memory does not creep
        up while it answers."""
        for indexed in self.entities:
            indexed.forms  # noqa: B018 (made and kept by the property)
        self._look_up_common_words()

    def _look_up_common_words(self) -> None:
        """The hits of the words most entities hold, found before a query asks for them:
        merging the entities of a common given or father's name and of its near keys is
        the dearest look-up there is (5-10 ms at a million names, the slowest queries a
        fresh service answers), and every such name is asked for sooner or later. Up
        to ``COMMON_WORDS`` keys' words, in half of ``HITS_BYTES``."""
        if self._pending:
            self._merge_pending()
        spellings: dict[str, list[str]] = defaultdict(list)
        for text, key in self.neighbours.words():
            if len(key) >= 2:
                spellings[key].append(text)
        common = heapq.nlargest(
            COMMON_WORDS, spellings, key=lambda key: len(self._postings.get(key, _NONE))
        )
        for key in common:
            for text in spellings[key]:
                part = make_part(text)
                # written in capitals the same word is a family name, not a father's
                roles = [part, make_part(text, True)] if part.role == "patronymic" else [part]
                for looked_up in roles:
                    self.part_hits(looked_up)
                if self._hits_bytes > HITS_BYTES // 2:
                    return

    def __len__(self) -> int:
        return len(self.entities)


def _weights(
    parts: list[NamePart],
    members: list[Scores],
    minor: list[npt.NDArray[np.bool_] | None],
    form: NameForm,
) -> Scores | float:
    """The weight of a query form's parts for each candidate: a middle name the
    candidate lacks costs the scorer only MIDDLE_WEIGHT (``middle_words``),
    so here too, read generously (a family name first may count as last); a word the
    candidate lists as a title or legal form (``minor``) may pair at next to nothing,
    so it counts for nothing."""
    total: Scores | float = sum(ROLE_WEIGHT[p.role] for p in parts)
    for part, member, held in zip(parts, members, minor, strict=True):
        if held is not None:
            total = total - (held & (member == 0)) * ROLE_WEIGHT[part.role]
    # a father's name no listed name gives costs the scorer nothing
    for part, member in zip(parts, members, strict=True):
        if part.role == "patronymic":
            total = total - (member == 0) * ROLE_WEIGHT[part.role]
    found = np.array([m > 0 for m in members])
    if form.family_pair:  # a word of a family name of two costs little (GARCIA [LOPEZ])
        family = [k for k, p in enumerate(parts) if p.role == "family"]
        some = np.logical_or.reduce(found[family], axis=0)
        for k in family:
            total = total - (some & ~found[k]) * (ROLE_WEIGHT["family"] - FAMILY_PART_WEIGHT)
    if len(parts) < 3 or not form.middle:
        return np.maximum(total, 1e-9)
    before = np.logical_or.accumulate(found, axis=0)
    after = np.logical_or.accumulate(found[::-1], axis=0)[::-1]
    family_first = found[0] if parts[0].role == "family" else np.zeros_like(found[0])
    saved = np.zeros(found.shape[1])
    for i in range(1, len(parts) - 1):
        if parts[i].role in ("given", "other") and may_be_middle(parts[i].text):
            middle = before[i - 1] & (after[i + 1] | family_first) & ~found[i]
            saved += middle * (ROLE_WEIGHT[parts[i].role] - MIDDLE_WEIGHT)
    last = parts[-1]
    if last.role in ("given", "other") and may_be_middle(last.text) and parts[0].role == "family":
        middle = before[-2] & family_first & ~found[-1]
        saved += middle * (ROLE_WEIGHT[parts[-1].role] - MIDDLE_WEIGHT)
    result: Scores = np.maximum(total - saved, 1e-9)
    return result


def _saved_entity(record: dict[str, Any], lists: list[str]) -> IndexedEntity:
    """An entity of a saved index, as ``Entity.to_dict`` wrote it (the values were
    validated when imported): made directly, its values' types checked, several times
    faster than ``Entity.from_dict`` on 15,000 entities."""
    properties = record["properties"]
    if type(properties) is not dict:
        raise TypeError(f"entity {record.get('id')!r}: its properties are not an object")
    for values in properties.values():
        if type(values) is not list:
            raise TypeError(f"entity {record.get('id')!r}: property values are not a list")
        "".join(values)  # TypeError unless every value is text: one pass in C
    entity = Entity(
        id=str(record["id"]),
        schema=_schema(str(record["schema"])),
        caption=str(record.get("caption") or ""),
        target=bool(record.get("target", False)),
        properties=properties,
        datasets=[str(d) for d in record.get("datasets") or ()],
    )
    return IndexedEntity(entity, tuple(str(name) for name in lists))


@lru_cache(maxsize=256)
def _schema(name: str) -> Schema:
    """The schema of a saved entity, looked up once per name (a saved file names a
    handful; the bound holds whatever a planted file names)."""
    return get_schema(name)


def _numbers(values: Any, count: int) -> list[int]:
    """Entity numbers read from a saved index, each checked to be one of its entities."""
    numbers = [int(n) for n in values]
    if any(not 0 <= n < count for n in numbers):
        raise ValueError("an entity number points past the entities")
    return numbers


def _size(hits: PartHits) -> int:
    """The bytes of a word's hits that grow with the index (its arrays)."""
    return hits.numbers.nbytes + hits.scores.nbytes


def searched_parts(form: NameForm) -> list[NamePart]:
    """The parts of a query form that fetch and rank candidates: an initial alone
    finds nothing, nor do titles, particles, numbers or legal forms. A word that is
    one of those in some names (JSC, Sheikh) is left out too when other words are
    there: the scorer may pair it with a listed legal form or title, which counts
    little, and the estimates that pass candidates must not count it for more."""
    words = name_parts(form)
    names = [p for p in words if not may_be_minor(p.text)]
    return names or words


def name_parts(form: NameForm) -> list[NamePart]:
    """The parts of a form that are words of the name: not initials, titles,
    particles, numbers or legal forms."""
    return [p for p in form.parts if len(p.key) >= 2 and not is_minor(p.role)]


def _union(arrays: list[Numbers]) -> Numbers:
    """The numbers in any of the sorted arrays, sorted, each once (numpy's own unique
    hashes, slower than sorting at these sizes)."""
    if len(arrays) == 1:
        return arrays[0]
    merged = np.sort(np.concatenate(arrays))
    first = np.empty(len(merged), dtype=bool)
    first[:1] = True
    np.not_equal(merged[1:], merged[:-1], out=first[1:])
    return merged[first]


def _best_per_entity(postings: list[tuple[Numbers, float]]) -> tuple[Numbers, Scores]:
    """The entities of the postings (sorted), each once with the highest similarity of
    a posting holding it."""
    if not postings:
        return _NONE, np.zeros(0)
    if len(postings) == 1:
        numbers, similarity = postings[0]
        return numbers, np.full(len(numbers), similarity)
    # most similar first, so that a stable sort by entity puts each entity's best first;
    # each posting is a sorted run, which the stable sort merges (a two-key sort took a
    # common word at a million names half again as long)
    postings = sorted(postings, key=lambda posting: -posting[1])
    numbers = np.concatenate([held for held, _ in postings])
    scores = np.repeat([similarity for _, similarity in postings], [len(n) for n, _ in postings])
    order = np.argsort(numbers, kind="stable")
    numbers, scores = numbers[order], scores[order]
    first = np.empty(len(numbers), dtype=bool)
    first[0] = True
    np.not_equal(numbers[1:], numbers[:-1], out=first[1:])
    return numbers[first], scores[first]
