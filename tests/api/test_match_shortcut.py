"""Plain ``POST /match`` requests are answered without FastAPI's per-request machinery,
byte for byte as the route answers them; every other request still reaches the route,
which refuses it in its own words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from sanctio.api.match_shortcut import shortcut
from tests.api import TestClient, open_belarus_service

JSON = {"content-type": "application/json"}
ONE = {"q1": {"schema": "Person", "properties": {"name": ["Лидия Ермошина"]}}}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with open_belarus_service(tmp_path_factory.mktemp("api-shortcut")) as client:
        yield client


def scope(client: TestClient, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "path": "/match/default",
        "query_string": urlencode(params, doseq=True).encode(),
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "app": client.app,
    }


@pytest.mark.parametrize(
    ("queries", "params"),
    [
        (ONE, {}),
        (
            {
                "q1": {
                    "schema": "Person",
                    "properties": {
                        "name": ["Alexander Lukashenko"],
                        "birthDate": ["1954-08-30"],
                        "nationality": ["by"],
                    },
                }
            },
            {"limit": 3},
        ),
        (
            {
                "a": {
                    "schema": "Person",
                    "properties": {"firstName": "Viktar", "lastName": "LUKASHENKA"},
                }
            },
            {"threshold": 0.5, "algorithm": "logic-v2", "exclude_schema": ["Vessel"]},
        ),
        (
            {"q1": {"schema": "Person", "properties": {"name": ["Karaev"], "birthDate": ["soon"]}}},
            {"cutoff": 0.3},
        ),
    ],
)
def test_a_plain_request_is_answered_as_the_route_answers_it(
    client: TestClient, queries: dict[str, Any], params: dict[str, Any]
) -> None:
    body = json.dumps({"queries": queries}).encode()
    # a token sends a request to the route (whose dependencies check tokens), even on
    # an open service, which then reads none
    routed = client.post(
        "/match/default", content=body, params=params, headers={**JSON, "authorization": "Bearer x"}
    )
    assert routed.status_code == 200
    answered = shortcut(scope(client, params, JSON), "default", body)
    assert answered is not None
    assert answered.body == routed.content
    assert answered.headers["x-batch-size"] == routed.headers["x-batch-size"]
    assert answered.headers["content-type"] == routed.headers["content-type"]
    through_app = client.post("/match/default", content=body, params=params, headers=JSON)
    assert through_app.content == routed.content
    assert through_app.headers["content-length"] == routed.headers["content-length"]


@pytest.mark.parametrize(
    ("path", "params", "headers", "body", "status"),
    [
        ("/match/default", {"limit": 0}, JSON, {"queries": ONE}, 422),
        ("/match/default", {"algorithm": "nope"}, JSON, {"queries": ONE}, 400),
        ("/match/nowhere", {}, JSON, {"queries": ONE}, 404),
        ("/match/default", {}, JSON, {"queries": {}}, 400),
        ("/match/default", {}, JSON, {"queries": {"q1": {"schema": "Person"}}}, 422),
        ("/match/default", {}, JSON, {"queries": {**ONE, "q2": ONE["q1"]}}, 200),
        ("/match/default", {}, {"content-type": "text/plain"}, {"queries": ONE}, 422),
        ("/match/default", {}, JSON, "{not json", 422),
        ("/match/default", {}, JSON, "[" * 5000 + "]" * 5000, 400),  # too deep to parse
    ],
)
def test_anything_else_is_left_to_the_route(
    client: TestClient,
    path: str,
    params: dict[str, Any],
    headers: dict[str, str],
    body: Any,
    status: int,
) -> None:
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    dataset = path.rsplit("/", 1)[1]
    assert shortcut({**scope(client, params, headers), "path": path}, dataset, raw) is None
    answered = client.post(path, content=raw, params=params, headers=headers)
    assert answered.status_code == status, answered.text
    if status == 422:
        assert answered.json()["detail"][0]["loc"][0] in ("query", "body")
