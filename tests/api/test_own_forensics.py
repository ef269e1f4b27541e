"""``/forensics``: the integer test and the report on an uploaded results file, and the
stored findings and commissions, over HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sanctio.api.routers.forensics import MAX_DRAWS
from sanctio.api.routers.own import include_own_routers
from sanctio.designation.auth import Actor, Role
from sanctio.designation.findings import Findings
from sanctio.designation.workflow import Designation
from sanctio.forensics.findings import NOT_AN_ACCUSATION, Finding
from sanctio.registry import Registry
from tests.api import TestClient, make_app, started


def generic_csv(precincts: int = 400, seed: int = 3) -> bytes:
    """A small election in the generic format: two regions, two candidates, and one
    protocol in twenty written to a round 90 % turnout and share."""
    rng = np.random.default_rng(seed)
    lines = ["precinct,region,registered,ballots_issued,ballots_found,Leader,Other"]
    for i in range(precincts):
        registered = int(rng.integers(400, 3000))
        issued = int(rng.binomial(registered, 0.6))
        found = issued - int(rng.integers(0, 3))
        leader = int(rng.binomial(found, 0.55))
        if i % 20 == 0:
            issued = found = registered * 9 // 10
            leader = found * 9 // 10
        region = "North" if i % 2 else "South"
        lines.append(f"P-{i:04d},{region},{registered},{issued},{found},{leader},{found - leader}")
    return ("\n".join(lines) + "\n").encode()


def serve(url: str, folder: Path) -> Iterator[TestClient]:
    app = make_app(url, folder / "data", require_token=False)
    include_own_routers(app)
    with started(app) as client:
        yield client


@pytest.fixture
def client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    """A service over each database (for what is stored)."""
    yield from serve(registry.url, tmp_path)


@pytest.fixture
def uploads(tmp_path: Path) -> Iterator[TestClient]:
    """A service over SQLite only: the tests on uploads store nothing."""
    yield from serve(f"sqlite:///{tmp_path / 'registry.db'}", tmp_path)


def upload(name: str, data: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "text/csv")}


def test_integer_test_on_an_uploaded_csv(uploads: TestClient) -> None:
    data = generic_csv()
    response = uploads.post(
        "/forensics/integer-test",
        files=upload("election.csv", data),
        params={"draws": 200, "seed": 7},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["test"] == "integer-percent"
    assert result["leader"] == "Leader"
    assert (result["draws"], result["seed"]) == (200, 7)
    assert result["observed"] > result["expected"]  # the round protocols show
    assert result["precincts_used"] == 400
    assert {row["region"] for row in result["per_region"]} == {"North", "South"}
    assert result["input"] == {
        "file": "election.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "format": "generic",
        "rows_excluded": [],
    }
    other = uploads.post(
        "/forensics/integer-test",
        files=upload("again.csv", data),
        params={"draws": 200, "leader": "oth", "format": "generic"},
    )
    assert other.json()["leader"] == "Other"


def test_unreadable_uploads_and_unbounded_requests_are_refused(uploads: TestClient) -> None:
    url = "/forensics/integer-test"
    garbage = uploads.post(url, files=upload("x.csv", b"name,votes\nA,1\n"))
    assert garbage.status_code == 400
    assert garbage.json()["detail"].startswith("x.csv, line 1: unrecognised header")
    assert "sanctio-upload" not in garbage.json()["detail"]  # no server folder in a message
    broken = uploads.post(url, files={"file": ("x.zip", b"PK\x03\x04broken", "application/zip")})
    assert broken.status_code == 400
    unknown = uploads.post(url, files=upload("e.csv", generic_csv(50)), params={"leader": "Nobody"})
    assert unknown.status_code == 400
    assert "Leader" in unknown.json()["detail"]
    too_many = uploads.post(
        url, files=upload("e.csv", generic_csv(50)), params={"draws": MAX_DRAWS + 1}
    )
    assert too_many.status_code == 422
    assert uploads.post(url).status_code == 422  # no file


def test_report_on_an_uploaded_csv(uploads: TestClient) -> None:
    response = uploads.post(
        "/forensics/report",
        files=upload("election.csv", generic_csv()),
        params={"draws": 50, "replicates": 0},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["input"]["file"] == "election.csv"
    assert report["leader"] == "Leader"
    expected = {"totals", "integer-test", "fingerprint", "anomalous-votes", "digits"}
    assert expected <= set(report["tests"])
    assert report["tests"]["integer-test"]["draws"] == 50
    assert report["summary"]
    assert "Kobak" in report["citations"]["integer-test"]
    refused = uploads.post(
        "/forensics/report", files=upload("e.csv", generic_csv(50)), params={"replicates": 1000}
    )
    assert refused.status_code == 422


def test_stored_findings_and_commissions(registry: Registry, client: TestClient) -> None:
    assert client.get("/forensics/findings").json() == []
    token = Designation(registry).add_user(None, "officer", Role.OFFICER)
    user = {"Authorization": f"Bearer {token}"}
    # commissions name persons of interest: a user's token even on an open service
    assert client.get("/forensics/commissions").status_code == 401
    empty = client.get("/forensics/commissions", headers=user).json()
    assert empty == {"commissions": [], "note": NOT_AN_ACCUSATION}

    found = [
        Finding("01-001-0001", "turnout 90.00% and share 90.00% are both whole percents", {}),
        Finding("01-001-0002", "turnout 85.00% and share 80.00% are both whole percents", {}),
    ]
    Findings(Designation(registry)).record(
        Actor("officer", Role.OFFICER), "integer-test", {"draws": 1000}, "e.csv", "ab" * 32, found
    )
    stored = client.get("/forensics/findings").json()
    assert [f["precinct"] for f in stored] == ["01-001-0001", "01-001-0002"]
    assert stored[0]["parameters"] == {"draws": 1000}
    assert stored[0]["input_sha256"] == "ab" * 32
    one = client.get("/forensics/findings", params={"precinct": "01-001-0002"}).json()
    assert [f["summary"][:11] for f in one] == ["turnout 85."]
    commissions = client.get("/forensics/commissions", headers=user).json()["commissions"]
    assert [c["commission"] for c in commissions] == ["01-001-0001", "01-001-0002"]
    assert commissions[0]["roster_imported"] is False
    assert commissions[0]["persons_of_interest"] == []
    bad_day = client.get("/forensics/commissions", params={"on": "20-08-09"}, headers=user)
    assert bad_day.status_code == 422
