"""Request and response bodies of the HTTP API.

The matching, search, entity and catalog bodies carry yente's names and shapes
(``yente/data/common.py``), so a client written for yente reads ours unchanged; the
fields Sanctio adds (``algorithm``, ``warnings``, ``detail`` on a refused query, the
listing history of an entity, a dataset's kind) are extra keys a yente client ignores.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

EXAMPLE_QUERY: dict[str, Any] = {
    "schema": "Person",
    "properties": {
        "name": ["Alexander Lukashenko"],
        "birthDate": ["1954-08-30"],
        "nationality": ["by"],
    },
}


class ErrorResponse(BaseModel):
    """A refused request, and why."""

    detail: str = Field(examples=["No such dataset: 'eu'; known datasets: default, eu-32006R0765"])


class StatusResponse(BaseModel):
    status: str = Field(default="ok", examples=["ok"])


class EntityResponse(BaseModel):
    """One entity in FtM's JSON format, as yente returns it."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(examples=["eu-32006r0765-i-a-45"])
    caption: str = Field(examples=["Aliaksandr Ryhoravich LUKASHENKA"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str | EntityResponse]] = Field(
        description="FtM properties; in a nested entity, related records (its sanctions, "
        "identity documents) are embedded as entities under FtM's property names.",
        examples=[{"name": ["Aliaksandr Ryhoravich LUKASHENKA"], "birthDate": ["1954-08-30"]}],
    )
    datasets: list[str] = Field(
        default_factory=list,
        description="The lists whose current version holds the entity.",
        examples=[["eu-32006R0765"]],
    )
    referents: list[str] = Field(
        default_factory=list, description="Always empty: Sanctio merges no entities."
    )
    target: bool = Field(default=False, description="Whether the entity is itself designated.")
    first_seen: datetime | None = Field(default=None, description="Not tracked by Sanctio: null.")
    last_seen: datetime | None = Field(default=None, description="Not tracked by Sanctio: null.")
    last_change: datetime | None = Field(default=None, description="Not tracked by Sanctio: null.")


class FeatureResult(BaseModel):
    """One part of a score, with the values it compared and, in words, how."""

    score: float = Field(examples=[1.0])
    detail: str | None = Field(
        default=None,
        examples=[
            'name 1.00 (listed spelling "Alexander Grigorievich LUKASHENKO"): alexander '
            "matches; lukashenko matches; patronymic grigorievich not given"
        ],
    )
    query: str | None = Field(default=None, examples=["Alexander Lukashenko"])
    candidate: str | None = Field(default=None, examples=["Alexander Grigorievich LUKASHENKO"])


class ScoredEntityResponse(EntityResponse):
    """A listed entity found for a query, its score, and why."""

    score: float = Field(description="0 to 1.", examples=[1.0])
    features: dict[str, float] = Field(
        description="Sub-scores (yente's deprecated field): `name_score`, the name "
        "alignment alone before other facts confirm or contradict it.",
        examples=[{"name_score": 1.0}],
    )
    explanations: dict[str, FeatureResult] = Field(
        description="`sanctio`: the score with its one-line explanation (which name parts "
        "matched how, which facts confirmed or contradicted), the query name and the "
        "listed spelling it was aligned with."
    )
    match: bool = Field(description="Whether the score is at or above the threshold.")
    token: str | None = Field(default=None, description="Not used by Sanctio: null.")


class EntityExample(BaseModel):
    """An entity to screen, in FtM's format: a schema and its properties."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(default=None, examples=["customer-42"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        examples=[EXAMPLE_QUERY["properties"]],
        description="Read: name, alias, weakAlias, previousName (or firstName, "
        "middleName, fatherName, lastName when no name is given); birthDate; "
        "nationality, citizenship, country, jurisdiction; gender; and identifiers "
        "(idNumber, passportNumber, registrationNumber, taxNumber, innCode, ogrnCode, "
        "leiCode, swiftBic, imoNumber...). Other properties are accepted and not used.",
    )


class EntityMatchQuery(BaseModel):
    """A batch of entities to screen, each under a key of the caller's choosing."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"queries": {"q1": EXAMPLE_QUERY}}]},
    )

    weights: dict[str, Annotated[float, Strict()]] = Field(
        default_factory=dict, description="Accepted for yente clients; not used by Sanctio."
    )
    config: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="Accepted for yente clients; not used by Sanctio."
    )
    queries: dict[str, EntityExample | None] = Field(
        description="1 to 100 entities, each under a key of your choosing (more, or none: 400).",
        json_schema_extra={"minProperties": 1, "maxProperties": 100},
    )


class TotalSpec(BaseModel):
    value: int = Field(examples=[1])
    relation: Literal["eq", "gte"] = Field(default="eq", examples=["eq"])


class EntityMatches(BaseModel):
    """The results for one query of a batch, or why it could not be screened."""

    status: int = Field(
        default=200,
        description="200, or 400 when this query could not be screened (see `detail`); "
        "the other queries of the batch are answered all the same.",
        examples=[200],
    )
    results: list[ScoredEntityResponse]
    total: TotalSpec = Field(
        description="How many results match (score at or above the threshold)."
    )
    query: EntityExample
    detail: str | None = Field(
        default=None, description="Why the query was refused (status 400).", examples=[None]
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Values that were left out of the query because they cannot be read "
        "(a birth date that is no date, an unknown country); the rest was screened.",
        examples=[["birthDate: 'unknown' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); left out"]],
    )


class FeatureDoc(BaseModel):
    description: str | None = None
    coefficient: float = 1.0
    url: str | None = None


class AlgorithmUsed(BaseModel):
    """Which scorer ran: always Sanctio's, whatever yente name was asked for."""

    name: str = Field(examples=["sanctio"])
    requested: str = Field(examples=["logic-v2"])
    version: str = Field(description="The Sanctio version.", examples=["0.1.0"])


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc] = Field(
        description="The scorer's features (yente's older `matcher` field)."
    )
    limit: int = Field(examples=[5])
    algorithm: AlgorithmUsed


class SearchFacet(BaseModel):
    label: str
    values: list[dict[str, Any]] = Field(default_factory=list)


class SearchResult(EntityResponse):
    score: float = Field(description="Name similarity to the search text, 0 to 1.")
    explanation: str = Field(description="Why, in one line.")


class SearchResponse(BaseModel):
    limit: int = Field(examples=[10])
    offset: int = Field(default=0, examples=[0])
    total: TotalSpec
    results: list[SearchResult]
    facets: dict[str, SearchFacet] = Field(
        default_factory=dict, description="Always empty: Sanctio computes no facets."
    )


class EntityDetail(EntityResponse):
    """An entity with its related records embedded, and where it has been listed."""

    listed: bool = Field(
        description="Whether the current version of some list holds the entity (false: "
        "it was removed; shown as the last version that held it)."
    )
    list_name: str = Field(description="The list of the version shown.", examples=["eu-32006R0765"])
    version: int = Field(description="The list version shown.", examples=[1])
    appearances: dict[str, list[int]] = Field(
        description="Every version of every list that has held the entity.",
        examples=[{"eu-32006R0765": [1, 2]}],
    )


class DatasetModel(BaseModel):
    """A dataset: one list of the registry, or ``default``, all of them."""

    name: str = Field(examples=["eu-32006R0765"])
    title: str = Field(examples=["eu-32006R0765"])
    summary: str | None = None
    kind: Literal["list", "regime", "collection"] = Field(
        description="list: imported from a file; regime: published by Sanctio's "
        "designation workflow (`sanctio-*`); collection: `default`, every list."
    )
    version: str = Field(
        description="The current list version (for `default`: a digest of all of them).",
        examples=["3"],
    )
    updated_at: datetime | None = Field(
        default=None, description="When the current version was stored."
    )
    last_export: datetime | None = Field(default=None, description="Same as updated_at.")
    entity_count: int = Field(description="Designated entities (targets).", examples=[408])
    thing_count: int = Field(description="Same as entity_count.", examples=[408])
    record_count: int = Field(
        description="All records, with sanctions, documents and addresses.", examples=[816]
    )
    source: str | None = Field(default=None, examples=["32006R0765.csv"])
    format: str | None = Field(default=None, examples=["eu-journal-csv"])
    load: bool = True
    children: list[str] = Field(default_factory=list)
    index_version: str | None = Field(
        default=None,
        description="The version the loaded screening index was built from, if loaded.",
    )
    index_current: bool = False


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str] = Field(description="Datasets whose loaded index is current.")
    outdated: list[str] = Field(description="Datasets whose loaded index is older.")
    index_stale: bool = Field(
        default=False,
        description="Whether a loaded index is older than its list (rebuilt on next use).",
    )


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str
