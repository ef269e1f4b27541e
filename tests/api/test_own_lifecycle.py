"""Users, the lists of dossiers and packages, and what follows listing, over HTTP on
SQLite and PostgreSQL: the first officer bootstrapped on an empty registry and the
other users added by it; two persons listed by a package of 27 positions; then
notification, a request for reconsideration, an amendment whose new spelling /match
finds at once, the due review, renewal, an annulment published by apply-due on its
day, and expiry publishing a list without the entries; with each refusal's status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctio.api.routers.own import include_own_routers
from sanctio.designation.consensus import load_member_states
from sanctio.registry import Registry
from tests.api import TestClient, make_app, person, started
from tests.api.test_own_designation import PETROV, REGIME, SIDOROV, auth, ok

KOVALEV = {**PETROV, "names": ["Aleh KOVALEV"], "birth_date": "1975", "positions": []}
STATES = [state.code for state in load_member_states()]


@pytest.fixture
def client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    app = make_app(registry.url, tmp_path / "data", require_token=False)
    include_own_routers(app)
    with started(app) as client:
        yield client


class Users:
    """The users of a test, each added over HTTP: the first officer without a token,
    the others with the officer's."""

    def __init__(self, client: TestClient) -> None:
        first = ok(client.post("/users", json={"name": "officer", "role": "officer"}), 201)
        self.officer = first["token"]

        def add(name: str, role: str, state: str | None = None) -> str:
            body = {"name": name, "role": role, "member_state": state}
            added = ok(client.post("/users", json=body, headers=auth(self.officer)), 201)
            assert (added["name"], added["role"], added["member_state"]) == (name, role, state)
            return str(added["token"])

        self.proposer = add("eeas", "proposer")
        self.viewer = add("press", "viewer")
        self.delegates = {
            code: add(f"delegate-{code.lower()}", "delegate", code) for code in STATES
        }


def listed_by_one_package(client: TestClient, users: Users) -> tuple[dict[str, Any], ...]:
    """PETROV and SIDOROV listed on 2020-10-02 by a package all 27 states agreed to;
    KOVALEV proposed only. Returns the three dossiers and the package."""
    officer, proposer = auth(users.officer), auth(users.proposer)
    ok(client.post("/regimes", json=REGIME, headers=officer), 201)
    petrov, sidorov, kovalev = (
        ok(client.post("/dossiers", json=body, headers=proposer), 201)
        for body in (PETROV, SIDOROV, KOVALEV)
    )
    draft = {"regime": "BLR", "title": "Second package", "dossiers": [petrov["id"], sidorov["id"]]}
    package = ok(client.post("/packages", json=draft, headers=proposer), 201)
    path = f"/packages/{package['id']}"
    circulated = ok(client.post(f"{path}/circulate", json={"on": "2020-10-01"}, headers=officer))
    for state, token in users.delegates.items():
        agree = {"position": "agree", "content_hash": circulated["content_hash"]}
        ok(client.put(f"{path}/positions/{state}", json=agree, headers=auth(token)))
    acts = {"on": "2020-10-02", "decision_number": "2020/1388", "regulation_number": "2020/1387"}
    assert ok(client.post(f"{path}/adopt", json=acts, headers=officer))["list_version"] == 1
    return petrov, sidorov, kovalev, package


def screened(client: TestClient, name: str) -> list[dict[str, Any]]:
    """The results for ``name`` against the regime's published list."""
    query = {"q": person(name)}
    found = ok(client.post("/match/sanctio-blr", json={"queries": query}))
    return list(found["responses"]["q"]["results"])


def test_users_are_added_over_http(client: TestClient) -> None:
    first = {"name": "press", "role": "viewer"}
    refused = client.post("/users", json=first)  # the first user must be an officer
    assert refused.status_code == 409
    assert "first user must be an officer" in refused.json()["detail"]

    created = client.post("/users", json={"name": "officer", "role": "officer"})
    officer = ok(created, 201)
    assert officer["token"].startswith("sanctio_")
    assert created.headers["cache-control"] == "no-store"  # a secret, shown once
    assert ok(client.get("/dossiers", headers=auth(officer["token"]))) == []  # it works

    # from now on an officer's token is needed
    anonymous = client.post("/users", json={"name": "mallory", "role": "officer"})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    unknown = client.post("/users", json=first, headers=auth("sanctio_unknown"))
    assert unknown.status_code == 401
    officer_token = auth(officer["token"])
    viewer = ok(client.post("/users", json=first, headers=officer_token), 201)
    assert viewer["member_state"] is None
    by_viewer = client.post(
        "/users", json={"name": "x", "role": "officer"}, headers=auth(viewer["token"])
    )
    assert by_viewer.status_code == 403
    taken = client.post("/users", json={"name": "press", "role": "proposer"}, headers=officer_token)
    assert taken.status_code == 409
    assert "exists already" in taken.json()["detail"]

    for bad in (
        {"name": "delegate-de", "role": "delegate"},  # which state?
        {"name": "delegate-xx", "role": "delegate", "member_state": "XX"},
        {"name": "delegate-de", "role": "delegate", "member_state": "de"},  # codes: upper case
        {"name": "eeas", "role": "proposer", "member_state": "DE"},  # only delegates have one
        {"name": "eeas", "role": "chief"},
        {"name": " ", "role": "viewer"},
    ):
        assert client.post("/users", json=bad, headers=officer_token).status_code == 422, bad
    delegate = {"name": "delegate-de", "role": "delegate", "member_state": "DE"}
    assert (
        ok(client.post("/users", json=delegate, headers=officer_token), 201)["member_state"] == "DE"
    )

    spec = ok(client.get("/openapi.json"))
    assert spec["paths"]["/users"]["post"]["security"] == [{"UserToken": []}, {}]


def test_after_listing_over_http(client: TestClient) -> None:
    users = Users(client)
    officer, viewer = auth(users.officer), auth(users.viewer)
    petrov, sidorov, kovalev, package = listed_by_one_package(client, users)
    one = f"/dossiers/{petrov['id']}"

    # the lists of preparatory work: users only, oldest first, filtered, paged
    assert client.get("/dossiers").status_code == 401
    assert client.get("/packages").status_code == 401
    every = ok(client.get("/dossiers", headers=viewer))
    assert [d["id"] for d in every] == [petrov["id"], sidorov["id"], kovalev["id"]]
    assert [d["status"] for d in every] == ["listed", "listed", "proposed"]
    proposed = ok(client.get("/dossiers", params={"status": "proposed"}, headers=viewer))
    assert [d["caption"] for d in proposed] == ["Aleh KOVALEV"]
    page = ok(client.get("/dossiers", params={"limit": 1, "offset": 1}, headers=viewer))
    assert [d["id"] for d in page] == [sidorov["id"]]
    unknown = client.get("/dossiers", params={"regime": "XX"}, headers=viewer)
    assert unknown.status_code == 404
    assert "BLR" in unknown.json()["detail"]  # names the known regimes
    assert client.get("/dossiers", params={"limit": 0}, headers=viewer).status_code == 422
    assert client.get("/dossiers", params={"limit": 101}, headers=viewer).status_code == 422
    packages = ok(client.get("/packages", params={"regime": "BLR"}, headers=viewer))
    assert [(p["id"], p["status"]) for p in packages] == [(package["id"], "adopted")]
    assert packages[0]["decision"]["outcome"] == "adopted"
    assert len(packages[0]["positions"]) == 27
    assert ok(client.get("/packages", params={"status": "draft"}, headers=viewer)) == []

    # notification and a request for reconsideration, on the dossier's history
    letter = {"on": "2020-10-05", "method": "letter"}
    assert client.post(f"{one}/notify", json=letter, headers=viewer).status_code == 403
    assert client.post(f"{one}/notify", json=letter).status_code == 401
    not_listed = client.post(f"/dossiers/{kovalev['id']}/notify", json=letter, headers=officer)
    assert not_listed.status_code == 409
    assert client.post("/dossiers/999/notify", json=letter, headers=officer).status_code == 404
    by_phone = {"on": "2020-10-05", "method": "phone"}
    assert client.post(f"{one}/notify", json=by_phone, headers=officer).status_code == 422
    notified = ok(client.post(f"{one}/notify", json=letter, headers=officer))
    assert notified["history"] == [
        {"kind": "notified", "on": "2020-10-05", "by": "officer", "method": "letter"}
    ]
    request = {
        "on": "2020-11-01",
        "kind": "reconsideration_request",
        "summary": "Denies having commanded the unit on 10 August 2020.",
    }
    answered = ok(client.post(f"{one}/submissions", json=request, headers=officer))
    assert answered["history"][-1]["kind"] == "reconsideration_request"
    assert answered["history"][-1]["summary"] == request["summary"]
    assert (
        client.post(f"{one}/submissions", json={**request, "kind": "appeal"}, headers=officer)
    ).status_code == 422

    # an amendment: a name found since listing (his former surname) is screened at once
    spelling = "Ivan Ivanovich KOZLOV"
    assert all(r["match"] is False for r in screened(client, spelling))
    amendment = {"on": "2020-12-01", "add_names": [spelling], "decision_number": "2020/2130"}
    assert (
        client.post(f"{one}/amend", json={"on": "2020-12-01"}, headers=officer).status_code == 422
    )
    actless = {"on": "2020-12-01", "add_names": [spelling]}  # a list changes only by an act
    assert client.post(f"{one}/amend", json=actless, headers=officer).status_code == 422
    early = {**amendment, "on": "2020-10-01"}  # before the listing of 2020-10-02
    assert "dated before dossier" in client.post(f"{one}/amend", json=early, headers=officer).text
    amended = ok(client.post(f"{one}/amend", json=amendment, headers=officer))
    assert amended["list_version"] == 2
    assert spelling in amended["dossier"]["properties"]["alias"]
    found = screened(client, spelling)
    assert found[0]["id"] == petrov["entity_id"]
    assert found[0]["match"] is True
    assert found[0]["explanations"]["sanctio"]["candidate"] == spelling
    reused = client.post(f"{one}/amend", json=amendment, headers=officer)
    assert reused.status_code == 409  # the act number is taken; nothing published
    assert ok(client.get("/lists/sanctio-blr"))["version"] == 2

    # the periodic reviews, a year after listing
    assert client.get("/reviews-due", params={"on": "2021-09-01"}).status_code == 401
    due = ok(client.get("/reviews-due", params={"on": "2021-09-15"}, headers=viewer))
    assert due == [
        {
            "dossier": petrov["id"],
            "caption": "Ivan Ivanovich PETROV",
            "listed_on": "2020-10-02",
            "review_due": "2021-10-02",
            "overdue": False,
        },
        {
            "dossier": sidorov["id"],
            "caption": "Piotr SIDOROV",
            "listed_on": "2020-10-02",
            "review_due": "2021-10-02",
            "overdue": False,
        },
    ]
    late = ok(
        client.get("/reviews-due", params={"on": "2021-10-03", "within_days": 0}, headers=viewer)
    )
    assert [d["overdue"] for d in late] == [True, True]
    assert ok(client.get("/reviews-due", params={"on": "2021-01-01"}, headers=viewer)) == []

    # renewal before the term ends (adoption set it to 2021-02-28)
    renewal = {"on": "2021-02-20", "decision_number": "2021/300"}
    assert client.post("/regimes/BLR/renew", json=renewal, headers=viewer).status_code == 403
    assert client.post("/regimes/XX/renew", json=renewal, headers=officer).status_code == 404
    renewed = ok(client.post("/regimes/BLR/renew", json=renewal, headers=officer))
    assert renewed == {"regime": "BLR", "in_force_until": "2022-02-28"}
    acts = ok(client.get("/legal-acts", params={"regime": "BLR"}))
    assert ("renewal decision", "2021/300") in {(a["kind"], a["number"]) for a in acts}
    twice = client.post("/regimes/BLR/renew", json={**renewal, "decision_number": "2021/301"},
                        headers=officer)  # fmt: skip
    assert twice.status_code == 409  # once per term: the term would move a year more
    assert "renewed already" in twice.json()["detail"]

    # an annulment takes effect when the appeal period has run out: apply-due publishes it
    annulment = {
        "on": "2021-03-01",
        "ground": "annulment",
        "judgment": "T-123/21",
        "decision_number": "2021/350",
    }
    decided = ok(client.post(f"/dossiers/{sidorov['id']}/delist", json=annulment, headers=officer))
    assert decided["list_version"] is None
    assert decided["dossier"]["delisting_effective"] == "2021-05-11"
    assert client.post("/apply-due", json={"on": "2021-05-11"}, headers=viewer).status_code == 403
    assert ok(client.post("/apply-due", json={"on": "2021-05-10"}, headers=officer)) == {
        "versions": {}
    }
    assert screened(client, "Piotr SIDOROV")[0]["match"] is True  # still listed
    applied = ok(client.post("/apply-due", json={"on": "2021-05-11"}, headers=officer))
    assert applied == {"versions": {"BLR": 3}}
    assert all(r["id"] != sidorov["entity_id"] for r in screened(client, "Piotr SIDOROV"))
    delisted = ok(client.get("/dossiers", params={"status": "delisted"}, headers=viewer))
    assert [d["id"] for d in delisted] == [sidorov["id"]]

    # the term ends unrenewed: too late to renew, and the listings expire
    late_renewal = {"on": "2022-03-01", "decision_number": "2022/400"}
    too_late = client.post("/regimes/BLR/renew", json=late_renewal, headers=officer)
    assert too_late.status_code == 409
    assert "expired on 2022-02-28" in too_late.json()["detail"]
    lapse = {"on": "2022-03-01", "notice_number": "2022/C 90/01"}
    in_force = client.post(
        "/regimes/BLR/expire", json={**lapse, "on": "2022-02-28"}, headers=officer
    )
    assert in_force.status_code == 409
    assert client.post("/regimes/XX/expire", json=lapse, headers=officer).status_code == 404
    unnamed = client.post("/regimes/BLR/expire", json={"on": "2022-03-01"}, headers=officer)
    assert unnamed.status_code == 422  # the lapse is published under a notice's number
    expired = ok(client.post("/regimes/BLR/expire", json=lapse, headers=officer))
    assert expired == {"regime": "BLR", "list_version": 4}
    published = ok(client.get("/lists/sanctio-blr"))
    assert (published["version"], published["entities"]) == (4, 0)
    assert all(r["id"] != petrov["entity_id"] for r in screened(client, "Ivan Ivanovich PETROV"))
    lapsed = ok(client.get(one, headers=viewer))
    assert (lapsed["status"], lapsed["delisting_ground"]) == ("delisted", "expiry")
    assert lapsed["delisted_on"] == "2022-03-01"
    assert ok(client.get("/dossiers", params={"status": "listed"}, headers=viewer)) == []

    # every step is in the audit trail, which stays intact
    log = ok(client.get("/audit/log", params={"limit": 1000}, headers=officer))
    actions = {r["action"] for r in log}
    assert {
        "user.added",
        "listing.notified",
        "listing.reconsideration_request",
        "listing.amended",
        "regime.renewed",
        "listing.delisted",
    } <= actions
    assert ok(client.get("/audit/verify"))["ok"] is True
