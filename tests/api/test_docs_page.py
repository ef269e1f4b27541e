"""``/docs`` from the package's own files (issue 22, finding 18): FastAPI's page loaded
swagger-ui from a CDN, unpinned, without integrity, and could be framed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live import Live, live_server
from tests.conftest import missing

CHROMIUM = Path("/usr/bin/chromium")
STATIC = Path(__file__).parents[2] / "src" / "sanctio" / "web" / "static"
#: The published files' SHA-256 (npm swagger-ui-dist@5.36.0), as web/static/SOURCE.md
#: records them.
PINNED = {
    "swagger-ui-bundle.js": "b164c5a22535e40dae08c00271674a67e437ec195098c55fcedf8ffac7ac3c88",
    "swagger-ui.css": "7eb9f5a125e4bc9b3f0b71869b66d1a3d7c501f972f53d44ef91c2ae6c5bda5e",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("docs")) as server:
        yield server


def test_docs_load_nothing_from_elsewhere_and_cannot_be_framed(live: Live) -> None:
    page = httpx.get(f"{live.url}/docs")
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy  # no inline script, no other origin
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), page.text
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text)
    assert len(assets) == 3
    for asset in assets:
        served = httpx.get(f"{live.url}{asset}")
        assert served.status_code == 200, asset
        name = asset.rsplit("/", 1)[1]
        if name in PINNED:
            assert hashlib.sha256(served.content).hexdigest() == PINNED[name]
    assert httpx.get(f"{live.url}/redoc").status_code == 404


def test_the_pinned_files_are_the_ones_recorded() -> None:
    source = (STATIC / "SOURCE.md").read_text()
    for name, digest in PINNED.items():
        assert hashlib.sha256((STATIC / "swagger-ui" / name).read_bytes()).hexdigest() == digest
        assert digest in source


def test_docs_render_in_a_browser_with_every_other_origin_blocked(live: Live) -> None:
    """Real chromium, every request to another origin refused: the operations show."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not installed")
    from playwright.sync_api import Route, sync_playwright

    elsewhere: list[str] = []
    errors: list[str] = []

    def only_here(route: Route) -> None:
        if route.request.url.startswith(live.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", only_here)
            page.goto(f"{live.url}/docs")
            page.wait_for_selector(
                '.opblock-summary-path[data-path="/match/{dataset}"]', timeout=20_000
            )
            assert page.locator(".opblock").count() > 10
        finally:
            browser.close()
    assert elsewhere == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
