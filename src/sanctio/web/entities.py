"""An entity's page: every spelling, its sanctions and the list versions holding it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from sanctio.api.deps import ServiceDep
from sanctio.model import NAME_PROPERTIES, Entity
from sanctio.model.shown import DETAILS, NAME_LABELS
from sanctio.registry import EntityView
from sanctio.web.core import (
    ReaderDep,
    name_lang,
    render,
    router,
    script_label,
)

# -- entities --------------------------------------------------------------------------


@dataclass(frozen=True)
class Spelling:
    value: str
    kind: str
    script: str
    lang: str | None


def spellings(entity: Entity) -> list[Spelling]:
    """Every spelling of the entity's name, with its kind and script."""
    return [
        Spelling(value, NAME_LABELS.get(prop, prop), script_label(value), name_lang(value))
        for prop in NAME_PROPERTIES
        for value in entity.get(prop)
    ]


def identifying(entity: Entity) -> list[tuple[str, list[str]]]:
    """Birth date, nationality, position... and identifier numbers, in a fixed order."""
    found = [(prop, entity.get(prop)) for prop in DETAILS if entity.get(prop)]
    for prop, values in entity.properties.items():
        spec = entity.schema.get(prop)
        if spec is not None and spec.type == "identifier" and prop != "programId":
            found.append((prop, list(values)))
    return found


def properties(entity: Entity) -> list[tuple[str, str, list[str]]]:
    """(property, its type, values) for every property, for the full record."""
    return [
        (prop, spec.type if (spec := entity.schema.get(prop)) else "string", values)
        for prop, values in sorted(entity.properties.items())
    ]


@router.get("/entities/{entity_id:path}")
def entity_page(
    request: Request, entity_id: str, service: ServiceDep, actor: ReaderDep
) -> Response:
    """An entity as the newest list version holding it has it, with its sanctions and
    the list versions it appears in."""
    view: EntityView = service.registry.entity(entity_id)
    related = view.related
    listed = sorted(name for name, found in view.appearances.items() if view.current[name] in found)
    documents = [e for e in related if e.schema.is_a("Identification")]
    return render(
        request,
        "entity.html",
        actor,
        section="screening",
        view=view,
        entity=view.entity,
        spellings=spellings(view.entity),
        identifying=identifying(view.entity),
        sanctions=[e for e in related if e.schema.name == "Sanction"],
        documents=documents,
        others=[e for e in related if e.schema.name != "Sanction" and e not in documents],
        properties=properties(view.entity),
        listed=listed,
    )
