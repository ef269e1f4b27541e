"""Query options read in one validation (``api/query_params.py``): the values FastAPI
would have read, list options with every value given, FastAPI's 422 on a bad one."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fastapi.exceptions import RequestValidationError
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from sanctio.api.query_params import openapi_parameters, read_query
from sanctio.api.routers.match import MatchOptions

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(
    limit=st.integers(1, 500),
    threshold=st.floats(0, 1),
    ids=st.lists(words, max_size=4),
    topics=st.lists(words, max_size=3),
    since=st.none() | words,
)
def test_options_read_back_from_a_query_string(
    limit: int, threshold: float, ids: list[str], topics: list[str], since: str | None
) -> None:
    pairs = [("limit", str(limit)), ("threshold", repr(threshold))]
    pairs += [("exclude_entity_ids", i) for i in ids] + [("topics", t) for t in topics]
    if since is not None:
        pairs.append(("changed_since", since))
    pairs.append(("unknown", "ignored"))
    options = read_query(MatchOptions, QueryParams(urlencode(pairs)))
    assert (options.limit, options.threshold) == (limit, threshold)
    assert (options.exclude_entity_ids, options.topics) == (ids, topics)
    assert options.changed_since == since
    assert options.cutoff == 0.0  # a default
    assert options.include_dataset == []


def test_a_repeated_single_option_takes_the_last_value() -> None:
    assert read_query(MatchOptions, QueryParams("limit=3&limit=7")).limit == 7


@pytest.mark.parametrize(
    ("query", "field", "kind"),
    [
        ("limit=0", "limit", "greater_than_equal"),
        ("limit=ten", "limit", "int_parsing"),
        ("threshold=1.5", "threshold", "less_than_equal"),
    ],
)
def test_a_bad_value_is_refused_where_it_was_sent(query: str, field: str, kind: str) -> None:
    with pytest.raises(RequestValidationError) as refused:
        read_query(MatchOptions, QueryParams(query))
    [error] = refused.value.errors()
    assert (error["loc"], error["type"]) == (("query", field), kind)


def test_each_option_is_described_for_openapi() -> None:
    parameters = {p["name"]: p for p in openapi_parameters(MatchOptions)}
    assert set(parameters) == set(MatchOptions.model_fields)
    assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
    assert parameters["threshold"]["schema"]["maximum"] == 1.0
    assert parameters["topics"]["schema"]["items"] == {"type": "string"}
    assert "false positives" in parameters["exclude_entity_ids"]["description"]
