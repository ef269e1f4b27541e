"""``GET /search/{dataset}`` and ``GET /entities/{entity_id}``: finding listed entities
by name, and reading one with the records about it, as yente serves them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from sanctio.api.deps import Dataset, DatasetDep, Service, ServiceDep, require_reader
from sanctio.api.limits import WorkPool
from sanctio.api.models import EntityDetail, ErrorResponse, SearchResponse, SearchResult, TotalSpec
from sanctio.errors import NotFoundError
from sanctio.model import Entity
from sanctio.registry import EntityView
from sanctio.screening import Query as ScreeningQuery
from sanctio.screening import QueryError

router = APIRouter(tags=["Data access"], dependencies=[Depends(require_reader)])

#: Search shows names this similar or more: looser than screening's threshold, since
#: a person reads the results (a family name alone finds every holder of it).
SEARCH_THRESHOLD = 0.5
MAX_PAGE = 500
MAX_WINDOW = 10_000
#: The longest search text (the web form's too): a name, not a document.
MAX_SEARCH_TEXT = 1000
#: Entities another entity points to (its address, a sanction's subject) embedded at most.
MAX_EMBEDDED = 50

#: FtM's names for the property a record adds to the entity it is about (a Sanction's
#: ``entity`` shows as the subject's ``sanctions``); others are named the way FtM
#: names such properties: the record's schema, then its property (``ownershipOwner``).
REVERSE = {
    ("Sanction", "entity"): "sanctions",
    ("Identification", "holder"): "identification",
    ("Passport", "holder"): "identification",
    ("Occupancy", "holder"): "positionOccupancies",
    ("Occupancy", "post"): "occupancies",
}


def reverse_name(record: Entity, prop: str) -> str:
    for schema in (record.schema.name, *record.schema.parents):
        if (schema, prop) in REVERSE:
            return REVERSE[(schema, prop)]
    name = record.schema.name
    return name[:1].lower() + name[1:] + prop[:1].upper() + prop[1:]


def nested(view: EntityView, lookup: Any) -> dict[str, Any]:
    """The entity in yente's nested form: each record about it embedded under FtM's
    property for it, each entity it points to embedded in place of its id."""
    root = view.entity
    data = root.to_dict()
    properties: dict[str, list[Any]] = data["properties"]
    embedded = 0
    for prop, ref in list(root.references()):
        if embedded >= MAX_EMBEDDED:
            break
        target = lookup(ref)
        if target is not None:
            properties[prop] = [target if v == ref else v for v in properties[prop]]
            embedded += 1
    for record in view.related:
        item = record.to_dict()
        for prop, ref in record.references():
            if ref == root.id:
                item["properties"][prop] = [v for v in item["properties"][prop] if v != root.id]
                if not item["properties"][prop]:
                    del item["properties"][prop]
                properties.setdefault(reverse_name(record, prop), []).append(item)
                break
    return data


@router.get(
    "/search/{dataset}",
    summary="Find listed entities by name",
    response_model=SearchResponse,
    responses={
        400: {"model": ErrorResponse, "description": "A search text that cannot be read"},
        404: {"model": ErrorResponse, "description": "No such dataset"},
    },
)
async def search(
    request: Request,
    dataset: DatasetDep,
    service: ServiceDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_SEARCH_TEXT,
            description="A name, in any script. Empty: every listed entity, in index order.",
            examples=["Lukashenka"],
        ),
    ] = "",
    schema: Annotated[
        str,
        Query(description="Only entities of this schema (Person, Organization...)."),
    ] = "Thing",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Results per page.")] = 10,
    offset: Annotated[int, Query(ge=0, description="Results to skip.")] = 0,
) -> SearchResponse:
    """Listed entities whose names resemble `q`, best first, through the same name
    index as `/match` with a lower bar (score 0.5 and up), each with its score and
    why. For screening a customer, use `/match`: it weighs birth date, nationality
    and identifiers too."""
    if offset + limit > MAX_WINDOW:
        raise HTTPException(400, detail=f"offset + limit: at most {MAX_WINDOW}")
    pool: WorkPool = request.app.state.pool  # screening: off the event loop, bounded
    return await pool.run(_search, dataset, service, q, schema, limit, offset)


def _search(
    dataset: Dataset, service: Service, q: str, schema: str, limit: int, offset: int
) -> SearchResponse:
    screener = service.screener(dataset)
    if not q.strip():
        items = [
            item
            for item in screener.index.entities
            if schema == "Thing" or item.entity.schema.is_a(schema)
        ]
        page = [
            _result(item.entity.to_dict(), item.lists, 0.0, "no search text: every entity")
            for item in items[offset : offset + limit]
        ]
        return SearchResponse(
            limit=limit, offset=offset, total=TotalSpec(value=len(items)), results=page
        )
    try:
        query = ScreeningQuery.make(q, schema=schema)
    except QueryError as exc:
        raise HTTPException(400, detail=f"q: {exc}") from None
    fetch = offset + limit + 1
    found = [m for m in screener.screen(query, SEARCH_THRESHOLD, fetch) if m.comparison.match]
    page = [
        _result(m.entity.to_dict(), m.lists, m.score, m.comparison.explanation)
        for m in found[offset : offset + limit]
    ]
    more = len(found) == fetch
    total = TotalSpec(value=len(found) - more, relation="gte" if more else "eq")
    return SearchResponse(limit=limit, offset=offset, total=total, results=page)


def _result(data: dict[str, Any], lists: tuple[str, ...], score: float, why: str) -> SearchResult:
    data.update(datasets=list(lists), score=score, explanation=why)
    return SearchResult.model_validate(data)


@router.get(
    "/entities/{entity_id}",
    summary="One entity with the records about it",
    response_model=EntityDetail,
    responses={404: {"model": ErrorResponse, "description": "No list version holds this id"}},
)
def entity(
    entity_id: str,
    service: ServiceDep,
    nested_records: Annotated[
        bool,
        Query(
            alias="nested",
            description="Embed the records about the entity (its sanctions, documents) "
            "and the entities it points to, as yente does.",
        ),
    ] = True,
) -> EntityDetail:
    """The entity as the newest list version holding it has it: with `nested`, its
    sanctions (authority, programme, reasons, listing date), identity documents and
    positions embedded under FtM's property names; the lists whose current version
    holds it (`datasets`, empty and `listed: false` once it was removed); and every
    version that ever held it (`appearances`)."""
    view = service.registry.entity(entity_id)

    def lookup(ref: str) -> dict[str, Any] | None:
        try:
            return service.registry.entity(ref).entity.to_dict()
        except NotFoundError:
            return None

    data = nested(view, lookup) if nested_records else view.entity.to_dict()
    data["datasets"] = sorted(
        name for name, numbers in view.appearances.items() if view.current[name] in numbers
    )
    data.update(
        listed=bool(data["datasets"]),
        list_name=view.list_name,
        version=view.version,
        appearances=view.appearances,
    )
    return EntityDetail.model_validate(data)
