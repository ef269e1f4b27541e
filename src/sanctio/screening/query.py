"""What is screened: a name with whatever else the customer record says about it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sanctio.model import Entity, countries_in, get_schema
from sanctio.model.types import is_partial_date
from sanctio.names import NameForm, name_forms, normalize
from sanctio.names.affixes import ANY, ORGANISATION, PERSON

MAX_NAME_LENGTH = 500
_ID_CHARS = re.compile(r"[^0-9A-Z]")
IDENTIFIER_PROPERTIES = [
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "imoNumber",
    "mmsi",
    "kppCode",
    "vatCode",
]


def name_kind(schema: str) -> str:
    """How a name of this schema is read (``names/affixes.py``): a person's, an
    organisation's, or either (LegalEntity, Thing, Vessel)."""
    found = get_schema(schema)
    if found.is_a("Person"):
        return PERSON
    if found.is_a("Organization"):
        return ORGANISATION
    return ANY


class QueryError(ValueError):
    """A query that cannot be screened, with what was expected."""


def identifier_key(value: str) -> str:
    """An identifier compared without spaces, dashes or case: 'MP 3413113' = 'mp3413113'."""
    return _ID_CHARS.sub("", value.upper())


@dataclass(frozen=True)
class Query:
    """A customer record to screen: names and optional corroborating facts."""

    names: tuple[str, ...]
    schema: str = "Person"
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    gender: str | None = None
    identifiers: tuple[str, ...] = field(default=())

    def name_forms(self) -> list[NameForm]:
        """Every Latin form of every name, as the index and the scorer compare them."""
        kind = name_kind(self.schema)
        return [form for name in self.names for form in name_forms(name, kind)]

    @classmethod
    def make(
        cls,
        name: str | list[str] | tuple[str, ...],
        schema: str = "Person",
        birth_date: str | list[str] | None = None,
        country: str | list[str] | None = None,
        gender: str | None = None,
        identifiers: list[str] | tuple[str, ...] = (),
    ) -> Query:
        """A checked query; QueryError says what is wrong with a field."""
        names = tuple(n.strip() for n in ([name] if isinstance(name, str) else name))
        names = tuple(n for n in names if normalize(n))  # zero-width only is empty too
        if not names:
            raise QueryError("name: empty; expected a name to screen")
        for value in names:
            if len(value) > MAX_NAME_LENGTH:
                raise QueryError(
                    f"name: {len(value)} characters; expected at most {MAX_NAME_LENGTH}"
                )
        try:
            get_schema(schema)
        except KeyError as exc:
            raise QueryError(f"schema: {exc.args[0]}") from None
        dates = [birth_date] if isinstance(birth_date, str) else list(birth_date or [])
        for value in dates:
            if value and not is_partial_date(value.strip()):
                raise QueryError(f"birth date: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        countries: list[str] = []
        for value in [country] if isinstance(country, str) else list(country or []):
            if value and value.strip():
                found = countries_in(value) or (
                    [value.strip().lower()] if len(value.strip()) == 2 else []
                )
                if not found:
                    raise QueryError(f"country: unknown {value!r}; expected a country code or name")
                countries.extend(found)
        return cls(
            names=names,
            schema=schema,
            birth_dates=tuple(d.strip() for d in dates if d and d.strip()),
            countries=tuple(dict.fromkeys(countries)),
            gender=gender.lower() if gender else None,
            identifiers=tuple(identifier_key(i) for i in identifiers if identifier_key(i)),
        )

    @classmethod
    def from_entity(cls, entity: Entity) -> Query:
        """A query carrying everything an entity says (to screen one list against another)."""
        countries = [*entity.get("nationality"), *entity.get("citizenship"), *entity.get("country")]
        return cls(
            names=tuple(entity.names),
            schema=entity.schema.name,
            birth_dates=tuple(entity.get("birthDate")),
            countries=tuple(dict.fromkeys(countries)),
            gender=entity.first("gender"),
            identifiers=tuple(
                identifier_key(v) for p in IDENTIFIER_PROPERTIES for v in entity.get(p)
            ),
        )
