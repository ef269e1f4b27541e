"""Request and response bodies of Sanctio's own endpoints: the registry's lists, the
designation workflow, the audit trail and election forensics.

Each model mirrors what the module behind the endpoint returns (``VersionInfo``,
``Decision``, ``Verification``...), under the same names the CLI's ``--json`` output
uses, so a script can move from the command line to HTTP without renaming fields.
Bounds on ids and dates keep a request that the database or the calendar cannot hold
a 422, never a failure deep inside the workflow.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from sanctio.designation.consensus import Outcome, Position, Rule
from sanctio.designation.lifecycle import Ground, ReviewOutcome
from sanctio.model.countries import _codes as country_codes

#: Text a query or path parameter may hold: anything but NUL, which PostgreSQL cannot
#: compare with its text (so such a lookup is a 422, not a refusal by the database).
NO_NUL = r"^[^\x00]*$"
#: Text that says something: a character other than a space, and no NUL.
SAID = r"^[^\x00]*[^\s\x00][^\x00]*$"
#: Largest id or number the database's integer columns hold (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1
#: Dates the workflow accepts: the calendar arithmetic (renewal terms, appeal periods,
#: a year to the next review) must stay inside Python's years 1 to 9999.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)

_DAY = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_DAY_TEXT = re.compile(_DAY)
_MOMENT_TEXT = re.compile(
    rf"{_DAY}(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{{2}}:[0-9]{{2}}))?"
)


def _iso_day(value: Any) -> Any:
    """Only a date written YYYY-MM-DD is a date here (pydantic alone would also take a
    number of seconds, and FastAPI validates bodies in its lax Python mode)."""
    if isinstance(value, str) and not _DAY_TEXT.fullmatch(value):
        raise ValueError("expected a date YYYY-MM-DD")
    if not isinstance(value, str | date):
        raise ValueError("expected a date YYYY-MM-DD, as text")
    return value


def _iso_moment(value: Any) -> Any:
    if isinstance(value, str) and not _MOMENT_TEXT.fullmatch(value):
        raise ValueError(
            "expected a date YYYY-MM-DD, or a date and time such as 2020-08-11T10:30:00Z"
        )
    if not isinstance(value, str | date):
        raise ValueError("expected a date or a date and time, as text")
    return value


def _json_integer(value: Any) -> Any:
    """A JSON integer (``3``, or ``3.0``, which JSON Schema counts as one), not text
    that looks like one nor a boolean: FastAPI validates bodies in pydantic's lax mode."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected an integer, as a JSON number")
    return value


#: An id in a JSON body.
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_json_integer)]
Day = Annotated[
    date,
    Field(
        ge=EARLIEST,
        le=LATEST,
        examples=["2020-10-02"],
        json_schema_extra={
            "pattern": r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
        },
    ),
    BeforeValidator(_iso_day),
]
Moment = Annotated[
    datetime | date,
    Field(json_schema_extra={"pattern": rf"^{_MOMENT_TEXT.pattern}$"}),
    BeforeValidator(_iso_moment),
]
Sha256 = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 in 64 lower-case hex digits.",
        examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ),
]
ActNumber = Annotated[
    str, Field(min_length=1, max_length=100, pattern=SAID, examples=["2020/1388"])
]
#: Text that must say something: not empty, not only spaces.
Said = Annotated[str, Field(min_length=1, pattern=SAID)]


def _required_when(field: str, values: list[str], then: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema rule: when ``field`` has one of ``values``, ``then`` applies (so a
    generated request knows what the validator below it checks)."""
    return {
        "if": {"properties": {field: {"enum": values}}, "required": [field]},
        "then": then,
    }


Name = Annotated[str, Field(min_length=1, max_length=384, pattern=SAID)]
#: A change to a published list names its act: a decision number, a regulation number,
#: or both (the JSON Schema form of ``act_given``).
ACT_GIVEN: dict[str, Any] = {
    "anyOf": [
        {"required": ["decision_number"], "properties": {"decision_number": {"type": "string"}}},
        {
            "required": ["regulation_number"],
            "properties": {"regulation_number": {"type": "string"}},
        },
    ]
}


def act_given(decision: str | None, regulation: str | None, change: str) -> None:
    """A published list changes only by a legal act: refuse a change without one."""
    if decision is None and regulation is None:
        raise ValueError(f"{change} needs its legal act: decision_number or regulation_number")


def _country(value: str) -> str:
    if value not in country_codes():
        raise ValueError("expected an ISO 3166-1 alpha-2 country code in lower case, such as 'by'")
    return value


Country = Annotated[
    str,
    AfterValidator(_country),
    Field(
        json_schema_extra={"enum": sorted(country_codes())},
        description="ISO 3166-1 alpha-2 code, lower case.",
        examples=["by"],
    ),
]
#: What a designated entity may be (``target_schema_names``).
TargetSchema = Literal[
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
    "Vehicle",
    "Asset",
]


#: YYYY, YYYY-MM or a real calendar day YYYY-MM-DD in the years 1000 to 2999, as a
#: pattern, so the published schema admits only what ``model.types.is_partial_date``
#: accepts (no 31 February; 29 February in leap years only).
_LEAP_YEAR = r"[12][0-9](0[48]|[2468][048]|[13579][26])|(12|16|20|24|28)00"
_MONTH_DAY = (
    r"(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"|(0[13-9]|1[0-2])-(29|30)"
    r"|(0[13578]|1[02])-31"
)
CALENDAR_DATE_PATTERN = (
    rf"^([12][0-9]{{3}}(-(0[1-9]|1[0-2]))?|[12][0-9]{{3}}-({_MONTH_DAY})|({_LEAP_YEAR})-02-29)$"
)


class RequestModel(BaseModel):
    """A request body: an unknown field is refused (a misspelt `deadine` would otherwise
    pass unnoticed as no deadline), and so is a NUL character in any text, which
    PostgreSQL cannot store (SQLite can: both databases refuse the same requests)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text may not contain a NUL character (\\x00)")
        if _has_lone_surrogate(data):
            raise ValueError(
                "text may not contain a lone surrogate (such as \\ud800): expected "
                "Unicode text that UTF-8 can hold"
            )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for spec in schema.get("properties", {}).values():
            _say_no_nul(spec)
        return schema


def _has_lone_surrogate(value: Any) -> bool:
    """Text JSON can escape (``"\\ud800"``) but no database or UTF-8 can hold."""
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _say_no_nul(spec: dict[str, Any]) -> None:
    """Give each free text of a request schema the NO_NUL pattern (text with a pattern,
    a format or fixed values of its own cannot hold a NUL already)."""
    for option in spec.get("anyOf", []):
        _say_no_nul(option)
    if isinstance(spec.get("items"), dict):
        _say_no_nul(spec["items"])
    if spec.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(spec):
        spec["pattern"] = NO_NUL


# -- lists --------------------------------------------------------------------------


class ListVersionModel(BaseModel):
    """One version of a list of the registry (imported, or published by a regime)."""

    name: str = Field(examples=["eu-32006R0765"])
    version: int = Field(description="1 for the first import, then one more per change.")
    entities: int = Field(description="Designated entities (targets).", examples=[408])
    records: int = Field(
        description="All records: targets, sanctions, documents, addresses.", examples=[816]
    )
    by_schema: dict[str, int] = Field(examples=[{"Person": 380, "Organization": 28}])
    imported_at: datetime = Field(description="When this version was stored (UTC).")
    source: str = Field(description="The file it came from.", examples=["32006R0765.csv"])
    format: str = Field(examples=["eu-journal-csv"])
    content_hash: str = Field(description="SHA-256 over every entity's content.")
    origin: str = Field(
        "imported",
        description="`imported` (a publisher's file, changed by import) or `published` "
        "(published here by adoption, changed only through the designation workflow).",
        examples=["imported"],
    )


class EntitySummary(BaseModel):
    """An entity named in a diff."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(examples=["eu-32006r0765-i-a-45"])
    caption: str = Field(examples=["Aliaksandr Ryhoravich LUKASHENKA"])
    schema_: str = Field(alias="schema", examples=["Person"])


class PropertyChange(BaseModel):
    old: list[str]
    new: list[str]


class ChangedEntity(EntitySummary):
    """A target whose own properties, or those of its records, changed."""

    properties: dict[str, PropertyChange] = Field(
        description="Changed properties; a record's are named `Schema:property` "
        "(`Sanction:reason`).",
        examples=[{"Sanction:reason": {"old": ["Head of state."], "new": ["President."]}}],
    )


class ListDiffModel(BaseModel):
    """Targets added, removed and changed between two versions of a list."""

    model_config = ConfigDict(populate_by_name=True)

    list_: str = Field(alias="list", examples=["eu-32006R0765"])
    old_version: int | None = Field(examples=[1])
    new_version: int | None = Field(examples=[2])
    added: list[EntitySummary]
    removed: list[EntitySummary]
    changed: list[ChangedEntity]


# -- regimes and dossiers -------------------------------------------------------------


class RegimeIn(RequestModel):
    """A new sanctions regime: its legal basis, numbered criteria and measures."""

    code: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=50,
        description="Short code; the regime publishes to the list `sanctio-<code>`.",
        examples=["BLR"],
    )
    title: str = Field(min_length=1, examples=["Restrictive measures against Belarus"])
    decision: str = Field(min_length=1, examples=["Council Decision 2012/642/CFSP"])
    regulation: str = Field(min_length=1, examples=["Council Regulation (EC) No 765/2006"])
    criteria: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1,
        description="The listing criteria, numbered 1, 2... in this order.",
        examples=[["responsible for repression", "supporting the regime"]],
    )
    measures: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, examples=[["Asset freeze", "Travel ban"]]
    )
    renewal: str = Field(
        default="02-28",
        pattern=r"^[0-9]{2}-[0-9]{2}$",
        description="MM-DD: the day each term ends, unless the Council renews it.",
    )


class RegimeOut(BaseModel):
    code: str = Field(examples=["BLR"])
    title: str
    decision: str
    regulation: str
    criteria: list[str]
    measures: list[str]
    renewal: str = Field(examples=["02-28"])
    list_name: str = Field(description="The list it publishes to.", examples=["sanctio-blr"])
    in_force_until: date | None = Field(
        description="The end of the current term (none before the first adoption)."
    )


class DossierIn(RequestModel):
    """A person or entity proposed for listing, on a numbered criterion of a regime."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "regime": "BLR",
                    "names": ["Ivan Ivanovich PETROV", "Иван Иванович ПЕТРОВ"],
                    "schema": "Person",
                    "birth_date": "1970-05-01",
                    "nationality": "by",
                    "positions": ["Head of the Minsk riot police (OMON), since 2019"],
                    "criterion": 1,
                    "reasons": "As head of the Minsk OMON he is responsible for the "
                    "violent repression of peaceful demonstrators after the 2020 election.",
                }
            ],
            # birth date, birth place and positions: a person's only
            **_required_when(
                "schema",
                [s for s in get_args(TargetSchema) if s != "Person"],
                {
                    "properties": {
                        "birth_date": {"type": "null"},
                        "birth_place": {"anyOf": [{"type": "null"}, {"maxLength": 0}]},
                        "positions": {"maxItems": 0},
                    }
                },
            ),
        },
    )

    regime: str = Field(min_length=1, max_length=50, examples=["BLR"])
    names: list[Name] = Field(
        min_length=1,
        max_length=100,
        description="Every spelling, in any script; the first is the primary name.",
    )
    schema_: TargetSchema = Field(default="Person", alias="schema")
    birth_date: str | None = Field(
        default=None,
        pattern=CALENDAR_DATE_PATTERN,
        description="YYYY, YYYY-MM or YYYY-MM-DD, years 1000 to 2999 (persons only).",
    )
    birth_place: str | None = Field(default=None, max_length=1024, description="Persons only.")
    nationality: Country | None = Field(
        default=None,
        description="A person's nationality, another entity's country: an ISO 3166-1 "
        "alpha-2 code in lower case.",
    )
    positions: list[Annotated[str, Field(min_length=1, max_length=1024, pattern=SAID)]] = Field(
        default_factory=list, max_length=100, description="Posts held (persons only)."
    )
    criterion: Annotated[int, Field(ge=1, le=1000), BeforeValidator(_json_integer)] = Field(
        description="The regime's criterion relied on."
    )
    reasons: Said = Field(
        max_length=65000,  # FtM's longest text: the published Sanction's reason
        description="The statement of reasons.",
    )

    @model_validator(mode="after")
    def _person_facts(self) -> DossierIn:
        if self.schema_ != "Person" and (
            self.birth_date is not None or self.birth_place or self.positions
        ):
            raise ValueError("birth_date, birth_place and positions apply to a Person only")
        return self


class DossierOut(BaseModel):
    """A dossier: the proposed entity, the criterion and reasons, and where it stands."""

    model_config = ConfigDict(populate_by_name=True)

    id: int = Field(examples=[1])
    regime: str = Field(examples=["BLR"])
    entity_id: str = Field(examples=["sanctio-blr-5f1c0e2a9b3d"])
    caption: str = Field(examples=["Ivan Ivanovich PETROV"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str]] = Field(
        description="The entity's FtM properties, as it will be published.",
        examples=[{"name": ["Ivan Ivanovich PETROV"], "birthDate": ["1970-05-01"]}],
    )
    criterion: int
    reasons: str
    status: Literal["proposed", "in_package", "listed", "delisted"]
    proposer: str
    created_at: datetime
    listed_on: date | None = None
    review_due: date | None = None
    delisting_ground: str | None = None
    delisting_effective: date | None = None
    delisted_on: date | None = None
    previous_dossier: int | None = Field(
        default=None,
        description="The same person's earlier dossier, delisted before this one was proposed.",
    )
    history: list[dict[str, Any]] = Field(
        default_factory=list,
        description="What happened after listing (reviews, delisting), oldest first.",
    )


class EvidenceMeta(RequestModel):
    """What an evidence item is, where it comes from and who may see it."""

    source: str = Field(min_length=1, examples=["Video, Telegram channel NEXTA, 2020-08-10 23:14"])
    description: str = Field(
        default="", examples=["Riot police beating detained protesters, Pushkinskaya"]
    )
    collected_at: Moment = Field(
        description="When it was collected: a date (taken as midnight UTC), or a date "
        "and time with its offset (RFC 3339).",
        examples=["2020-08-11"],
    )
    collected_by: str = Field(min_length=1, max_length=200, examples=["Viasna"])
    sensitivity: Literal["public", "restricted"] = Field(
        default="public",
        description="`restricted`: shown only to officers and proposers.",
    )
    consent: str = Field(default="", description="Consent constraints, if any.")
    supplements: Id | None = Field(
        default=None, description="Add a new version of this item number instead of a new item."
    )


class EvidenceIn(EvidenceMeta):
    """An evidence item whose file is stored elsewhere: its SHA-256 identifies it."""

    sha256: Sha256


class EvidenceUpload(EvidenceMeta):
    """An evidence item uploaded with its file (multipart, the file in `file`): its
    SHA-256 is computed from the upload and returned, so the sender can check it."""


class EvidenceAdded(BaseModel):
    dossier: int = Field(examples=[1])
    number: int = Field(description="The item number.", examples=[1])
    version: int = Field(description="1, or more for a supplement.", examples=[1])
    sha256: str


class EvidenceOut(BaseModel):
    """One version of one evidence item."""

    number: int
    version: int
    source: str
    description: str
    sha256: str
    collected_at: datetime
    collected_by: str
    sensitivity: Literal["public", "restricted"]
    consent: str


# -- packages, positions, adoption ---------------------------------------------------


class PackageIn(RequestModel):
    """Proposed dossiers of one regime, to be circulated and decided together."""

    regime: str = Field(min_length=1, max_length=50, examples=["BLR"])
    title: str = Field(min_length=1, examples=["Second Belarus package"])
    dossiers: list[Id] = Field(min_length=1, max_length=1000, examples=[[1, 2]])
    rule: Rule = Field(default=Rule.unanimity, description="The Council's voting rule.")


class DecisionModel(BaseModel):
    """Where a package stands under its rule, and why, naming the states involved."""

    rule: Rule
    outcome: Outcome
    reasons: list[str] = Field(examples=[["all 27 member states agree"]])
    agree: int
    abstain: int
    constructive_abstention: int
    reserve: int
    block: int
    missing: int
    states_for: int
    population_share_for: float = Field(ge=0, le=1)


class PositionModel(BaseModel):
    position: Position
    statement: str


class PackageOut(BaseModel):
    """A package: its content hash, status, decision and every position recorded."""

    id: int = Field(examples=[1])
    regime: str = Field(examples=["BLR"])
    title: str
    proposer: str
    status: Literal["draft", "circulated", "adopted"]
    rule: Rule
    content_hash: str | None = Field(
        description="What positions must name: set at circulation, changed by a hold-back."
    )
    circulated_on: date | None
    deadline: date | None
    silence_is_agreement: bool
    dossiers: list[int]
    decision: DecisionModel
    positions: dict[str, PositionModel] = Field(
        description="By member state code, on the current content only where it counts."
    )


class CirculateIn(RequestModel):
    on: Day = Field(description="The day of circulation.")
    deadline: Day | None = Field(default=None, description="Written procedure deadline.")
    silence_is_agreement: bool = Field(
        default=False,
        strict=True,
        description="After the deadline, a state that said nothing agrees.",
    )


class HoldBackIn(RequestModel):
    dossier: Id = Field(description="The dossier to take out of the package.")


class PositionIn(RequestModel):
    """A member state's position on the package as circulated to it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_required_when(
            "position",
            [Position.block.value, Position.constructive_abstention.value],
            {"properties": {"statement": {"pattern": SAID}}, "required": ["statement"]},
        ),
    )

    position: Position
    content_hash: Sha256 = Field(
        description="The package's content hash as read: a position on older content is "
        "refused (409)."
    )
    statement: str = Field(
        default="",
        description="The reason for a block; the formal declaration of a constructive "
        "abstention (both required). The position is dated by the server, never by "
        "the delegate (an `on` field is refused).",
    )

    @model_validator(mode="after")
    def _statement(self) -> PositionIn:
        if self.position in (Position.block, Position.constructive_abstention) and not (
            self.statement.strip()
        ):
            raise ValueError(f"a {self.position.value} needs a statement")
        return self


class PositionRecorded(BaseModel):
    package: int
    member_state: str = Field(examples=["DE"])
    position: Position
    decision: DecisionModel


class AdoptIn(RequestModel):
    on: Day = Field(description="The day of adoption and publication.")
    decision_number: ActNumber = Field(description="The implementing decision's number.")
    regulation_number: ActNumber = Field(description="The implementing regulation's number.")


class LegalActOut(BaseModel):
    """An act of the Council, and the published list version it made."""

    id: int
    kind: str = Field(examples=["implementing decision"])
    number: str = Field(examples=["2020/1388"])
    adopted_on: date
    regime: str = Field(examples=["BLR"])
    list_name: str = Field(examples=["sanctio-blr"])
    list_version: int | None = Field(description="None: an act that changes no entry.")
    package: int | None = None
    dossier: int | None = None


class AdoptOut(BaseModel):
    package: int
    list_name: str = Field(examples=["sanctio-blr"])
    list_version: int = Field(examples=[1])
    acts: list[LegalActOut]


# -- after listing ------------------------------------------------------------------


class ReviewIn(RequestModel):
    """A review: to delist names the act(s) that decide it; to maintain needs none."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_required_when("outcome", [ReviewOutcome.DELIST.value], ACT_GIVEN),
    )

    on: Day
    outcome: ReviewOutcome = Field(
        description="maintain (next review within 12 months) or delist now."
    )
    note: str = Field(default="", description="The grounds of the outcome.")
    decision_number: ActNumber | None = None
    regulation_number: ActNumber | None = None

    @model_validator(mode="after")
    def _act(self) -> ReviewIn:
        if self.outcome is ReviewOutcome.DELIST:
            act_given(self.decision_number, self.regulation_number, "a delisting")
        return self


class DelistIn(RequestModel):
    """A delisting, with the act(s) that decide it (at least one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            **_required_when(
                "ground",
                [Ground.ANNULMENT.value],
                {
                    "properties": {"judgment": {"type": "string", "pattern": SAID}},
                    "required": ["judgment"],
                },
            ),
            **ACT_GIVEN,
        },
    )

    on: Day
    ground: Ground = Field(
        description="review or expiry take effect on `on`; annulment when the appeal "
        "period after the judgment has run out."
    )
    note: str = ""
    judgment: str | None = Field(
        default=None, max_length=200, description="The annulling judgment (annulment only)."
    )
    decision_number: ActNumber | None = None
    regulation_number: ActNumber | None = None

    @model_validator(mode="after")
    def _judgment(self) -> DelistIn:
        if self.ground is Ground.ANNULMENT and not (self.judgment or "").strip():
            raise ValueError("a delisting by annulment needs the judgment (case number)")
        act_given(self.decision_number, self.regulation_number, "a delisting")
        return self


class ListingChange(BaseModel):
    """A listing after a review or delisting, and the list version it published."""

    list_version: int | None = Field(
        description="The new version of the regime's list, or None when nothing was published."
    )
    dossier: DossierOut


# -- responsibility -------------------------------------------------------------------


class BodyRef(BaseModel):
    code: str
    name: str


class IncidentSourceOut(BaseModel):
    source: str
    sha256: str
    sensitivity: Literal["public", "restricted"]
    number: int


class IncidentOut(BaseModel):
    """An incident and the bodies involved (restricted sources for cleared roles only)."""

    id: int
    occurred_at: str = Field(examples=["2020-08-10T23:00"])
    on: date
    place: str
    description: str
    victims: int | None
    detainees: int | None
    bodies: list[BodyRef]
    sources: list[IncidentSourceOut]
    recorded_by: str


class CandidateOut(BaseModel):
    """Someone in post on the date that matters: a lead, with each step of reasoning."""

    person_id: int
    name: str
    post: str
    body: str
    body_code: str
    since: date
    until: date | None
    reasoning: list[str]
    has_dossier: bool
    dossier_id: int | None
    entity_id: str


class CandidatesOut(BaseModel):
    notice: str = Field(description="Candidates are leads, not findings of responsibility.")
    candidates: list[CandidateOut]


# -- audit ------------------------------------------------------------------------------


class VerificationOut(BaseModel):
    """The audit chain checked: intact, or the first broken record and what is wrong."""

    ok: bool
    records: int
    first_broken: int | None = Field(default=None, examples=[None])
    problem: str | None = Field(
        default=None, examples=["record 3 was edited: its content does not match its hash"]
    )
    head_hash: str | None = Field(
        default=None, description="The last record's hash: publish it to anchor the chain."
    )


class AuditEntryOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str = Field(examples=["package.circulated"])
    subject: str = Field(examples=["package:1"])
    payload: dict[str, Any]
    prev_hash: str
    hash: str


# -- forensics --------------------------------------------------------------------------


class FindingOut(BaseModel):
    """What one method found at one precinct: evidence about a protocol."""

    id: int
    method: str = Field(examples=["integer-test"])
    precinct: str = Field(examples=["01-001-0001"])
    summary: str
    input_name: str
    input_sha256: str
    parameters: dict[str, Any]


class CommissionOut(BaseModel):
    commission: str
    findings: list[FindingOut]
    roster_imported: bool
    persons_of_interest: list[CandidateOut]


class CommissionsOut(BaseModel):
    commissions: list[CommissionOut]
    note: str


class UploadInfo(BaseModel):
    file: str = Field(examples=["precincts.csv"])
    sha256: str
    format: str = Field(examples=["generic"])
    rows_excluded: list[dict[str, Any]] = Field(
        default_factory=list, description="Rows left out, each with its line and reason."
    )


class RegionRow(BaseModel):
    region: str
    precincts: int
    observed: int
    expected: float | None
    sd: float | None
    excess: float | None


class IntegerTestOut(BaseModel):
    """Observed against simulated whole-percent precincts (Kobak et al. 2016)."""

    test: str = Field(examples=["integer-percent"])
    method: str
    leader: str
    observed: int
    expected: float | None
    sd: float | None
    excess: float | None
    z: float | None = Field(description="None when the simulations have no spread.")
    p_value: float | None
    precincts_used: int
    excluded: dict[str, int]
    draws: int
    seed: int
    tolerance: float
    per_region: list[RegionRow]
    input: UploadInfo


class ReportOut(BaseModel):
    """Every test the data allows, with method notes, citations and a plain summary."""

    input: dict[str, str] = Field(examples=[{"file": "x.csv", "sha256": "…", "format": "generic"}])
    leader: str
    summary: list[str]
    principle: str
    tests: dict[str, dict[str, Any]] = Field(
        description="By test: its result, or `skipped` with why the data cannot feed it."
    )
    citations: dict[str, str]
    rows_excluded: list[dict[str, Any]]
