"""The web pages' sign-in cookie: HttpOnly and SameSite=Strict always, ``Secure`` as
SANCTIO_COOKIE_SECURE says, so that behind a TLS proxy (which Sanctio sees as http)
the token is still never sent in clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.errors import SanctioError
from sanctio.registry import Registry
from tests.api import TestClient, make_app, started


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    folder = tmp_path_factory.mktemp("cookie")
    url = f"sqlite:///{folder / 'registry.db'}"
    registry = Registry(url)
    token = Designation(registry).add_user(None, "olga", Role.OFFICER)
    registry.close()
    with started(make_app(url, folder / "data", require_token=False)) as client:
        yield client, token


@pytest.mark.parametrize(
    ("setting", "scheme", "secure"),
    [
        ("auto", "http", False),
        ("auto", "https", True),
        ("", "http", False),
        ("true", "http", True),  # behind a TLS proxy
        ("false", "https", False),
    ],
)
def test_the_cookie_is_secure_as_the_setting_says(
    served: tuple[TestClient, str],
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    scheme: str,
    secure: bool,
) -> None:
    client, token = served
    monkeypatch.setenv("SANCTIO_COOKIE_SECURE", setting)
    signed_in = client.post(
        f"{scheme}://testserver/ui/login", data={"token": token}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"].lower()
    assert cookie.startswith("sanctio_token=")
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/ui" in cookie
    assert ("; secure" in cookie) is secure, cookie


def test_a_typo_in_the_cookie_setting_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANCTIO_COOKIE_SECURE", "yes please")
    with pytest.raises(SanctioError, match="SANCTIO_COOKIE_SECURE: 'yes please'; expected auto"):
        make_app(f"sqlite:///{tmp_path / 'r.db'}", tmp_path, require_token=False)
