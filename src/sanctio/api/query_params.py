"""Query parameters read in one validation, for the endpoints that answer most often.

FastAPI resolves each declared query parameter on its own, every request: with
``/match``'s eleven, that was about a third of a millisecond of the ~3 ms a request
costs (``bench/load_match.py``; profiled in docs/benchmarks.md). FastAPI's own
query-parameter models (``Annotated[Model, Query()]``) still read them field by field
(a bare route with one cost 0.39-0.45 ms against 0.20-0.22 ms read here). A pydantic
model of the parameters, validated once from the query string, does the same work in
7-14 microseconds; ``openapi_parameters`` describes its fields in the OpenAPI schema
as FastAPI would have, and a bad value is refused with FastAPI's own 422.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import QueryParams

Options = TypeVar("Options", bound=BaseModel)


def read_query(model: type[Options], query: QueryParams) -> Options:
    """``model`` validated from a query string: a list field takes every value of its
    name, any other field the last one (as FastAPI reads them); unknown names are left
    alone. RequestValidationError, located at ``("query", name)``, on a bad value."""
    raw: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in query:
            continue
        raw[name] = query.getlist(name) if _is_list(field.annotation) else query[name]
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = [
            {**error, "loc": ("query", *error["loc"])}
            for error in exc.errors(include_url=False, include_context=True)
        ]
        raise RequestValidationError(errors) from None


def openapi_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The OpenAPI ``parameters`` (in: query) of ``model``'s fields, for a route's
    ``openapi_extra``: each with its schema, description and default."""
    properties = model.model_json_schema()["properties"]
    parameters = []
    for name, field in model.model_fields.items():
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": field.is_required(),
            "schema": properties[name],
        }
        if field.description:
            parameter["description"] = field.description
        parameters.append(parameter)
    return parameters


def _is_list(annotation: Any) -> bool:
    """Whether a field holds a list (``list[str]``, or ``list[str] | None``)."""
    if typing.get_origin(annotation) is list:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return False
