"""Schema and property objects built from the declarations in :mod:`schemata`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sanctio.model.schemata import ABSTRACT, SCHEMATA


@dataclass(frozen=True)
class Property:
    """One FtM property: its name and the type its values must have."""

    name: str
    type: str


@dataclass(frozen=True)
class Schema:
    """One FtM schema with its own and inherited properties."""

    name: str
    parents: tuple[str, ...]
    matchable: bool
    abstract: bool
    properties: dict[str, Property] = field(repr=False)

    def is_a(self, other: str) -> bool:
        """True if this schema is ``other`` or descends from it (Person is a LegalEntity)."""
        return other == self.name or other in ancestors(self.name)

    def get(self, prop: str) -> Property | None:
        return self.properties.get(prop)

    def __str__(self) -> str:
        return self.name


def ancestors(name: str) -> frozenset[str]:
    """Every schema ``name`` inherits from, transitively."""
    found: set[str] = set()
    stack = list(SCHEMATA[name][0])
    while stack:
        parent = stack.pop()
        if parent not in found:
            found.add(parent)
            stack.extend(SCHEMATA[parent][0])
    return frozenset(found)


@cache
def get_schema(name: str) -> Schema:
    """The schema called ``name``; KeyError names the known ones when it does not exist."""
    if name not in SCHEMATA:
        known = ", ".join(sorted(n for n in SCHEMATA if n not in ABSTRACT))
        raise KeyError(f"unknown schema {name!r}; expected one of: {known}")
    parents, matchable, own = SCHEMATA[name]
    properties: dict[str, Property] = {}
    for parent in parents:
        properties.update(get_schema(parent).properties)
    properties.update({prop: Property(prop, kind) for prop, kind in own.items()})
    return Schema(name, parents, matchable, name in ABSTRACT, properties)


@cache
def schema_names() -> tuple[str, ...]:
    """Names of every schema an entity may have (the non-abstract ones)."""
    return tuple(sorted(n for n in SCHEMATA if n not in ABSTRACT))


@cache
def target_schema_names() -> tuple[str, ...]:
    """Schemata a list can designate: persons, organisations, vessels and other assets."""
    return tuple(
        n
        for n in schema_names()
        if get_schema(n).is_a("LegalEntity") or get_schema(n).is_a("Asset")
    )
