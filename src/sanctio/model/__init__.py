"""The data model: FollowTheMoney entities, and Sanctio's own records."""

from sanctio.model.countries import countries_in, country_code
from sanctio.model.entity import NAME_PROPERTIES, Entity, InvalidValueError, canonical_json
from sanctio.model.schema import (
    Property,
    Schema,
    get_schema,
    schema_names,
    target_schema_names,
)

__all__ = [
    "NAME_PROPERTIES",
    "Entity",
    "InvalidValueError",
    "Property",
    "Schema",
    "canonical_json",
    "countries_in",
    "country_code",
    "get_schema",
    "schema_names",
    "target_schema_names",
]
