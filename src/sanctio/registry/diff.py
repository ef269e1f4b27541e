"""What changed between two versions of a list, entity by entity.

A designated person's sanction and identity documents are separate FtM entities; a
user reading a diff wants "YARMOSHINA: statement of reasons changed", so records
about a target are folded into it, their properties named ``Schema:property``
(``Sanction:reason``), and ``Schema:id`` lists the records themselves. When a target
has several records of one schema, each folded value starts with its record's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanctio.model import Entity


@dataclass
class ListDiff:
    """Targets added, removed and changed from ``old_version`` to ``new_version``."""

    name: str
    old_version: int | None
    new_version: int | None
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.name,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
        }


def subject_of(entity: Entity, targets: set[str]) -> str | None:
    """The target a record is about (a Sanction's entity, a Passport's holder)."""
    if entity.target:
        return None
    for _, ref in entity.references():
        if ref in targets:
            return ref
    return None


def fold(entities: Iterable[Entity]) -> dict[str, tuple[Entity, dict[str, list[str]]]]:
    """Each subject with its own properties and those of the records about it."""
    items = list(entities)
    targets = {e.id for e in items if e.target}
    folded: dict[str, tuple[Entity, dict[str, list[str]]]] = {}
    records: dict[tuple[str, str], list[Entity]] = {}
    for entity in sorted(items, key=lambda e: not e.target):
        subject = subject_of(entity, targets)
        if subject is None:
            folded[entity.id] = (entity, {k: sorted(v) for k, v in entity.properties.items()})
        else:
            records.setdefault((subject, entity.schema.name), []).append(entity)
    for (subject, schema), about in records.items():
        props = folded[subject][1]
        props[f"{schema}:id"] = sorted(record.id for record in about)
        for record in about:
            # with several records of a schema, each value says which record holds it,
            # so two sanctions swapping their reasons is still a change
            label = f"{record.id}: " if len(about) > 1 else ""
            for prop, values in record.properties.items():
                spec = record.schema.get(prop)
                if spec is not None and spec.type == "entity":
                    continue
                key = f"{schema}:{prop}"
                props[key] = sorted([*props.get(key, []), *(label + v for v in values)])
    return folded


def _summary(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "caption": entity.caption, "schema": entity.schema.name}


def diff_entities(
    name: str,
    old: Iterable[Entity],
    new: Iterable[Entity],
    old_version: int | None = None,
    new_version: int | None = None,
) -> ListDiff:
    """Compare two versions' entities; items are ordered by caption for reading."""
    before, after = fold(old), fold(new)
    diff = ListDiff(name, old_version, new_version)
    for entity_id, (entity, props) in after.items():
        if entity_id not in before:
            diff.added.append(_summary(entity))
            continue
        old_entity, old_props = before[entity_id]
        changes = {
            key: {"old": old_props.get(key, []), "new": props.get(key, [])}
            for key in sorted({*old_props, *props})
            if old_props.get(key, []) != props.get(key, [])
        }
        for key, before_value, after_value in (
            ("schema", old_entity.schema.name, entity.schema.name),
            ("caption", old_entity.caption, entity.caption),
            ("target", str(old_entity.target).lower(), str(entity.target).lower()),
        ):
            if before_value != after_value:
                changes[key] = {"old": [before_value], "new": [after_value]}
        if changes:
            diff.changed.append({**_summary(entity), "properties": changes})
    diff.removed = [_summary(e) for i, (e, _) in before.items() if i not in after]
    for items in (diff.added, diff.removed, diff.changed):
        items.sort(key=lambda item: (item["caption"].lower(), item["id"]))
    return diff
