"""OpenSanctions' nomenklatura ``logic-v2`` matcher (what yente scores with), as a bench
matcher with the interface of the others in evaluate.py.

Optional: it needs the ``bench`` extra (``pip install -e '.[bench]' -c constraints.txt``).
``available()`` tells without importing it (the import alone takes seconds), so
evaluate.py can skip it with a message where it is not installed.

How it is called: ``LogicV2.compare(query, result, LogicV2.default_config()).score``,
both sides followthemoney entity proxies. The query is a Person with only
``name=[query]``, as a screening user sends it; the listed side is the
whole entity (``Entity.to_dict()`` is FtM's JSON format), so its weak aliases and other
properties count as they do in yente.

Candidate retrieval stand-in: logic-v2 only scores a pair; yente first retrieves
candidates from Elasticsearch and scores those. Here ``best_other`` retrieves them with
rapidfuzz ``token_set_ratio`` over every name of every entity whose schema a Person query
can match (yente filters on schema too), keeps the first ``CANDIDATES`` distinct entities
that are not excluded, and returns logic-v2's best score among them. An entity that
token_set_ratio does not rank there (e.g. one listed only in another script) is never
scored, as one Elasticsearch does not return would not be; so false alerts are a lower
bound of what logic-v2 would raise on all entities.

Proxy ids: logic-v2 caches each entity's parsed names with ``lru_cache`` keyed on the
proxy, whose hash is its id alone. A restricted copy keeps the listed entity's id, and
every query would share one id, so each proxy gets an id made from its content instead:
the same content reuses the cache, other content never gets stale names.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz import fuzz, process, utils

from sanctio.model import Entity

if TYPE_CHECKING:
    from followthemoney import EntityProxy, Schema
    from nomenklatura.matching.types import ScoringConfig

#: Distinct, non-excluded entities scored per ``best_other`` query (yente asks
#: Elasticsearch for a few times its result limit; 50 is in that range).
CANDIDATES = 50
#: Names taken from rapidfuzz to find that many distinct entities (entities have
#: several names each: aliases, other scripts).
NAMES_RETRIEVED = 500


class _Case(Protocol):
    @property
    def query(self) -> str: ...


def available() -> bool:
    """Whether nomenklatura (and followthemoney) can be imported, without importing them."""
    return all(importlib.util.find_spec(m) is not None for m in ("nomenklatura", "followthemoney"))


def _content_id(data: dict[str, Any]) -> str:
    """An id that differs whenever the content does (see the module docstring)."""
    digest = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return f"{data.get('id', 'q')}#{digest}"


class LogicV2Matcher:
    """nomenklatura's logic-v2, name-only Person queries, with rapidfuzz retrieval."""

    name = "nomenklatura logic-v2"

    def __init__(self, regimes: dict[str, list[Entity]]) -> None:
        from followthemoney import model
        from nomenklatura.matching import LogicV2

        self._model = model
        self._algorithm = LogicV2
        self._config: ScoringConfig = LogicV2.default_config()
        person = model.get("Person")
        assert person is not None
        self._person: Schema = person
        self._proxies: dict[int, EntityProxy | None] = {}  # by index in _entities
        self._entities: list[Entity] = []
        self.names: list[str] = []
        self.owners: list[int] = []  # index into _entities, per name
        for entities in regimes.values():
            for entity in entities:
                if not self._person_can_match(entity):
                    continue
                self._entities.append(entity)
                for name in entity.names:
                    self.names.append(utils.default_process(name))
                    self.owners.append(len(self._entities) - 1)

    def _person_can_match(self, entity: Entity) -> bool:
        """The check logic-v2's ``compare`` makes first: other schemas score 0."""
        schema = self._model.get(entity.schema.name)
        return schema is not None and (
            self._person.can_match(schema) or schema.name == self._person.name
        )

    def _proxy(self, entity: Entity) -> EntityProxy | None:
        """The FtM proxy of an entity, or None where FtM has no such schema."""
        data = entity.to_dict()
        if self._model.get(data["schema"]) is None:
            return None
        data["id"] = _content_id(data)
        return self._model.get_proxy(data)

    def _listed(self, index: int) -> EntityProxy | None:
        """Proxies of the listed entities, made once: ``best_other`` scores them often."""
        if index not in self._proxies:
            self._proxies[index] = self._proxy(self._entities[index])
        return self._proxies[index]

    def _query(self, query: str) -> EntityProxy:
        data = {"schema": "Person", "properties": {"name": [query]}}
        return self._model.get_proxy({**data, "id": _content_id(data)})

    def _score(self, query: EntityProxy, result: EntityProxy | None) -> float:
        if result is None:
            return 0.0
        return float(self._algorithm.compare(query, result, self._config).score)

    def positive(self, case: _Case, entity: Entity) -> float:
        """Score of the case's query against the person, already restricted by the caller
        to the names the case indexes (evaluate.py's ``restricted``)."""
        return self._score(self._query(case.query), self._proxy(entity))

    def best_other(self, query: str, exclude: Callable[[Entity], bool]) -> float:
        """Best logic-v2 score among the retrieved candidates that are not excluded."""
        q = utils.default_process(query)
        proxy = self._query(query)
        seen: set[int] = set()
        scored = 0
        best = 0.0
        hits = process.extract(q, self.names, scorer=fuzz.token_set_ratio, limit=NAMES_RETRIEVED)
        for _, _, i in hits:
            owner = self.owners[i]
            if owner in seen:
                continue
            seen.add(owner)
            if exclude(self._entities[owner]):
                continue
            best = max(best, self._score(proxy, self._listed(owner)))
            scored += 1
            if scored >= CANDIDATES or best >= 1.0:
                break
        return best
