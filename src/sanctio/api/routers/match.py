"""``POST /match/{dataset}``, yente's matching API, and ``GET /algorithms``.

A yente client sends FtM entities to screen; each is read into a screening ``Query``
and run through the same ``Screener`` as ``sanctio screen``. A query that cannot be
screened (no name) is answered with status 400 in its own slot; the rest of the batch
is screened all the same.

The route and the checks it awaits (``reader``, ``resolved``) are coroutines, so that
a request is handed to a worker thread only for what may block: reading the lists'
current versions, and screening a batch or loading an index. A single query against a
loaded index (a few milliseconds of CPU, the common request) is screened on the event
loop, since a thread would run it no faster under the GIL and each hand-off costs
about a quarter of a millisecond (bench/load_match.py measures the service under load).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctio import __version__
from sanctio.api.deps import (
    Dataset,
    DatasetName,
    Service,
    bearer,
    get_service,
    require_reader,
)
from sanctio.api.limits import WorkPool, over_limit
from sanctio.api.models import (
    Algorithm,
    AlgorithmResponse,
    AlgorithmUsed,
    EntityExample,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
    FeatureDoc,
    FeatureResult,
    ScoredEntityResponse,
    TotalSpec,
)
from sanctio.api.query_params import openapi_parameters, read_query
from sanctio.designation.auth import Actor
from sanctio.model import countries_in
from sanctio.screening import DEFAULT_THRESHOLD, Match, QueryError
from sanctio.screening import Query as ScreeningQuery
from sanctio.screening.query import IDENTIFIER_PROPERTIES
from sanctio.screening.scorer import forget_pairs


async def reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor | None:
    """``require_reader``, in a worker thread only when a token must be checked (an
    open service, the default, needs no thread to say that nobody is asking)."""
    service = get_service(request)
    if not service.require_token:
        return None
    return await run_in_threadpool(require_reader, request, service, credentials)


async def resolved(request: Request, dataset: str) -> Dataset:
    """``deps.get_dataset``: the dataset and its lists' current versions, known at once
    when nothing was committed since they were read, else read from the registry in a
    worker thread."""
    service = get_service(request)
    known = service.known_dataset(dataset)
    if known is not None:
        return known
    return await run_in_threadpool(service.dataset, dataset)


router = APIRouter(tags=["Matching"])

ALGORITHM = "sanctio"
#: yente's algorithm names, accepted so that a yente client's configuration works;
#: every one of them runs Sanctio's scorer, and the response says so.
YENTE_ALGORITHMS = (
    "best",
    "default",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
    "regression-v2",
    "regression-v3",
)
ALGORITHMS = (ALGORITHM, *YENTE_ALGORITHMS)
ALGORITHM_DESCRIPTION = (
    "Names aligned part by part across scripts and romanizations (family name weighs "
    "most, a patronymic the query leaves out costs nothing), then birth date, "
    "nationality, gender and identifiers confirm or contradict. See docs/screening.md."
)
FEATURES = {
    "name_score": FeatureDoc(
        description="How well the best-aligned pair of names agree (0 to 1), before "
        "other facts confirm or contradict.",
        coefficient=1.0,
    )
}
#: yente's limits: results per query, and queries per batch.
MAX_LIMIT = 500
MAX_BATCH = 100
#: With result filters, this many times ``limit`` candidates are screened, so that
#: enough remain after filtering.
FILTER_OVERFETCH = 5
#: Batches up to this size, with no more than INLINE_VALUES property values, are
#: screened on the event loop once the index is loaded (a few milliseconds); the rest
#: in the service's work pool (``api/limits.py``), so that the loop goes on answering
#: meanwhile: one query of 100,000 names held it for 13 s.
INLINE_BATCH = 1
INLINE_VALUES = 32

NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
#: Name parts combined into a name when a query has none (yente does the same).
NAME_PART_PROPERTIES = ("firstName", "secondName", "middleName", "fatherName", "lastName")
COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def names_in(batch: EntityMatchQuery) -> int:
    """How many names the batch would screen (a query without one still costs one)."""
    return sum(
        max(1, sum(_count(example.properties.get(p)) for p in NAME_PROPERTIES))
        for example in batch.queries.values()
        if example is not None
    )


def values_in(batch: EntityMatchQuery) -> int:
    """How many property values the batch holds, names and others."""
    return sum(
        sum(_count(v) for v in example.properties.values())
        for example in batch.queries.values()
        if example is not None
    )


def _count(raw: object) -> int:
    return len(raw) if isinstance(raw, list) else 0 if raw is None else 1


def too_many_names(batch: EntityMatchQuery, most: int) -> str | None:
    """Why the batch is refused for its names (None when it is not)."""
    found = names_in(batch)
    if found <= most:
        return None
    return (
        f"Too many names in one request: {found}; expected at most {most} "
        "(name, alias, weakAlias and previousName values of every query together; "
        "SANCTIO_MAX_MATCH_NAMES); send them in several requests"
    )


def inline(batch: EntityMatchQuery) -> bool:
    """Whether the batch is small enough to screen on the event loop."""
    return 0 < len(batch.queries) <= INLINE_BATCH and values_in(batch) <= INLINE_VALUES


def values(example: EntityExample, prop: str) -> list[str]:
    """A property's values as strings (FtM allows one value or a list)."""
    raw = example.properties.get(prop)
    items: list[Any] = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return [str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip()]


def to_query(example: EntityExample) -> tuple[ScreeningQuery, list[str]]:
    """The screening query an example describes, and the values left out of it because
    they cannot be read (as yente drops what FtM cannot clean); QueryError when there
    is nothing to screen."""
    warnings: list[str] = []
    names = [v for p in NAME_PROPERTIES for v in values(example, p)]
    if not names:
        combined = " ".join(v for p in NAME_PART_PROPERTIES for v in values(example, p)[:1])
        names = [combined] if combined else []
    dates: list[str] = []
    for value in values(example, "birthDate"):
        found = _DATE.match(value)
        if found:
            dates.append(found.group(0))
        else:
            warnings.append(
                f"birthDate: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); left out"
            )
    countries: list[str] = []
    for prop in COUNTRY_PROPERTIES:
        for value in values(example, prop):
            if countries_in(value) or len(value) == 2:
                countries.append(value)
            else:
                warnings.append(f"{prop}: unknown country {value!r}; left out")
    identifiers = [v for p in ("idNumber", *IDENTIFIER_PROPERTIES) for v in values(example, p)]
    genders = values(example, "gender")
    query = ScreeningQuery.make(
        names,
        schema=example.schema_,
        birth_date=dates,
        country=countries,
        gender=genders[0] if genders else None,
        identifiers=list(dict.fromkeys(identifiers)),
    )
    return query, warnings


def scored(match: Match) -> ScoredEntityResponse:
    """One result in yente's shape, with the explanation as its ``sanctio`` feature."""
    comparison = match.comparison
    data = match.entity.to_dict()
    data["datasets"] = list(match.lists)
    data["score"] = comparison.score
    data["match"] = comparison.match
    data["features"] = {"name_score": comparison.name_score}
    data["explanations"] = {
        ALGORITHM: FeatureResult(
            score=comparison.score,
            detail=comparison.explanation,
            query=comparison.aligned[0].original if comparison.aligned else None,
            candidate=comparison.candidate_name,
        )
    }
    return ScoredEntityResponse.model_validate(data)


def echo(example: EntityExample) -> EntityExample:
    """The query as received, each property as a list (as yente echoes it)."""
    properties: dict[str, str | list[Any]] = {
        prop: values(example, prop) for prop in example.properties
    }
    return EntityExample(id=example.id, schema=example.schema_, properties=properties)


def algorithm_used(requested: str) -> AlgorithmUsed:
    if requested.lower().strip() not in ALGORITHMS:
        raise HTTPException(
            400,
            detail=f"Invalid algorithm: {requested!r}; expected one of {', '.join(ALGORITHMS)} "
            f"(each runs Sanctio's scorer)",
        )
    return AlgorithmUsed(name=ALGORITHM, requested=requested, version=__version__)


class MatchOptions(BaseModel):
    """``/match``'s query parameters (yente's), read in one validation by ``read_query``
    rather than one by one by FastAPI: see ``api/query_params.py``."""

    limit: int = Field(
        5, ge=1, le=MAX_LIMIT, description="Results to return per query, best first."
    )
    threshold: float = Field(
        DEFAULT_THRESHOLD,
        ge=0.0,
        le=1.0,
        description="A result at or above this score has `match: true` (Sanctio's "
        "calibrated default; yente's default is lower).",
    )
    cutoff: float = Field(
        0.0, ge=0.0, le=1.0, description="Results at or below this score are not returned."
    )
    algorithm: str = Field(
        ALGORITHM,
        description=f"Accepted: {', '.join(ALGORITHMS)}. Every name runs Sanctio's scorer; "
        "`algorithm` in the response says so.",
        json_schema_extra={"enum": list(ALGORITHMS)},
    )
    include_dataset: list[str] = Field(
        default_factory=list, description="Only results from these lists."
    )
    exclude_dataset: list[str] = Field(
        default_factory=list, description="No results from these lists."
    )
    exclude_schema: list[str] = Field(
        default_factory=list, description="No results of these schemata (e.g. Vessel)."
    )
    exclude_entity_ids: list[str] = Field(
        default_factory=list,
        description="No results with these ids (false positives already cleared).",
    )
    topics: list[str] = Field(
        default_factory=list, description="Only results with one of these FtM topics."
    )
    changed_since: str | None = Field(
        None, description="Accepted for yente clients and not applied: every entity is screened."
    )


@router.post(
    "/match/{dataset}",
    summary="Screen a batch of entities (yente's query-by-example matcher)",
    response_model=EntityMatchResponse,
    responses={
        400: {"model": ErrorResponse, "description": "No queries, too many, or bad algorithm"},
        401: {"model": ErrorResponse, "description": "A token is required and missing or unknown"},
        404: {"model": ErrorResponse, "description": "No such dataset"},
        413: {"model": ErrorResponse, "description": "The body is larger than the limit"},
        503: {"model": ErrorResponse, "description": "Busy: try again after Retry-After"},
    },
    openapi_extra={
        "parameters": openapi_parameters(MatchOptions),
        "security": [{"HTTPBearer": []}, {}],
    },
)
async def match(request: Request, dataset: DatasetName, body: EntityMatchQuery) -> Response:
    """Screen each entity of `queries` against the dataset's current lists.

    Send entities in FtM's format under keys of your choosing, exactly as to yente:

    ```json
    {"queries": {"q1": {"schema": "Person",
                        "properties": {"name": ["Alexander Lukashenko"],
                                       "birthDate": ["1954-08-30"], "nationality": ["by"]}}}}
    ```

    Each key gets its results, best first: every listed entity scoring at or above
    `threshold` (`match: true`), then close ones below it, up to `limit`. Each result
    explains its score in one line (`explanations.sanctio.detail`). A query that cannot
    be screened (no name) gets `status: 400` and a `detail`; the others are answered.
    """
    # the busiest route: its token check, dataset and options are read here rather than
    # by FastAPI dependencies, which took about a sixth of its CPU (docs/benchmarks.md)
    await reader(request, await bearer(request))
    found = await resolved(request, dataset)
    options = read_query(MatchOptions, request.query_params)
    used = algorithm_used(options.algorithm)
    if not body.queries:
        raise HTTPException(400, detail="No queries provided.")
    if len(body.queries) > MAX_BATCH:
        raise HTTPException(400, detail=f"Too many queries in one batch (limit: {MAX_BATCH})")
    refused = too_many_names(body, request.app.state.max_match_names)
    if refused is not None:
        raise over_limit(("body", "queries"), refused, names_in(body))
    service = get_service(request)
    if inline(body) and service.loaded_screener(found) is not None:
        responses = screen_batch(service, found, body, options)
    else:
        pool: WorkPool = request.app.state.pool
        responses = await pool.run(screen_batch, service, found, body, options)
    return answer(responses, options, used)


def answer(
    responses: dict[str, EntityMatches], options: MatchOptions, used: AlgorithmUsed
) -> Response:
    """The batch's answer, serialized here: FastAPI would validate the response model
    a second time first."""
    answered = EntityMatchResponse(
        responses=responses, matcher=FEATURES, limit=options.limit, algorithm=used
    )
    return Response(
        answered.model_dump_json(by_alias=True),
        media_type="application/json",
        headers={"x-batch-size": str(len(responses))},
    )


@dataclass(frozen=True)
class Filters:
    """Which results a batch leaves out (yente's result filters)."""

    cutoff: float
    included: set[str]
    excluded: set[str]
    schemata: set[str]
    topics: set[str]
    ids: set[str]

    @classmethod
    def of(cls, options: MatchOptions) -> Filters:
        return cls(
            cutoff=options.cutoff,
            # dataset names ignore letter case, here as in the path
            included={name.lower() for name in options.include_dataset},
            excluded={name.lower() for name in options.exclude_dataset},
            schemata=set(options.exclude_schema),
            topics=set(options.topics),
            ids=set(options.exclude_entity_ids),
        )

    @property
    def any_list_or_kind(self) -> bool:
        return bool(self.included or self.excluded or self.schemata or self.topics)

    def wanted(self, found: Match) -> bool:
        entity = found.entity
        return (
            found.score > self.cutoff
            and entity.id not in self.ids
            and (not self.included or any(n.lower() in self.included for n in found.lists))
            and not any(n.lower() in self.excluded for n in found.lists)
            and entity.schema.name not in self.schemata
            and (not self.topics or bool(self.topics.intersection(entity.get("topics"))))
        )


def screen_batch(
    service: Service, dataset: Dataset, body: EntityMatchQuery, options: MatchOptions
) -> dict[str, EntityMatches]:
    """Each query of the batch screened against the dataset's current lists (loading
    its index first if a list has changed): in a worker thread, unless it is one query
    against a loaded index."""
    screener = service.screener(dataset)
    limit, threshold, filters = options.limit, options.threshold, Filters.of(options)
    forget_pairs()
    fetch = min(MAX_LIMIT, limit * FILTER_OVERFETCH) if filters.any_list_or_kind else limit
    fetch += len(filters.ids)
    responses: dict[str, EntityMatches] = {}
    for key, example in body.queries.items():
        if example is None:
            continue
        try:
            query, warnings = to_query(example)
        except QueryError as exc:
            responses[key] = EntityMatches(
                status=400,
                results=[],
                total=TotalSpec(value=0),
                query=echo(example),
                detail=f"Cannot screen query {key!r}: {exc}",
            )
            continue
        kept = [m for m in screener.screen(query, threshold, fetch) if filters.wanted(m)][:limit]
        matched = sum(1 for m in kept if m.comparison.match)
        responses[key] = EntityMatches(
            status=200,
            results=[scored(m) for m in kept],
            total=TotalSpec(value=matched, relation="gte" if matched == limit else "eq"),
            query=echo(example),
            warnings=warnings,
        )
    return responses


@router.get(
    "/algorithms",
    dependencies=[Depends(reader)],
    summary="The scoring algorithms accepted",
    response_model=AlgorithmResponse,
)
def algorithms() -> AlgorithmResponse:
    """Every algorithm name `/match` accepts: Sanctio's own, and yente's names, each
    of which runs Sanctio's scorer."""
    items = [Algorithm(name=ALGORITHM, description=ALGORITHM_DESCRIPTION, features=FEATURES)]
    alias = f"Accepted for yente clients; runs {ALGORITHM}."
    items.extend(
        Algorithm(name=name, description=alias, features=FEATURES) for name in YENTE_ALGORITHMS
    )
    return AlgorithmResponse(algorithms=items, default=ALGORITHM, best=ALGORITHM)
