"""Dataset names ignore letter case everywhere (issue 22, finding 12): in the path, in
`include_dataset` / `exclude_dataset`, and in the list routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api import BELARUS, LUKASHENKA, TestClient, open_belarus_service, person


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with open_belarus_service(tmp_path_factory.mktemp("api-case")) as client:
        yield client


def results(client: TestClient, **params: str) -> list[str]:
    body = {"queries": {"q": person("Alexander Lukashenko")}}
    response = client.post("/match/default", json=body, params=params)
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["responses"]["q"]["results"]]


@pytest.mark.parametrize("spelling", [BELARUS, BELARUS.lower(), BELARUS.upper()])
def test_include_and_exclude_dataset_ignore_case(client: TestClient, spelling: str) -> None:
    assert results(client, include_dataset=spelling)[0] == LUKASHENKA
    assert results(client, exclude_dataset=spelling) == []


def test_list_routes_ignore_case(client: TestClient) -> None:
    shown = client.get(f"/lists/{BELARUS.lower()}")
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"] == BELARUS
    exported = client.get(f"/lists/{BELARUS.upper()}/export", params={"format": "ftm-json"})
    assert exported.status_code == 200
    assert f'filename="{BELARUS}-v1.ftm.json"' in exported.headers["content-disposition"]
