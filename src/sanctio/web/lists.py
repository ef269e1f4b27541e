"""Lists: their versions, the changes between two, and a version as an annex table
(the form in which the Official Journal publishes a regime's list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from sanctio.api.deps import ServiceDep
from sanctio.api.routers.catalog import regimes
from sanctio.model import Entity
from sanctio.registry import VersionInfo
from sanctio.web.core import (
    ReaderDep,
    render,
    router,
)
from sanctio.web.entities import Spelling, identifying, spellings


@dataclass(frozen=True)
class AnnexEntry:
    """One numbered entry of the annex: the names, what identifies the person or
    entity, the reasons and the date of listing, as the regulation's annex sets them."""

    number: int
    entity: Entity
    spellings: list[Spelling]
    identifying: list[tuple[str, list[str]]]
    reasons: list[str]
    listed_on: str


def annex(entities: list[Entity]) -> list[AnnexEntry]:
    """Every target of a list version with its sanctions' reasons and listing date,
    in the order of listing (earliest first, then by name), numbered from 1."""
    sanctions: dict[str, list[Entity]] = {}
    for entity in entities:
        if entity.schema.name == "Sanction":
            for target in entity.get("entity"):
                sanctions.setdefault(target, []).append(entity)
    rows = []
    for entity in entities:
        if not entity.target:
            continue
        own = sanctions.get(entity.id, [])
        reasons = sorted({r for sanction in own for r in sanction.get("reason")})
        dates = sorted(d for sanction in own for d in sanction.get("listingDate"))
        rows.append((dates[0] if dates else "", entity.caption or entity.id, entity, reasons))
    rows.sort(key=lambda row: (row[0] == "", row[0], row[1].casefold()))
    return [
        AnnexEntry(number, entity, spellings(entity), identifying(entity), reasons, listed)
        for number, (listed, _, entity, reasons) in enumerate(rows, start=1)
    ]


@router.get("/lists")
def lists_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """Every list with its current version, and which regime publishes it."""
    items: list[VersionInfo] = service.registry.lists()
    return render(
        request,
        "lists.html",
        actor,
        section="lists",
        lists=items,
        regimes=regimes(service.registry),
    )


@router.get("/lists/{name}")
def list_page(request: Request, name: str, service: ServiceDep, actor: ReaderDep) -> Response:
    """A list's versions, oldest first, with the changes each made."""
    versions = service.registry.versions(name)
    return render(
        request,
        "list.html",
        actor,
        section="lists",
        name=name,
        versions=versions,
        regime=regimes(service.registry).get(name),
    )


@router.get("/lists/{name}/diff")
def diff_page(
    request: Request,
    name: str,
    service: ServiceDep,
    actor: ReaderDep,
    old: Annotated[int | None, Query(ge=1)] = None,
    new: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Targets added, removed and changed between two versions (default: the last two)."""
    diff = service.registry.diff(name, old, new)
    return render(
        request,
        "diff.html",
        actor,
        section="lists",
        name=name,
        diff=diff,
        versions=service.registry.versions(name),
    )


@router.get("/lists/{name}/annex")
def annex_page(
    request: Request,
    name: str,
    service: ServiceDep,
    actor: ReaderDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """A version of the list (default: the current one) as an annex table: for a
    published regime list, the list the Council adopted, entry by entry."""
    info = service.registry.version(name, version)
    return render(
        request,
        "annex.html",
        actor,
        section="lists",
        name=name,
        info=info,
        entries=annex(service.registry.entities(name, info.version)),
        regime=regimes(service.registry).get(name),
    )
