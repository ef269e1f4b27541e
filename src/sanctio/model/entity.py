"""The entity: one FtM record (a person, a company, a sanction...) with typed properties.

Entities read from any list and entities built by Sanctio's own workflow are this one
class, so every later stage (diffs, screening, publication) has one code path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sanctio.model.schema import Schema, get_schema
from sanctio.model.types import EXPECTED, clean_value

#: Properties that hold the names a screening engine matches on.
NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")


class InvalidValueError(ValueError):
    """A property that the schema lacks, or a value that does not fit its type."""

    def __init__(self, schema: str, prop: str, value: str, expected: str) -> None:
        super().__init__(f"{schema}.{prop}: expected {expected}, got {value!r}")
        self.prop = prop
        self.value = value
        self.expected = expected


@dataclass
class Entity:
    """An FtM entity with a stable id and the caption its publisher prints."""

    id: str
    schema: Schema
    caption: str = ""
    target: bool = False
    properties: dict[str, list[str]] = field(default_factory=dict)
    datasets: list[str] = field(default_factory=list)
    #: The values of each property as a set, beside the list that keeps their order,
    #: so that adding N values one by one costs N look-ups, not N² comparisons (an
    #: FtM entity with 100,000 aliases). Checked against the list before each use.
    _seen: dict[str, tuple[list[str], int, set[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def make(cls, schema: str, id: str, caption: str = "", target: bool = False) -> Entity:
        """A new, empty entity of the named schema."""
        found = get_schema(schema)
        if found.abstract:
            raise KeyError(f"schema {schema!r} is abstract; no entity can have it")
        return cls(id=id, schema=found, caption=caption, target=target)

    def add(self, prop: str, values: str | Iterable[str] | None) -> None:
        """Add cleaned values; refuses unknown properties and values of the wrong type."""
        if values is None:
            return
        spec = self.schema.get(prop)
        if spec is None:
            raise InvalidValueError(self.schema.name, prop, "", f"a property of {self.schema.name}")
        for value in [values] if isinstance(values, str) else values:
            cleaned = clean_value(spec.type, value)
            if cleaned is None:
                expected = EXPECTED.get(spec.type, f"a {spec.type}")
                raise InvalidValueError(self.schema.name, prop, value, expected)
            existing = self.properties.setdefault(prop, [])
            seen = self._values_of(prop, existing)
            if cleaned and cleaned not in seen:
                existing.append(cleaned)
                seen.add(cleaned)
                self._seen[prop] = (existing, len(existing), seen)
        if not self.properties.get(prop):
            self.properties.pop(prop, None)
            self._seen.pop(prop, None)

    def _values_of(self, prop: str, existing: list[str]) -> set[str]:
        """The set of ``existing`` (the property's list), rebuilt when the list was
        replaced or changed in length by code that edits ``properties`` directly."""
        cached = self._seen.get(prop)
        if cached is not None and cached[0] is existing and cached[1] == len(existing):
            return cached[2]
        seen = set(existing)
        self._seen[prop] = (existing, len(existing), seen)
        return seen

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the look-up sets: they are rebuilt on the next ``add``."""
        state = dict(self.__dict__)
        state["_seen"] = {}
        return state

    def get(self, prop: str) -> list[str]:
        return list(self.properties.get(prop, ()))

    def first(self, prop: str) -> str | None:
        values = self.properties.get(prop)
        return values[0] if values else None

    @property
    def names(self) -> list[str]:
        """Every spelling of the entity's name: primary, aliases, weak and previous names."""
        return [v for prop in NAME_PROPERTIES for v in self.properties.get(prop, ())]

    def references(self) -> Iterator[tuple[str, str]]:
        """(property, entity id) for every property that points to another entity."""
        for prop, values in self.properties.items():
            spec = self.schema.get(prop)
            if spec is not None and spec.type == "entity":
                for value in values:
                    yield prop, value

    def to_dict(self) -> dict[str, Any]:
        """FtM's JSON entity format (as written by followthemoney and OpenSanctions)."""
        data: dict[str, Any] = {
            "id": self.id,
            "schema": self.schema.name,
            "caption": self.caption or self.first("name") or self.id,
            "properties": {k: list(v) for k, v in sorted(self.properties.items())},
        }
        if self.target:
            data["target"] = True
        if self.datasets:
            data["datasets"] = list(self.datasets)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], trusted: bool = False) -> Entity:
        """Read FtM JSON; raises InvalidValueError or KeyError on what FtM would refuse.

        ``trusted``: the data was written by ``to_dict`` after validation (the
        registry's own records), so values are taken as they are, not cleaned again.
        """
        entity = cls.make(
            str(data["schema"]),
            str(data["id"]),
            caption=str(data.get("caption") or ""),
            target=bool(data.get("target", False)),
        )
        for prop, values in (data.get("properties") or {}).items():
            if trusted:
                entity.properties[prop] = [str(v) for v in values]
            else:
                entity.add(prop, [str(v) for v in values])
        entity.datasets = [str(d) for d in data.get("datasets") or []]
        if not entity.caption:
            entity.caption = entity.first("name") or entity.id
        return entity

    def state_hash(self) -> str:
        """SHA-256 of the entity's content, ignoring the order of values.

        Equal hashes mean nothing a user could see has changed; a publisher that only
        reorders aliases does not make a new version.
        """
        data = self.to_dict()
        data["properties"] = {k: sorted(v) for k, v in data["properties"].items()}
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spacing, so equal content gives equal text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
