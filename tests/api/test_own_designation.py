"""The designation workflow over HTTP, on SQLite and PostgreSQL: a regime, a dossier
with uploaded evidence, a package decided by 27 delegates (one of them on content that
changed), adoption, the published list screened by /match; then review and delisting;
every refusal with its status; and the audit chain, intact and then tampered with."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sanctio.api.routers import designation as designation_router
from sanctio.api.routers.own import include_own_routers
from sanctio.designation.auth import Actor, Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from tests.api import TestClient, make_app, person, started

OFFICER = Actor("officer", Role.OFFICER)
REGIME = {
    "code": "BLR",
    "title": "Restrictive measures against Belarus",
    "decision": "Council Decision 2012/642/CFSP",
    "regulation": "Council Regulation (EC) No 765/2006",
    "criteria": ["responsible for repression", "supporting the regime"],
    "measures": ["Asset freeze", "Travel ban"],
}
PETROV = {
    "regime": "BLR",
    "names": ["Ivan Ivanovich PETROV", "Иван Иванович ПЕТРОВ"],
    "birth_date": "1970-05-01",
    "nationality": "by",
    "positions": ["Head of the Minsk riot police (OMON), since 2019"],
    "criterion": 1,
    "reasons": "As head of the Minsk OMON he is responsible for the violent repression "
    "of peaceful demonstrators after the election of 9 August 2020.",
}
SIDOROV = {**PETROV, "names": ["Piotr SIDOROV"], "birth_date": "1968", "positions": []}


class Users:
    """Tokens of every user of a test: an officer, a proposer, a viewer and a delegate
    for each of the 27 member states."""

    def __init__(self, registry: Registry) -> None:
        flow = Designation(registry)
        self.officer = flow.add_user(None, "officer", Role.OFFICER)
        self.proposer = flow.add_user(OFFICER, "eeas", Role.PROPOSER)
        self.viewer = flow.add_user(OFFICER, "press", Role.VIEWER)
        self.delegates = {
            s.code: flow.add_user(OFFICER, f"delegate-{s.code.lower()}", Role.DELEGATE, s.code)
            for s in flow.states
        }


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    app = make_app(registry.url, tmp_path / "data", require_token=False)
    include_own_routers(app)
    include_own_routers(app)  # a second call changes nothing
    with started(app) as client:
        yield client


def test_from_regime_to_a_screened_listing_and_its_delisting(
    registry: Registry, client: TestClient
) -> None:
    users = Users(registry)

    # a regime: an officer's act
    assert client.post("/regimes", json=REGIME).status_code == 401
    assert client.post("/regimes", json=REGIME, headers=auth(users.proposer)).status_code == 403
    regime = ok(client.post("/regimes", json=REGIME, headers=auth(users.officer)), 201)
    assert regime["list_name"] == "sanctio-blr"
    again = client.post("/regimes", json=REGIME, headers=auth(users.officer))
    assert again.status_code == 409
    assert "exists already" in again.json()["detail"]
    assert [r["code"] for r in ok(client.get("/regimes"))] == ["BLR"]

    # two dossiers, by the proposer
    petrov = ok(client.post("/dossiers", json=PETROV, headers=auth(users.proposer)), 201)
    assert petrov["status"] == "proposed"
    assert petrov["properties"]["alias"] == ["Иван Иванович ПЕТРОВ"]
    assert petrov["properties"]["position"] == PETROV["positions"]
    sidorov = ok(client.post("/dossiers", json=SIDOROV, headers=auth(users.proposer)), 201)
    twice = client.post("/dossiers", json=PETROV, headers=auth(users.proposer))
    assert twice.status_code == 409
    assert client.post("/dossiers", json=PETROV, headers=auth(users.viewer)).status_code == 403

    # evidence: a file uploaded (hashed here), and a restricted item by its hash
    video = b"\x00\x01 riot police on Pushkinskaya, 10 August 2020 \xff" * 100
    item = ok(
        client.post(
            f"/dossiers/{petrov['id']}/evidence",
            files={"file": ("pushkinskaya.mp4", video, "video/mp4")},
            data={
                "source": "Video, Telegram channel NEXTA",
                "description": "Riot police beating detained protesters",
                "collected_at": "2020-08-11",
                "collected_by": "Viasna",
            },
            headers=auth(users.proposer),
        ),
        201,
    )
    assert item == {
        "dossier": petrov["id"],
        "number": 1,
        "version": 1,
        "sha256": hashlib.sha256(video).hexdigest(),
    }
    # a file over the cap is refused before it is read (the cap made small here)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(designation_router, "MAX_EVIDENCE_BYTES", len(video) // 2)
        large = client.post(
            f"/dossiers/{petrov['id']}/evidence",
            files={"file": ("pushkinskaya.mp4", video, "video/mp4")},
            data={"source": "Video", "collected_at": "2020-08-11", "collected_by": "Viasna"},
            headers=auth(users.proposer),
        )
    assert large.status_code == 413
    assert "send its sha256 in JSON" in large.json()["detail"]
    witness = {
        "source": "Witness statement W-17",
        "sha256": "ab" * 32,
        "collected_at": "2020-08-12T10:30:00+03:00",
        "collected_by": "Viasna",
        "sensitivity": "restricted",
    }
    url = f"/dossiers/{petrov['id']}/evidence"
    assert ok(client.post(url, json=witness, headers=auth(users.proposer)), 201)["number"] == 2
    assert client.post(url, json=witness, headers=auth(users.viewer)).status_code == 403
    assert client.post(url, content=b"x", headers=auth(users.proposer)).status_code == 415
    assert client.get(url).status_code == 401  # a proposed person's file: users only
    assert len(ok(client.get(url, headers=auth(users.viewer)))) == 1  # public items only
    cleared = ok(client.get(url, headers=auth(users.proposer)))
    assert [e["sensitivity"] for e in cleared] == ["public", "restricted"]
    assert cleared[1]["collected_at"] == "2020-08-12T07:30:00Z"
    assert client.get(url, headers=auth("sanctio_not-a-token")).status_code == 401

    # a package, circulated; a hold-back changes what the states are asked
    draft = {"regime": "BLR", "title": "Second package", "dossiers": [petrov["id"], sidorov["id"]]}
    package = ok(client.post("/packages", json=draft, headers=auth(users.proposer)), 201)
    number = package["id"]
    circulate = {"on": "2020-10-02", "deadline": "2020-10-09"}
    path = f"/packages/{number}"
    assert (
        client.post(f"{path}/circulate", json=circulate, headers=auth(users.proposer)).status_code
        == 403
    )
    circulated = ok(client.post(f"{path}/circulate", json=circulate, headers=auth(users.officer)))
    first_hash = circulated["content_hash"]
    assert circulated["status"] == "circulated"

    def position(state: str, content_hash: str, token: str | None = None) -> Any:
        body = {"position": "agree", "content_hash": content_hash}
        return client.put(
            f"{path}/positions/{state}", json=body, headers=auth(token or users.delegates[state])
        )

    assert ok(position("DE", first_hash))["decision"]["agree"] == 1
    dated = {"position": "agree", "content_hash": first_hash, "on": "2099-01-01"}
    own_date = client.put(f"{path}/positions/MT", json=dated, headers=auth(users.delegates["MT"]))
    assert own_date.status_code == 422  # the server dates a position, never the delegate
    assert position("FR", first_hash, users.delegates["DE"]).status_code == 403  # not its state
    assert position("FR", first_hash, users.officer).status_code == 403  # not a delegate
    held = ok(
        client.post(
            f"{path}/hold-back", json={"dossier": sidorov["id"]}, headers=auth(users.proposer)
        )
    )
    assert held["dossiers"] == [petrov["id"]]
    assert held["content_hash"] != first_hash
    assert held["positions"]["DE"]["position"] == "agree"
    assert held["decision"]["agree"] == 0  # DE's position was on other content
    stale = position("LT", first_hash)
    assert stale.status_code == 409
    assert "changed after it was circulated" in stale.json()["detail"]
    for state in users.delegates:
        decision = ok(position(state, held["content_hash"]))["decision"]
    assert decision["outcome"] == "adopted"
    assert client.get(path).status_code == 401  # the Council's deliberation: users only
    shown = ok(client.get(path, headers=auth(users.viewer)))
    assert shown["decision"]["outcome"] == "adopted"
    assert shown["decision"]["reasons"]
    assert len(shown["positions"]) == 27

    # adoption: the acts and the published list, screened at once
    acts = {"on": "2020-10-02", "decision_number": "2020/1388", "regulation_number": "2020/1387"}
    assert client.post(f"{path}/adopt", json=acts, headers=auth(users.proposer)).status_code == 403
    adopted = ok(client.post(f"{path}/adopt", json=acts, headers=auth(users.officer)))
    assert (adopted["list_name"], adopted["list_version"]) == ("sanctio-blr", 1)
    assert {a["kind"] for a in adopted["acts"]} == {
        "implementing decision",
        "implementing regulation",
    }
    assert client.post(f"{path}/adopt", json=acts, headers=auth(users.officer)).status_code == 409
    listed = {entry["name"]: entry for entry in ok(client.get("/lists"))}
    assert listed["sanctio-blr"]["entities"] == 1
    catalog = {d["name"]: d for d in ok(client.get("/catalog"))["datasets"]}
    assert catalog["sanctio-blr"]["kind"] == "regime"
    assert [a["list_version"] for a in ok(client.get("/legal-acts"))] == [1, 1]
    query = {"q": person("Ivan Petrov", birthDate=["1970-05-01"], nationality=["by"])}
    found = ok(client.post("/match/default", json={"queries": query}))["responses"]["q"]
    assert found["results"][0]["id"] == petrov["entity_id"]
    assert found["results"][0]["match"] is True
    viewer = auth(users.viewer)
    assert ok(client.get(f"/dossiers/{petrov['id']}", headers=viewer))["status"] == "listed"
    assert ok(client.get(f"/dossiers/{sidorov['id']}", headers=viewer))["status"] == "proposed"
    assert client.get(f"/dossiers/{sidorov['id']}").status_code == 401

    # after listing: maintained on review, then delisted
    review = {"on": "2021-09-01", "outcome": "maintain", "note": "still in post"}
    reviewed = ok(
        client.post(f"/dossiers/{petrov['id']}/review", json=review, headers=auth(users.officer))
    )
    assert reviewed["list_version"] is None
    assert reviewed["dossier"]["review_due"] == "2022-09-01"
    assert reviewed["dossier"]["history"][0]["kind"] == "reviewed"
    delisting = {
        "on": "2022-03-01",
        "ground": "review",
        "note": "left his post",
        "decision_number": "2022/301",
    }
    delisted = ok(
        client.post(f"/dossiers/{petrov['id']}/delist", json=delisting, headers=auth(users.officer))
    )
    assert delisted["list_version"] == 2
    assert delisted["dossier"]["status"] == "delisted"
    gone = ok(client.post("/match/default", json={"queries": query}))["responses"]["q"]
    assert all(r["id"] != petrov["entity_id"] for r in gone["results"])
    refused = client.post(
        f"/dossiers/{petrov['id']}/delist", json=delisting, headers=auth(users.officer)
    )
    assert refused.status_code == 409
    # once delisted, the same person can be proposed again: a new dossier, linked
    again = ok(client.post("/dossiers", json=PETROV, headers=auth(users.proposer)), 201)
    assert (again["entity_id"], again["status"]) == (petrov["entity_id"], "proposed")
    assert again["previous_dossier"] == petrov["id"]
    assert client.post("/dossiers", json=PETROV, headers=auth(users.proposer)).status_code == 409

    # the audit trail: every step, intact; the log for officers only
    verification = ok(client.get("/audit/verify"))
    assert verification["ok"] is True
    assert verification["first_broken"] is None
    assert client.get("/audit/log", headers=auth(users.viewer)).status_code == 403
    assert client.get("/audit/log").status_code == 401
    log = ok(client.get("/audit/log", params={"limit": 1000}, headers=auth(users.officer)))
    actions = [r["action"] for r in log]
    assert {"regime.created", "package.held_back", "package.adopted_acts"} <= set(actions)
    assert len(log) == verification["records"]


def test_evidence_added_after_circulation_must_be_agreed_again(
    registry: Registry, client: TestClient
) -> None:
    """27 agree; then a new evidence item, or a new version of item 1, is accepted (201)
    but the states agreed to the file as it was: the content hash changes, the outcome
    is pending again and adoption is refused (409) until they agree to the new file."""
    users = Users(registry)
    officer, proposer = auth(users.officer), auth(users.proposer)
    ok(client.post("/regimes", json=REGIME, headers=officer), 201)
    petrov = ok(client.post("/dossiers", json=PETROV, headers=proposer), 201)
    evidence = {
        "source": "Video, Telegram channel NEXTA",
        "collected_at": "2020-08-11",
        "collected_by": "Viasna",
        "sha256": "ab" * 32,
    }
    url = f"/dossiers/{petrov['id']}/evidence"
    ok(client.post(url, json=evidence, headers=proposer), 201)
    draft = {"regime": "BLR", "title": "Package", "dossiers": [petrov["id"]]}
    path = f"/packages/{ok(client.post('/packages', json=draft, headers=proposer), 201)['id']}"
    content = ok(client.post(f"{path}/circulate", json={"on": "2020-10-01"}, headers=officer))

    def agree_all(content_hash: str) -> Any:
        body = {"position": "agree", "content_hash": content_hash}
        for state, token in users.delegates.items():
            decision = ok(client.put(f"{path}/positions/{state}", json=body, headers=auth(token)))
        return decision["decision"]

    assert agree_all(content["content_hash"])["outcome"] == "adopted"
    acts = {"on": "2020-10-02", "decision_number": "2020/1388", "regulation_number": "2020/1387"}
    seen = content["content_hash"]
    for change in ({"sha256": "cd" * 32}, {"sha256": "ef" * 32, "supplements": 1}):
        ok(client.post(url, json={**evidence, **change}, headers=proposer), 201)
        package = ok(client.get(path, headers=officer))
        assert package["content_hash"] != seen
        assert package["decision"]["outcome"] == "pending"
        assert package["decision"]["agree"] == 0
        refused = client.post(f"{path}/adopt", json=acts, headers=officer)
        assert refused.status_code == 409
        assert "outcome pending" in refused.json()["detail"]
        seen = package["content_hash"]
    assert agree_all(seen)["outcome"] == "adopted"
    assert ok(client.post(f"{path}/adopt", json=acts, headers=officer))["list_version"] == 1


def test_a_tampered_audit_record_is_named(registry: Registry, client: TestClient) -> None:
    users = Users(registry)
    ok(client.post("/regimes", json=REGIME, headers=auth(users.officer)), 201)
    assert ok(client.get("/audit/verify"))["ok"] is True
    with registry.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    broken = ok(client.get("/audit/verify"))
    assert broken["ok"] is False
    assert broken["first_broken"] == 3
    assert "record 3 was edited" in broken["problem"]


def test_refusals_have_their_status(registry: Registry, client: TestClient) -> None:
    users = Users(registry)
    officer = auth(users.officer)
    ok(client.post("/regimes", json=REGIME, headers=officer), 201)

    unknown = client.post("/regimes", json=REGIME, headers=auth("sanctio_unknown"))
    assert unknown.status_code == 401
    assert unknown.headers["www-authenticate"] == "Bearer"
    key = client.post(
        "/dossiers", json=PETROV, headers={"Authorization": f"ApiKey {users.proposer}"}
    )
    assert key.status_code == 201  # OpenSanctions' way of sending a key works too

    assert client.get("/dossiers/999", headers=officer).status_code == 404
    assert client.get("/packages/999", headers=officer).status_code == 404
    assert client.get("/incidents/999", headers=officer).status_code == 404
    missing = client.post("/packages/999/circulate", json={"on": "2020-10-02"}, headers=officer)
    assert missing.status_code == 404
    no_regime = client.post("/dossiers", json={**PETROV, "regime": "XX"}, headers=officer)
    assert no_regime.status_code == 404

    for bad in (
        {**PETROV, "nationality": "Belarusian"},  # a code is expected
        {**PETROV, "birth_date": "1970-02-30"},  # no such day
        {**PETROV, "names": ["  "]},
        {**PETROV, "schema": "Company"},  # a birth date and posts are a person's
        {**PETROV, "criterion": "1"},  # a number, not text
        {**PETROV, "reason": "misspelt"},  # unknown fields are refused
        {**PETROV, "reasons": "x" * 65001},  # longer than a published reason can be
    ):
        refused = client.post("/dossiers", json=bad, headers=officer)
        assert refused.status_code == 422, bad
    criterion = client.post("/dossiers", json={**SIDOROV, "criterion": 9}, headers=officer)
    assert criterion.status_code == 409  # the regime has two criteria
    block = {"position": "block", "content_hash": "ab" * 32}
    silent = client.put("/packages/1/positions/DE", json=block, headers=auth(users.delegates["DE"]))
    assert silent.status_code == 422  # a block needs its reason
    annulment = {"on": "2022-03-01", "ground": "annulment"}
    assert client.post("/dossiers/1/delist", json=annulment, headers=officer).status_code == 422
    for unnamed in (
        {"on": "2022-03-01", "ground": "review"},  # a change to the list names its act
        {"on": "2022-03-01", "ground": "review", "decision_number": None},
    ):
        actless = client.post("/dossiers/1/delist", json=unnamed, headers=officer)
        assert actless.status_code == 422
        assert "needs its legal act" in actless.text
    delist_review = {"on": "2022-03-01", "outcome": "delist", "note": "left"}
    assert client.post("/dossiers/1/review", json=delist_review, headers=officer).status_code == 422
    too_late = {"on": "3020-01-01", "decision_number": "1", "regulation_number": "2"}
    late = client.post("/packages/1/adopt", json=too_late, headers=officer)
    assert late.status_code == 422
    assert client.get("/candidates", headers=officer).status_code == 422  # neither given
    assert client.get("/candidates", params={"incident": 1}).status_code == 401
    assert client.options("/regimes").headers["allow"] == "GET, POST"

    not_json = client.post(
        "/regimes", content=b"{", headers={**officer, "Content-Type": "application/json"}
    )
    assert not_json.status_code in (400, 422)


def test_a_closed_service_needs_a_token_to_read(registry: Registry, tmp_path: Path) -> None:
    users = Users(registry)
    app = make_app(registry.url, tmp_path / "data", require_token=True)
    include_own_routers(app)
    with started(app, headers=auth(users.viewer)) as client:
        assert ok(client.get("/regimes")) == []
        assert client.get("/regimes", headers={"Authorization": ""}).status_code == 401
        assert client.get("/legal-acts", headers={"Authorization": ""}).status_code == 401
        spec = ok(client.get("/openapi.json"))
    assert spec["paths"]["/regimes"]["get"]["security"] == [{"HTTPBearer": []}]
    assert spec["paths"]["/regimes"]["post"]["security"] == [{"UserToken": []}]


def test_the_openapi_description_of_an_open_service(client: TestClient) -> None:
    spec = ok(client.get("/openapi.json"))
    paths = spec["paths"]
    assert paths["/regimes"]["get"]["security"] == [{"HTTPBearer": []}, {}]
    assert paths["/match/{dataset}"]["post"]["security"] == [{"HTTPBearer": []}, {}]
    assert paths["/regimes"]["post"]["security"] == [{"UserToken": []}]
    assert paths["/audit/log"]["get"]["security"] == [{"UserToken": []}]
    evidence = paths["/dossiers/{dossier_id}/evidence"]["post"]["requestBody"]["content"]
    assert set(evidence) == {"application/json", "multipart/form-data"}
    assert evidence["multipart/form-data"]["schema"]["required"][0] == "file"
    tags = {tag["name"] for tag in spec["tags"]}
    assert {"Lists", "Designation", "Audit", "Forensics", "Matching"} <= tags
    examples = spec["components"]["schemas"]["DossierIn"]["examples"]
    assert examples[0]["regime"] == "BLR"
