"""Text that JSON can escape but UTF-8 cannot hold (a lone surrogate, ``"\\ud800"``):
refused with a clear status on every kind of endpoint, and never stored half-way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctio.api.routers.own import include_own_routers
from sanctio.registry import Registry
from sanctio.registry.audit import entries
from tests.api import TestClient, make_app, started

JSON = {"content-type": "application/json"}


@pytest.fixture
def client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    app = make_app(registry.url, tmp_path / "data", require_token=False)
    include_own_routers(app)
    with started(app) as client:
        yield client


def test_a_change_with_a_lone_surrogate_is_refused_before_anything_is_stored(
    registry: Registry, client: TestClient
) -> None:
    refused = client.post(
        "/users", content=b'{"name": "\\ud800x", "role": "officer"}', headers=JSON
    )
    assert refused.status_code == 422
    assert "lone surrogate" in refused.json()["detail"][0]["msg"]
    assert refused.json()["detail"][0]["input"]["name"] == "\ufffdx"  # echoed, made safe
    assert list(entries(registry.engine)) == []  # no user, no audit record
    # so the registry is still empty: the first officer can still be created
    first = client.post("/users", json={"name": "officer", "role": "officer"})
    assert first.status_code == 201
    token = {"Authorization": f"Bearer {first.json()['token']}"}
    regime = b'{"code": "BLR", "title": "\\udc00", "decision": "D", "regulation": "R"}'
    titled = client.post("/regimes", content=regime, headers={**JSON, **token})
    assert titled.status_code == 422
    assert "lone surrogate" in titled.text


def test_a_read_with_a_lone_surrogate_is_a_400_not_a_failure(client: TestClient) -> None:
    query = b'{"queries": {"q1": {"schema": "Person", "properties": {"name": ["\\ud800 Ivan"]}}}}'
    answer = client.post("/match/default", content=query, headers=JSON)
    assert answer.status_code == 400
    assert "lone surrogate" in answer.json()["detail"]
    path = client.get("/lists/%ED%A0%80")  # the surrogate's bytes in a path segment
    assert 400 <= path.status_code < 500
