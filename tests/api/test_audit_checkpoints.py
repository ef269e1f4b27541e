"""The audit trail over HTTP: ``/audit/verify`` compares the chain with its signed
checkpoints, an officer signs the head with ``POST /audit/checkpoint``, a corrupt record
is a finding (200, never 500) in the API and on ``/ui/audit``, and the page, which
lists the records, opens to officers only, as ``/audit/log``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry, signing
from sanctio.web.core import COOKIE
from tests.api import TestClient, make_app, started


class Tokens:
    def __init__(self, registry: Registry) -> None:
        flow = Designation(registry)
        self.officer = flow.add_user(None, "officer", Role.OFFICER)
        officer = flow.authenticate(self.officer)
        self.viewer = flow.add_user(officer, "press", Role.VIEWER)
        self.delegate = flow.add_user(officer, "delegate-mt", Role.DELEGATE, "MT")


@pytest.fixture
def tokens(registry: Registry) -> Tokens:
    return Tokens(registry)


@pytest.fixture
def client(registry: Registry, tokens: Tokens, tmp_path: Path) -> Iterator[TestClient]:
    with started(make_app(registry.url, tmp_path / "data", require_token=False)) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_officer_signs_the_head_and_verify_checks_it(
    client: TestClient, tokens: Tokens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = client.post("/audit/checkpoint", headers=auth(tokens.officer))
    assert refused.status_code == 409
    assert "no signing key: make one with `sanctio keys init`" in refused.json()["detail"]
    key = signing.init_key(tmp_path / "audit.pem")
    monkeypatch.setenv("SANCTIO_SIGNING_KEY", str(key.path))
    assert client.post("/audit/checkpoint").status_code == 401
    assert client.post("/audit/checkpoint", headers=auth(tokens.viewer)).status_code == 403
    made = client.post(
        "/audit/checkpoint", json={"reason": "quarterly"}, headers=auth(tokens.officer)
    )
    assert made.status_code == 201, made.text
    signed = made.json()
    assert signed["reason"] == "quarterly"
    assert signed["key_id"] == key.key_id
    assert signed["public_key"] == signing.public_pem(key.public)
    verified = client.get("/audit/verify").json()
    assert verified["ok"] is True
    assert verified["records"] == signed["seq"] == 4  # three users, then the request
    assert verified["checkpoints"]["checked"] == 1
    assert verified["checkpoints"]["checkpoints"][0]["status"] == "agrees"


def test_a_forged_checkpoint_makes_verify_say_so(
    client: TestClient, registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = signing.init_key(tmp_path / "audit.pem")
    monkeypatch.setenv("SANCTIO_SIGNING_KEY", str(key.path))
    with registry.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO audit_checkpoints (seq, head_hash, signed_at, reason, key_id, "
                "signature) SELECT seq, hash, '2026-12-01 00:00:00', 'forged', :kid, 'AAAA' "
                "FROM audit_head"
            ),
            {"kid": key.key_id},
        )
    verified = client.get("/audit/verify").json()
    assert verified["ok"] is False
    assert verified["chain_ok"] is True
    assert "has a signature that does not verify" in verified["problem"]


def test_a_corrupt_record_is_a_finding_in_the_api_and_on_the_page(
    client: TestClient, registry: Registry, tokens: Tokens
) -> None:
    corrupt = "'[1, 2]'" if registry.engine.dialect.name == "postgresql" else "'not json'"
    with registry.engine.begin() as c:
        c.execute(text(f"UPDATE audit_log SET payload = {corrupt} WHERE seq = 2"))
    verified = client.get("/audit/verify")
    assert verified.status_code == 200
    assert verified.json()["first_broken"] == 2
    assert verified.json()["problem"].startswith("record 2 unreadable: payload")
    client.cookies.set(COOKIE, tokens.officer)
    page = client.get("/ui/audit")
    assert page.status_code == 200
    assert "Broken at record 2" in page.text
    assert "record 2 unreadable: payload" in page.text


def test_the_audit_page_is_for_officers(client: TestClient, tokens: Tokens) -> None:
    anonymous = client.get("/ui/audit", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].endswith("/ui/login?next=%2Fui%2Faudit")
    for token in (tokens.delegate, tokens.viewer):
        client.cookies.set(COOKIE, token)
        refused = client.get("/ui/audit")
        assert refused.status_code == 403
        assert "user.added" not in refused.text  # no record shown
    client.cookies.set(COOKIE, tokens.officer)
    page = client.get("/ui/audit")
    assert page.status_code == 200
    assert "Intact" in page.text
    assert "user.added" in page.text
    assert "No checkpoints in the database" in page.text
