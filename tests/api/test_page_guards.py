"""Every web page reads with the same role as its API counterpart, on an open service
and on one that requires a token: the test walks every ``/ui`` route of the app, so a
page added without a guard (or without saying which endpoint it mirrors) fails here.

Rules, as the API has them (``api/routers/own.py``): *reader* endpoints (lists,
entities, screening, findings) need a token of any role only when the service
requires one; *member* endpoints (the Council's preparatory work: packages, dossiers,
commissions) always need a token; *officer* endpoints (the audit records, the users)
need an officer. A page refuses as its counterpart does: nobody signed in is sent to
the sign-in form, a signed-in user without the role gets 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from httpx import Response

from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from sanctio.web.core import COOKIE
from tests.api import TestClient, make_app, started

ANONYMOUS, READER, MEMBER, OFFICER = "anonymous", "reader", "member", "officer"

#: Each page (method, route path) with its API counterpart (method, an example URL)
#: and the rule they share. Pages that only sign in or out have no counterpart.
PAGES: dict[tuple[str, str], tuple[str, tuple[str, str] | None]] = {
    ("GET", "/ui/"): (READER, ("GET", "/search/default?q=x")),
    ("GET", "/ui/search"): (READER, ("GET", "/search/default?q=x")),
    ("GET", "/ui/lists"): (READER, ("GET", "/lists")),
    ("GET", "/ui/lists/{name}"): (READER, ("GET", "/lists/x")),
    ("GET", "/ui/lists/{name}/diff"): (READER, ("GET", "/lists/x/diff?from_version=1")),
    ("GET", "/ui/lists/{name}/annex"): (READER, ("GET", "/lists/x/export")),
    ("GET", "/ui/entities/{entity_id:path}"): (READER, ("GET", "/entities/x")),
    ("GET", "/ui/forensics"): (READER, ("GET", "/forensics/findings")),
    ("POST", "/ui/forensics/report"): (READER, ("POST", "/forensics/report")),
    ("GET", "/ui/forensics/commissions"): (MEMBER, ("GET", "/forensics/commissions")),
    ("GET", "/ui/packages"): (MEMBER, ("GET", "/packages")),
    ("GET", "/ui/packages/{package_id}"): (MEMBER, ("GET", "/packages/1")),
    ("GET", "/ui/packages/{package_id}/board"): (MEMBER, ("GET", "/packages/1")),
    ("POST", "/ui/packages/{package_id}/position"): (MEMBER, ("PUT", "/packages/1/positions/DE")),
    ("GET", "/ui/dossiers/{dossier_id}"): (MEMBER, ("GET", "/dossiers/1")),
    ("GET", "/ui/audit"): (OFFICER, ("GET", "/audit/log")),
    ("GET", "/ui/users"): (OFFICER, ("GET", "/users")),
    ("GET", "/ui/login"): (ANONYMOUS, None),
    ("POST", "/ui/login"): (ANONYMOUS, None),
    ("POST", "/ui/logout"): (ANONYMOUS, None),
}
#: A value for each path parameter a page takes.
EXAMPLES = {"name": "x", "entity_id": "x", "package_id": "1", "dossier_id": "1"}


def ui_routes(client: TestClient) -> set[tuple[str, str]]:
    """(method, path) of every page route of the app (static files aside)."""
    found = set()
    for route in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if route.path.startswith("/ui") and route.methods:
            found.update((method, route.path) for method in route.methods - {"HEAD"})
    return found


def page_url(path: str) -> str:
    for name, value in EXAMPLES.items():
        path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
    assert "{" not in path, f"no example for a parameter of {path}"
    return path


@dataclass(frozen=True)
class Tokens:
    officer: str
    delegate: str
    viewer: str


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("guards")


@pytest.fixture(scope="module")
def tokens(folder: Path) -> Tokens:
    registry = Registry(f"sqlite:///{folder / 'registry.db'}")
    try:
        workflow = Designation(registry)
        officer = workflow.add_user(None, "officer", Role.OFFICER)
        actor = workflow.authenticate(officer)
        return Tokens(
            officer,
            workflow.add_user(actor, "delegate-de", Role.DELEGATE, "DE"),
            workflow.add_user(actor, "press", Role.VIEWER),
        )
    finally:
        registry.close()


@pytest.fixture(scope="module", params=[True, False], ids=["token-required", "open"])
def client(request: pytest.FixtureRequest, folder: Path, tokens: Tokens) -> Iterator[TestClient]:
    app = make_app(f"sqlite:///{folder / 'registry.db'}", folder / "data", request.param)
    with started(app) as client:
        yield client


def _page(client: TestClient, method: str, path: str, token: str | None) -> Response:
    headers = {"Cookie": f"{COOKIE}={token}"} if token else {}
    return client.request(method, page_url(path), headers=headers, follow_redirects=False)


def _api(client: TestClient, method: str, url: str, token: str | None) -> Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(method, url, headers=headers)


def page_refusal(response: Response) -> str | None:
    """How a page refused: 'sign in' (sent to the form), 'forbidden', or None."""
    if response.status_code == 303 and "/ui/login?next=" in response.headers["location"]:
        return "sign in"
    if response.status_code == 403:
        return "forbidden"
    return None


def api_refusal(response: Response) -> str | None:
    """How the API refused: 'sign in' (401), 'forbidden' (403), or None."""
    return {401: "sign in", 403: "forbidden"}.get(response.status_code)


def expected(rule: str, who: str, token_required: bool) -> str | None:
    """The refusal a rule gives a reader: nobody ('anonymous'), or a signed-in
    delegate, viewer or officer."""
    if rule == ANONYMOUS or who == "officer":
        return None
    if who == "anonymous":
        return "sign in" if rule in (MEMBER, OFFICER) or token_required else None
    return "forbidden" if rule == OFFICER else None


def test_every_page_is_listed_with_its_rule(client: TestClient) -> None:
    routes = ui_routes(client)
    unlisted = routes - set(PAGES)
    assert not unlisted, (
        f"pages without a rule in PAGES (say which API endpoint they mirror): {unlisted}"
    )
    assert set(PAGES) <= routes, f"PAGES names pages the app lacks: {set(PAGES) - routes}"


@pytest.mark.parametrize("page", list(PAGES), ids=[f"{m} {p}" for m, p in PAGES])
def test_a_page_refuses_whom_its_api_counterpart_refuses(
    client: TestClient, tokens: Tokens, page: tuple[str, str]
) -> None:
    rule, counterpart = PAGES[page]
    token_required = client.app.state.service.require_token  # type: ignore[attr-defined]
    readers = {
        "anonymous": None,
        "delegate": tokens.delegate,
        "viewer": tokens.viewer,
        "officer": tokens.officer,
    }
    for who, token in readers.items():
        want = expected(rule, who, token_required)
        got = page_refusal(_page(client, *page, token))
        assert got == want, f"{page} read by {who}: {got or 'shown'}, expected {want or 'shown'}"
        if counterpart is not None:
            api = api_refusal(_api(client, *counterpart, token))
            assert api == want, f"API {counterpart} for {who}: {api}, the page's rule {want}"
