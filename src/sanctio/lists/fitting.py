"""What a reader cannot type is kept, word for word, in the entity's notes.

Publishers write prose into identifier cells, unknown country names, phone numbers
in no known form; a compliance team wants nothing dropped, so every reader adds what
fits a property and notes the rest as ``label: value``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sanctio.model import Entity, InvalidValueError, countries_in, country_code


def put_or_note(
    entity: Entity, prop: str, values: Iterable[str], notes: list[str], label: str
) -> None:
    """Add each value that fits ``prop``; note the others as ``label: value``."""
    for value in values:
        try:
            entity.add(prop, value)
        except InvalidValueError:
            notes.append(f"{label}: {value}")


def country_codes(value: str) -> list[str]:
    """The country codes a publisher's country field means: a code or name, else every
    country named in it (empty when none is known)."""
    code = country_code(value)
    return [code] if code else countries_in(value)
