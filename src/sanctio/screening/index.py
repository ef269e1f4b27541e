"""An in-memory index of every name of every listed entity, for candidate generation.

Each name is kept in all its Latin forms, split into parts. A query part finds the
indexed parts with the same key at once (a dictionary look-up) and the parts with a
similar key through rapidfuzz over the vocabulary of keys, so a query never scores
every name: only the entities that share a close part are scored in full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel

from sanctio.model import Entity
from sanctio.names.parts import NameForm, name_forms

#: Keys at least this similar to a query part's key also fetch candidates.
FUZZY_CUTOFF = 0.72
FUZZY_LIMIT = 25


@dataclass
class IndexedEntity:
    """A listed entity with the Latin forms of each of its names."""

    entity: Entity
    lists: tuple[str, ...]
    forms: list[list[NameForm]]


@dataclass
class NameIndex:
    """Entities and, for each part key, the entities whose names contain it."""

    entities: list[IndexedEntity] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _vocabulary: list[str] | None = None

    def add(self, entity: Entity, lists: Iterable[str] = ()) -> None:
        forms = [name_forms(name) for name in entity.names]
        number = len(self.entities)
        self.entities.append(IndexedEntity(entity, tuple(lists), forms))
        for name in forms:
            for form in name:
                for part in form.parts:
                    self.postings[part.key].add(number)
        self._vocabulary = None

    @property
    def vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.postings)
        return self._vocabulary

    def candidates(self, forms: list[NameForm], limit: int = 60) -> list[int]:
        """Entities sharing a close name part with any query form, most shared first.

        Given names alone do not fetch candidates when the query has other parts:
        half the list is called Aleksandr.
        """
        found: dict[int, float] = defaultdict(float)
        keys: dict[str, float] = {}
        for form in forms:
            distinctive = [p for p in form.parts if p.role != "given"] or list(form.parts)
            for part in distinctive:
                if len(part.key) < 2:
                    continue
                keys[part.key] = 1.0
                for key, similarity, _ in process.extract(
                    part.key,
                    self.vocabulary,
                    scorer=Indel.normalized_similarity,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=FUZZY_LIMIT,
                ):
                    keys[key] = max(keys.get(key, 0.0), similarity)
        for key, similarity in keys.items():
            for number in self.postings.get(key, ()):
                found[number] += similarity
        ranked = sorted(found.items(), key=lambda item: -item[1])
        return [number for number, _ in ranked[:limit]]

    def __len__(self) -> int:
        return len(self.entities)
