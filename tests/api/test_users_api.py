"""Users over HTTP on SQLite and PostgreSQL: listing, revoking and rotating tokens,
user names checked (422), and a revoked or expired token refused at once by every
kind of endpoint (a change, a read of the data, a web page signed in with it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from sanctio.designation.records import User
from sanctio.registry import Registry
from tests.api import TestClient, make_app, started
from tests.api.test_own_designation import auth, ok


@pytest.fixture
def client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    """A service that requires a token for its data endpoints and pages."""
    with started(make_app(registry.url, tmp_path / "data", require_token=True)) as client:
        yield client


def add(client: TestClient, officer: str | None, name: str, role: str, state: str | None = None):
    body = {"name": name, "role": role, "member_state": state}
    headers = auth(officer) if officer else {}
    return client.post("/users", json=body, headers=headers)


def test_an_officer_lists_revokes_and_rotates_and_the_token_stops_working_at_once(
    client: TestClient,
) -> None:
    officer = ok(add(client, None, "olga", "officer"), 201)["token"]
    delegate = ok(add(client, officer, "delegate-de", "delegate", "DE"), 201)["token"]
    assert ok(client.get("/catalog", headers=auth(delegate)))  # a reader's request
    # the page signed in with the token
    assert client.post("/ui/login", data={"token": delegate}).status_code == 200
    assert client.get("/ui/lists", follow_redirects=False).status_code == 200

    listed = ok(client.get("/users", headers=auth(officer)))
    assert [(u["name"], u["role"], u["member_state"], u["state"]) for u in listed] == [
        ("olga", "officer", None, "active"),
        ("delegate-de", "delegate", "DE", "active"),
    ]
    assert all("token" not in u for u in listed)
    assert officer not in str(listed)
    assert delegate not in str(listed)
    refused = client.get("/users", headers=auth(delegate))
    assert refused.status_code == 403
    assert "needs officer" in refused.json()["detail"]
    assert client.post("/users/olga/revoke", headers=auth(delegate)).status_code == 403

    revoked = ok(client.post("/users/delegate-de/revoke", headers=auth(officer)))
    assert revoked["state"] == "revoked"
    assert revoked["revoked_at"]
    for response in (
        client.get("/catalog", headers=auth(delegate)),
        client.get("/packages", headers=auth(delegate)),
        client.post("/users/delegate-de/rotate", headers=auth(delegate)),
    ):
        assert response.status_code == 401
        assert response.json()["detail"].startswith("token revoked"), response.json()
    # the web session made with it ends on the next request
    page = client.get("/ui/lists", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/ui/login")
    again = client.post("/ui/login", data={"token": delegate})
    assert again.status_code == 401
    assert "token revoked" in again.text

    rotated = client.post("/users/delegate-de/rotate", headers=auth(officer))
    assert rotated.status_code == 200
    assert rotated.headers["cache-control"] == "no-store"
    new = rotated.json()["token"]
    assert rotated.json()["token_expires_at"]
    assert ok(client.get("/catalog", headers=auth(new)))
    # a user rotates its own token; the old one is then unknown
    mine = ok(client.post("/users/delegate-de/rotate", headers=auth(new)))["token"]
    assert client.get("/catalog", headers=auth(new)).status_code == 401
    assert ok(client.get("/catalog", headers=auth(mine)))
    assert client.post("/users/olga/rotate", headers=auth(mine)).status_code == 403
    assert client.post("/users/nobody/revoke", headers=auth(officer)).status_code == 404
    last = client.post("/users/olga/revoke", headers=auth(officer))
    assert last.status_code == 409
    assert "only officer" in last.json()["detail"]

    log = ok(client.get("/audit/log", headers=auth(officer)))
    assert [e["action"] for e in log] == [
        "user.added",
        "user.added",
        "user.revoked",
        "user.rotated",
        "user.rotated",
    ]
    for token in (officer, delegate, new, mine):
        assert token not in str(log)


def test_an_expired_token_is_refused_with_the_day_it_expired(
    client: TestClient, registry: Registry
) -> None:
    officer = ok(add(client, None, "olga", "officer"), 201)["token"]
    viewer = ok(add(client, officer, "press", "viewer"), 201)["token"]
    with Session(registry.writer) as session, session.begin():
        session.execute(
            update(User)
            .where(User.name == "press")
            .values(token_expires_at=datetime(2026, 1, 2, tzinfo=UTC))
        )
    for response in (
        client.get("/catalog", headers=auth(viewer)),
        client.post("/match/default", json={"queries": {}}, headers=auth(viewer)),
        client.get("/packages", headers=auth(viewer)),
    ):
        assert response.status_code == 401, response.text
        detail = response.json()["detail"]
        assert detail.startswith("token expired on 2026-01-02 00:00 UTC; ask an officer"), detail
    assert ok(client.get("/users", headers=auth(officer)))[1]["state"] == "expired"
    refused = client.post("/ui/login", data={"token": viewer})
    assert refused.status_code == 401
    assert "token expired on 2026-01-02" in refused.text
    new = ok(client.post("/users/press/rotate", headers=auth(officer)))
    expires = datetime.fromisoformat(new["token_expires_at"])
    assert expires - datetime.now(UTC) > timedelta(days=89)
    assert ok(client.get("/catalog", headers=auth(new["token"])))


@pytest.mark.parametrize(
    "name", ["a\nb", "admin\u202egnp.exe", "\u200bolga", " olga", "olga ", "", "x" * 101]
)
def test_a_user_name_with_control_or_bidirectional_characters_is_a_422(
    client: TestClient, name: str
) -> None:
    refused = add(client, None, name, "officer")
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["detail"]
    assert error["loc"] == ["body", "name"]
    assert ok(add(client, None, "olga", "officer"), 201)  # nothing was stored
