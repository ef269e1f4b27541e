"""Screening queries against the lists loaded into an index."""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sanctio.model import Entity
from sanctio.screening.cover import NameCover
from sanctio.screening.index import CANDIDATES, NameIndex
from sanctio.screening.query import Query
from sanctio.screening.scorer import DEFAULT_THRESHOLD, Comparison, compare_query

#: How far the score can rise above a candidate's coverage, or its best name's
#: (spelling views the keys leave out, such as a typo read on the words as written,
#: and confirming facts): candidates further below the threshold than this are not
#: scored.
COVERAGE_MARGIN = 0.15
#: Once ``limit`` results are found, candidates whose coverage is this far below the
#: last of them are not scored: ranked by coverage, the rest would rank lower still.
EARLY_STOP_MARGIN = 0.1


@dataclass(frozen=True)
class Match:
    """One listed entity found for a query."""

    entity: Entity
    lists: tuple[str, ...]
    comparison: Comparison

    @property
    def score(self) -> float:
        return self.comparison.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity.id,
            "caption": self.entity.caption,
            "schema": self.entity.schema.name,
            "score": self.comparison.score,
            "match": self.comparison.match,
            "lists": list(self.lists),
            "explanation": self.comparison.explanation,
        }


class Screener:
    """Repeated queries against a fixed set of listed entities."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = NameIndex()
        self.threshold = threshold

    def add(self, entities: Iterable[Entity], list_name: str) -> None:
        """Index the targets among ``entities`` as members of ``list_name``."""
        for entity in entities:
            if entity.target:
                self.index.add(entity, (list_name,))

    @classmethod
    def from_registry(cls, registry: Any, names: Iterable[str] | None = None) -> Screener:
        """A screener over the current version of each named list (default: all)."""
        screener = cls()
        wanted = list(names) if names is not None else [info.name for info in registry.lists()]
        for name in wanted:
            screener.add(registry.entities(name), name)
        return screener

    def screen(self, query: Query, threshold: float | None = None, limit: int = 10) -> list[Match]:
        """The best-scoring entities for ``query``, best first, up to ``limit``: every
        entity at or above the threshold (``match`` true), then close ones below it.
        Candidates whose names cannot reach the threshold are not scored at all."""
        cutoff = self.threshold if threshold is None else threshold
        forms = query.name_forms()
        ranked = self.index.ranked(forms, max(CANDIDATES, 2 * limit))
        candidates = [(n, c) for n, c in ranked if c + COVERAGE_MARGIN >= cutoff]
        found = self.index.by_identifier(query.identifiers) if query.identifiers else []
        if found:
            candidates = [(n, 1.0) for n in found] + [
                (n, c) for n, c in candidates if n not in found
            ]
        cover = NameCover(self.index, forms)
        needed = cutoff - COVERAGE_MARGIN
        matches: list[Match] = []
        negated: list[float] = []  # scores so far, negated and sorted: best first
        for number, coverage in candidates:
            if len(negated) >= limit and -negated[limit - 1] >= min(
                1.0, coverage + EARLY_STOP_MARGIN
            ):
                break  # this and every later candidate would rank below ``limit`` found
            if number not in found and cover(number, needed) < needed:
                continue  # no one name of it comes near the query
            indexed = self.index.entities[number]
            comparison = compare_query(
                query, indexed.entity, cutoff, indexed.forms, query_forms=forms
            )
            if comparison.score > 0:
                matches.append(Match(indexed.entity, indexed.lists, comparison))
                insort(negated, -comparison.score)
        matches.sort(key=lambda m: (-m.score, m.entity.caption))
        return matches[:limit]


def compare(
    a: str, b: str, schema: str = "Person", threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """How well name ``a`` matches name ``b``: ``.score``, ``.match``, ``.explanation``."""
    entity = Entity.make(schema, "b", caption=b)
    entity.add("name", b)
    return compare_query(Query.make(a, schema=schema), entity, threshold)
