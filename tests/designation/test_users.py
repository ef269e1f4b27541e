"""Users and tokens on SQLite and PostgreSQL: tokens that expire, are revoked and
rotated at once, user names that cannot forge a line or disguise who acted, and every
user change in the audit chain without its token."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from sanctio.designation.auth import Actor, PermissionDeniedError, Role, token_hash
from sanctio.designation.records import User
from sanctio.designation.users import (
    MAX_NAME,
    RECOVERY,
    REFUSED_CATEGORIES,
    REFUSED_RANGES,
    UserNameError,
    UserStateError,
    check_name,
    name_pattern,
)
from sanctio.designation.workflow import Designation
from sanctio.errors import NotFoundError
from sanctio.registry import Registry
from sanctio.registry.audit import entries, verify


@pytest.fixture
def flow(registry: Registry) -> tuple[Designation, str]:
    """An empty registry's workflow and its first officer's token."""
    designation = Designation(registry)
    return designation, designation.add_user(None, "olga", Role.OFFICER)


def _expire(registry: Registry, name: str, when: datetime) -> None:
    """Set a user's token expiry directly, as time passing would."""
    with Session(registry.writer) as session, session.begin():
        session.execute(update(User).where(User.name == name).values(token_expires_at=when))


def test_new_tokens_expire_after_the_set_days_and_are_refused_after(
    flow: tuple[Designation, str], registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    monkeypatch.setenv("SANCTIO_TOKEN_DAYS", "30")
    token = designation.add_user(officer, "press", Role.VIEWER)
    listed = {u.name: u for u in designation.users.list(officer)}
    expires = listed["press"].token_expires_at
    assert expires is not None
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    assert designation.authenticate(token).name == "press"

    _expire(registry, "press", datetime.now(UTC) - timedelta(seconds=1))
    with pytest.raises(PermissionDeniedError, match=r"token expired on \d{4}-\d\d-\d\d.*rotate"):
        designation.authenticate(token)
    assert designation.users.list(officer)[1].state(datetime.now(UTC)) == "expired"

    monkeypatch.setenv("SANCTIO_TOKEN_DAYS", "0")  # never
    forever = designation.add_user(officer, "archive", Role.VIEWER)
    assert {u.name: u for u in designation.users.list(officer)}["archive"].token_expires_at is None
    _expire(registry, "olga", datetime.now(UTC) + timedelta(days=1))
    assert designation.authenticate(forever).name == "archive"


def test_a_revoked_token_is_refused_at_once_and_rotation_voids_the_old_one(
    flow: tuple[Designation, str],
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    old = designation.add_user(officer, "delegate-de", Role.DELEGATE, "DE")
    delegate = designation.authenticate(old)

    # a user rotates its own token: the old one stops working at once
    new = designation.users.rotate(delegate, "delegate-de").token
    with pytest.raises(PermissionDeniedError, match="unknown token"):
        designation.authenticate(old)
    assert designation.authenticate(new) == delegate
    # but nobody else's, unless an officer
    designation.add_user(officer, "delegate-fr", Role.DELEGATE, "FR")
    with pytest.raises(PermissionDeniedError, match="needs officer"):
        designation.users.rotate(delegate, "delegate-fr")
    with pytest.raises(PermissionDeniedError, match="needs officer"):
        designation.users.revoke(delegate, "delegate-fr")

    revoked = designation.users.revoke(officer, "delegate-de")
    assert revoked.state(datetime.now(UTC)) == "revoked"
    with pytest.raises(PermissionDeniedError, match="token revoked"):
        designation.authenticate(new)
    with pytest.raises(UserStateError, match="revoked already"):
        designation.users.revoke(officer, "delegate-de")
    # an officer's rotation gives a revoked user a new token: reinstated
    again = designation.users.rotate(officer, "delegate-de")
    assert designation.authenticate(again.token).name == "delegate-de"
    with pytest.raises(PermissionDeniedError, match="unknown token"):
        designation.authenticate(new)
    with pytest.raises(NotFoundError, match="no user 'nobody'; users: olga, delegate-de"):
        designation.users.revoke(officer, "nobody")


def test_every_user_change_is_audited_and_no_token_reaches_the_chain(
    flow: tuple[Designation, str], registry: Registry
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    tokens = [officer_token, designation.add_user(officer, "eeas", Role.PROPOSER)]
    designation.users.revoke(officer, "eeas")
    tokens.append(designation.users.rotate(officer, "eeas").token)
    tokens.append(designation.users.rotate(officer, "olga").token)
    records = [(e.actor, e.action, e.subject) for e in entries(registry.engine)]
    assert records == [
        ("olga", "user.added", "user:olga"),
        ("olga", "user.added", "user:eeas"),
        ("olga", "user.revoked", "user:eeas"),
        ("olga", "user.rotated", "user:eeas"),
        ("olga", "user.rotated", "user:olga"),
    ]
    assert entries(registry.engine)[3].payload["reinstated"] is True
    chain = json.dumps([e.to_dict() for e in entries(registry.engine)])
    for token in tokens:
        assert token not in chain
        assert token_hash(token) not in chain
    assert verify(registry.engine).ok


def test_the_last_officer_with_a_valid_token_cannot_be_revoked(
    flow: tuple[Designation, str], registry: Registry
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    with pytest.raises(UserStateError, match="only officer with a valid token"):
        designation.users.revoke(officer, "olga")
    designation.add_user(officer, "piotr", Role.OFFICER)
    _expire(registry, "piotr", datetime.now(UTC) - timedelta(days=1))
    with pytest.raises(UserStateError, match="only officer with a valid token"):
        designation.users.revoke(officer, "olga")  # piotr's token is no longer valid
    designation.users.rotate(officer, "piotr")
    designation.users.revoke(officer, "olga")


def test_without_a_token_only_an_officer_is_rotated_and_only_when_none_holds_a_valid_one(
    flow: tuple[Designation, str], registry: Registry
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    designation.add_user(officer, "press", Role.VIEWER)
    with pytest.raises(PermissionDeniedError, match="no officer holds a valid token"):
        designation.users.rotate(None, "olga")
    _expire(registry, "olga", datetime.now(UTC) - timedelta(days=1))
    with pytest.raises(PermissionDeniedError, match="needs an officer's token"):
        designation.users.rotate(None, "press")
    token = designation.users.rotate(None, "olga").token
    assert designation.authenticate(token).name == "olga"
    assert entries(registry.engine)[-1].actor == RECOVERY


BAD_NAMES = {
    "newline": "olga\nuser.added by mallory",
    "carriage return": "olga\r",
    "tab": "ol\tga",
    "NUL": "ol\x00ga",
    "escape": "\x1b[31mred",
    "right-to-left override": "admin\u202egnp.exe",
    "left-to-right isolate": "\u2066olga",
    "zero-width space": "ol\u200bga",
    "byte order mark": "\ufeffolga",
    "line separator": "olga\u2028x",
    "leading space": " olga",
    "trailing space": "olga ",
    "empty": "",
    "101 characters": "x" * 101,
}


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_user_names_that_could_forge_or_hide_who_acted_are_refused(
    flow: tuple[Designation, str], registry: Registry, name: str
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    with pytest.raises(UserNameError, match=r"^user name: .*expected"):
        designation.add_user(officer, name, Role.VIEWER)
    with registry.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM users")) == 1


@pytest.mark.parametrize("name", ["Ольга Іванова", "delegate-de", "x" * 100, "O'Brien (EEAS)"])
def test_user_names_in_any_script_are_accepted(flow: tuple[Designation, str], name: str) -> None:
    designation, officer_token = flow
    token = designation.add_user(designation.authenticate(officer_token), name, Role.VIEWER)
    assert designation.authenticate(token) == Actor(name, Role.VIEWER)


def test_only_an_officer_lists_users_and_the_list_holds_no_token(
    flow: tuple[Designation, str],
) -> None:
    designation, officer_token = flow
    officer = designation.authenticate(officer_token)
    viewer = designation.authenticate(designation.add_user(officer, "press", Role.VIEWER))
    with pytest.raises(PermissionDeniedError, match="needs officer"):
        designation.users.list(viewer)
    now = datetime.now(UTC)
    shown = [u.to_dict(now) for u in designation.users.list(officer)]
    assert [(u["name"], u["role"], u["state"]) for u in shown] == [
        ("olga", "officer", "active"),
        ("press", "viewer", "active"),
    ]
    assert officer_token not in json.dumps(shown)
    assert token_hash(officer_token) not in json.dumps(shown)


def test_a_typo_in_the_token_days_setting_is_an_error(
    flow: tuple[Designation, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    designation, officer_token = flow
    monkeypatch.setenv("SANCTIO_TOKEN_DAYS", "ninety")
    with pytest.raises(Exception, match="SANCTIO_TOKEN_DAYS: 'ninety'; expected a number"):
        designation.add_user(designation.authenticate(officer_token), "press", Role.VIEWER)


def test_the_api_schema_pattern_refuses_exactly_what_check_name_refuses() -> None:
    refused = {
        code
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF and unicodedata.category(chr(code)) in REFUSED_CATEGORIES
    }
    ranged = {code for low, high in REFUSED_RANGES for code in range(low, high + 1)}
    assert ranged == refused  # Python's Unicode database changed: update REFUSED_RANGES
    pattern = re.compile(name_pattern())
    for name in [*BAD_NAMES.values(), "Ольга Іванова", "delegate-de", "a", "O'Brien (EEAS)"]:
        try:
            check_name(name)
            accepted = True
        except UserNameError:
            accepted = False
        if len(name) <= MAX_NAME:
            assert bool(pattern.match(name)) is accepted, repr(name)
