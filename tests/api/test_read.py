"""The read endpoints: an entity with its sanctions, name search, the catalog, the
probes and the OpenAPI description."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from sanctio.designation.workflow import Designation
from sanctio.lists import read_list
from sanctio.registry import Registry
from tests.api import (
    BELARUS,
    LUKASHENKA,
    TestClient,
    make_app,
    open_belarus_service,
    started,
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with open_belarus_service(tmp_path_factory.mktemp("api-read")) as client:
        yield client


def test_entity_with_its_sanctions_nested(client: TestClient) -> None:
    response = client.get(f"/entities/{LUKASHENKA}")
    assert response.status_code == 200
    entity = response.json()
    assert (entity["id"], entity["schema"], entity["target"]) == (LUKASHENKA, "Person", True)
    assert entity["caption"] == "Aliaksandr Ryhoravich LUKASHENKA"
    assert "Александр Григорьевич ЛУКАШЕНКО" in entity["properties"]["alias"]
    assert entity["datasets"] == [BELARUS]
    assert entity["listed"] is True
    assert entity["appearances"] == {BELARUS: [1]}
    (sanction,) = entity["properties"]["sanctions"]
    assert sanction["schema"] == "Sanction"
    assert sanction["properties"]["authority"] == ["European Union"]
    assert sanction["properties"]["listingDate"] == ["2020-11-06"]
    assert "repression" in sanction["properties"]["reason"][0]
    assert "entity" not in sanction["properties"]  # the way back to him is implied

    flat = client.get(f"/entities/{LUKASHENKA}", params={"nested": "false"}).json()
    assert "sanctions" not in flat["properties"]

    record = client.get(f"/entities/{LUKASHENKA}--sanction").json()
    (subject,) = record["properties"]["entity"]  # what the record is about, embedded
    assert subject["id"] == LUKASHENKA

    missing = client.get("/entities/no-such-id")
    assert missing.status_code == 404
    assert "no-such-id" in missing.json()["detail"]


def test_search_by_name(client: TestClient) -> None:
    found = client.get("/search/default", params={"q": "Лукашэнка"}).json()
    captions = [r["caption"] for r in found["results"]]
    assert len(captions) == 4
    assert all("LUKASHENKA" in c for c in captions)
    assert found["total"] == {"value": 4, "relation": "eq"}
    assert all(r["score"] >= 0.5 and r["explanation"] for r in found["results"])

    page = client.get(f"/search/{BELARUS}", params={"q": "Lukashenka", "limit": 2, "offset": 1})
    assert [r["caption"] for r in page.json()["results"]] == captions[1:3]

    everyone = client.get("/search/default", params={"limit": 5}).json()
    assert everyone["total"]["value"] == 408
    assert len(everyone["results"]) == 5
    people = client.get("/search/default", params={"schema": "Person", "limit": 1}).json()
    assert people["total"]["value"] == 312
    bodies = client.get("/search/default", params={"schema": "LegalEntity", "limit": 1}).json()
    assert bodies["total"]["value"] == 312 + 95  # a person is a legal entity too; an asset not

    assert (
        client.get("/search/default", params={"q": "Lukashenka", "schema": "X"}).status_code == 400
    )
    assert client.get("/search/nowhere", params={"q": "x"}).status_code == 404


def test_catalog_lists_each_list_and_default(client: TestClient) -> None:
    catalog = client.get("/catalog").json()
    by_name = {d["name"]: d for d in catalog["datasets"]}
    assert list(by_name) == ["default", BELARUS]
    belarus = by_name[BELARUS]
    assert belarus["kind"] == "list"
    assert (belarus["version"], belarus["entity_count"], belarus["record_count"]) == ("1", 408, 816)
    assert belarus["updated_at"]
    assert belarus["format"] == "eu-journal-csv"
    assert by_name["default"]["children"] == [BELARUS]
    assert by_name["default"]["entity_count"] == 408
    assert by_name["default"]["index_current"] is True  # warmed up at start-up
    assert "default" in catalog["current"]
    assert catalog["index_stale"] is False


def test_catalog_names_a_regimes_published_list(
    workflow: Designation, registry: Registry, tmp_path: Path
) -> None:
    # stands in for a publication: the regime's list is stored as the workflow stores
    # it (an import under a regime's list name is refused)
    with resources.as_file(resources.files("sanctio.data.demo") / "32006R0765.csv") as path:
        parsed = read_list(path)
    with Session(registry.writer) as session, session.begin():
        registry.store_in(session, "sanctio-blr", parsed, origin="published")
    with started(make_app(registry.url, tmp_path, require_token=False)) as client:
        datasets = {d["name"]: d for d in client.get("/catalog").json()["datasets"]}
        regime = datasets["sanctio-blr"]
        assert (regime["kind"], regime["title"], regime["entity_count"]) == (
            "regime",
            "Belarus",
            408,
        )
        assert "BLR" in regime["summary"]
        assert regime["index_current"] is False  # only default is loaded at start-up
        found = client.post(
            "/match/sanctio-blr",
            json={"queries": {"q": {"schema": "Person", "properties": {"name": "Lukashenko"}}}},
        )
        assert found.json()["responses"]["q"]["results"]


def test_probes(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}
    # an app whose start-up has not run yet has no index: alive, not ready
    cold = TestClient(make_app(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, False))
    assert cold.get("/healthz").status_code == 200
    waiting = cold.get("/readyz")
    assert waiting.status_code == 503
    assert "not ready" in waiting.json()["detail"]


def test_an_empty_registry_is_ready_and_finds_nothing(tmp_path: Path) -> None:
    with started(make_app(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, False)) as client:
        body = client.post(
            "/match/default",
            json={"queries": {"q": {"schema": "Person", "properties": {"name": "Anyone"}}}},
        ).json()
        assert body["responses"]["q"]["results"] == []
        assert client.get("/catalog").json()["datasets"][0]["version"] == "empty"


def test_openapi_describes_the_yente_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Sanctio"
    for path in ("/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}", "/catalog"):
        assert path in spec["paths"]
    match = spec["paths"]["/match/{dataset}"]["post"]
    assert match["tags"] == ["Matching"]
    # open by default, as yente: a token may be sent but is not required
    assert match["security"] == [{"HTTPBearer": []}, {}]
    assert "/healthz" in spec["paths"]
    assert "security" not in spec["paths"]["/healthz"]["get"]
    schemas = spec["components"]["schemas"]
    assert {"EntityMatchQuery", "EntityMatchResponse", "ScoredEntityResponse"} <= set(schemas)
    assert schemas["EntityMatchQuery"]["examples"][0]["queries"]["q1"]["schema"] == "Person"
    assert client.get("/docs").status_code == 200
