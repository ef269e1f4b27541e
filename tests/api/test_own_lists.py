"""``/lists``: the registry's lists and versions, a diff between two versions and the
exports, over HTTP, as ``sanctio lists`` gives them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from sanctio.api.routers.own import include_own_routers
from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from tests.api import BELARUS, TestClient, import_belarus, make_app, started
from tests.listfiles import NAME, read_rows, write_rows


def two_versions(url: str, folder: Path, belarus_csv: Path) -> None:
    """The Belarus list, then a second version without Lidia YARMOSHINA."""
    import_belarus(url)
    rows = read_rows(belarus_csv)
    kept = [rows[0], *(r for r in rows[1:] if "YARMOSHINA" not in r[NAME])]
    import_belarus(url, write_rows(folder / "smaller.csv", kept))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("api-lists")
    url = f"sqlite:///{folder / 'registry.db'}"
    bundled = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(bundled) as source:
        two_versions(url, folder, source)
    app = make_app(url, folder / "data", require_token=False)
    include_own_routers(app)
    with started(app) as client:
        yield client


def test_lists_and_versions(client: TestClient) -> None:
    (listed,) = client.get("/lists").json()
    assert listed["name"] == BELARUS
    assert listed["version"] == 2
    assert listed["format"] == "eu-journal-csv"
    assert listed["entities"] > 100
    assert listed["imported_at"].endswith("Z") or "+00:00" in listed["imported_at"]

    current = client.get(f"/lists/{BELARUS}").json()
    assert current == listed
    first = client.get(f"/lists/{BELARUS}", params={"version": 1}).json()
    assert first["version"] == 1
    assert first["entities"] == listed["entities"] + 1
    versions = client.get(f"/lists/{BELARUS}/versions").json()
    assert [v["version"] for v in versions] == [1, 2]

    unknown = client.get("/lists/eu")
    assert unknown.status_code == 404
    assert BELARUS in unknown.json()["detail"]  # names the lists there are
    assert client.get(f"/lists/{BELARUS}", params={"version": 9}).status_code == 404
    assert client.get(f"/lists/{BELARUS}", params={"version": 0}).status_code == 422


def test_diff_between_versions(client: TestClient) -> None:
    diff = client.get(f"/lists/{BELARUS}/diff").json()  # the last two by default
    assert (diff["list"], diff["old_version"], diff["new_version"]) == (BELARUS, 1, 2)
    assert diff["added"] == []
    assert diff["changed"] == []
    (removed,) = diff["removed"]
    assert "YARMOSHINA" in removed["caption"]
    assert removed["schema"] == "Person"

    back = client.get(f"/lists/{BELARUS}/diff", params={"old": 2, "new": 1}).json()
    assert [e["id"] for e in back["added"]] == [removed["id"]]
    assert client.get(f"/lists/{BELARUS}/diff", params={"old": 1, "new": 5}).status_code == 404


def test_exports_in_each_format(client: TestClient) -> None:
    url = f"/lists/{BELARUS}/export"

    ftm = client.get(url, params={"format": "ftm-json"})
    assert ftm.status_code == 200
    assert ftm.headers["content-type"] == "application/x-ndjson"
    assert ftm.headers["content-disposition"] == (f'attachment; filename="{BELARUS}-v2.ftm.json"')
    entities = [json.loads(line) for line in ftm.text.splitlines()]
    assert not any("YARMOSHINA" in e.get("caption", "") for e in entities)
    older = client.get(url, params={"format": "ftm-json", "version": 1}).text
    assert "YARMOSHINA" in older

    table = client.get(url, params={"format": "targets-simple-csv"})
    assert table.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert any("LUKASHENKA" in row["name"] for row in rows)

    xml = client.get(url, params={"format": "eu-fsf-xml"})
    assert xml.headers["content-type"] == "application/xml"
    assert etree.fromstring(xml.content).tag.endswith("export")

    page = client.get(url, params={"format": "annex-html"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "LUKASHENKA" in page.text
    assert f"{BELARUS}, version 2" in page.text

    assert client.get(url, params={"format": "pdf"}).status_code == 422
    assert client.get(url).status_code == 422  # the format is needed
    assert client.get("/lists/eu/export", params={"format": "ftm-json"}).status_code == 404


def test_lists_on_each_database_and_behind_a_token(
    registry: Registry, tmp_path: Path, belarus_csv: Path
) -> None:
    two_versions(registry.url, tmp_path, belarus_csv)
    token = Designation(registry).add_user(None, "officer", Role.OFFICER)
    app = make_app(registry.url, tmp_path / "data", require_token=True)
    include_own_routers(app)
    with started(app, headers={"Authorization": f"Bearer {token}"}) as client:
        assert [v["version"] for v in client.get(f"/lists/{BELARUS}/versions").json()] == [1, 2]
        (removed,) = client.get(f"/lists/{BELARUS}/diff").json()["removed"]
        assert "YARMOSHINA" in removed["caption"]
        closed = client.get("/lists", headers={"Authorization": ""})
        assert closed.status_code == 401
