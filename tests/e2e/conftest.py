"""A real server with the web pages, and a real browser to drive them.

The server is uvicorn in a thread on a free port, serving the app of ``create_app``
with ``include_web`` over a temporary SQLite registry holding the bundled EU Belarus
list, the 2020 replay (packages, 27 positions each, the published list
``sanctio-blr``), the bundled forensic findings, a restricted evidence item and a list
whose one entity has markup in its name. The browser is Debian's chromium, driven by
Playwright (no browser download): missing, the browser tests skip locally and fail in
CI, as other missing prerequisites do (``tests.conftest.missing``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright
from rich.console import Console

from sanctio.api import create_app
from sanctio.demo import run_forensics_demo
from sanctio.designation.auth import Actor, Role
from sanctio.designation.belarus2020 import replay
from sanctio.designation.workflow import Designation
from sanctio.lists import ParsedList
from sanctio.model import Entity
from sanctio.registry import Registry
from sanctio.settings import Settings
from sanctio.web import include_web
from tests.api import import_belarus
from tests.conftest import missing

CHROMIUM = Path("/usr/bin/chromium")
#: A name a list could carry; on a page it must be text, never markup.
INJECTED_NAME = '<script>alert("name")</script> Ivan INJECTOV'
INJECTED_ID = "web-test-injected-1"
RESTRICTED_SOURCE = "Restricted source: a national intelligence summary"


@dataclass(frozen=True)
class Tokens:
    """Users of the pages: an officer (cleared), a viewer (not cleared), and the
    delegates of Germany, France and Italy."""

    officer: str
    viewer: str
    delegates: dict[str, str]


@dataclass(frozen=True)
class Site:
    """The running server and what the fixture put in its registry."""

    url: str
    db_url: str
    data_dir: Path
    tokens: Tokens
    restricted_dossier: int
    open_package: int


def _prepare(url: str) -> tuple[Tokens, int, int]:
    """The registry the pages show; returns the users' tokens, the dossier with a
    restricted evidence item, and a package circulated and still open."""
    import_belarus(url)
    registry = Registry(url)
    try:
        replay(registry)
        injected = Entity.make("Person", INJECTED_ID, caption=INJECTED_NAME, target=True)
        injected.add("name", INJECTED_NAME)
        injected.add("birthDate", "1970-01-01")
        registry.import_list(
            ParsedList("web-test-injection", "test", Path("injection.json"), [injected])
        )
        workflow = Designation(registry)
        officer = Actor("sanctions-officer", Role.OFFICER)
        proposer = Actor("high-representative", Role.PROPOSER)
        tokens = Tokens(
            workflow.add_user(officer, "web-officer", Role.OFFICER),
            workflow.add_user(officer, "web-viewer", Role.VIEWER),
            {
                state: workflow.add_user(officer, f"delegate-{state}", Role.DELEGATE, state)
                for state in ("DE", "FR", "IT")
            },
        )
        dossier = 1
        workflow.add_evidence(
            proposer,
            dossier,
            source=RESTRICTED_SOURCE,
            description="names the informant",
            sha256="ab" * 32,
            collected_at=datetime(2004, 9, 1, tzinfo=UTC),
            collected_by="high-representative",
            sensitivity="restricted",
        )
        proposed = Entity.make("Person", "web-test-proposed", caption="Ivan PROPOSOV")
        proposed.add("name", "Ivan PROPOSOV")
        number = workflow.propose_dossier(
            proposer, "BLR", proposed, 1, "Responsible for falsifying a precinct protocol."
        )
        package = workflow.create_package(proposer, "BLR", "Open package", [number])
        workflow.circulate(officer, package, date.today())
    finally:
        registry.close()
    run_forensics_demo(Console(file=io.StringIO()), url, tokens.officer, quiet=True)
    return tokens, dossier, package


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app with its pages, served on 127.0.0.1 at a free port until the session ends."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'registry.db'}"
    tokens, dossier, package = _prepare(url)
    app = create_app(Settings(url, folder / "data", True), require_token=False)
    include_web(app)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # the port is ours from here on: no race for it
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="e2e-server", daemon=True
    )
    thread.start()
    base = f"http://127.0.0.1:{port}"
    _wait_ready(base, thread)
    try:
        yield Site(base, url, folder / "data", tokens, dossier, package)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def _wait_ready(base: str, thread: threading.Thread, timeout: float = 30.0) -> None:
    """Until the index of every list is loaded (/readyz), as a deployment would wait."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert thread.is_alive(), "the server thread stopped during start-up"
        assert time.monotonic() < deadline, f"{base} not ready after {timeout} s"
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright."""
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        missing(f"chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=str(executable), args=["--headless", "--no-sandbox"]
        )
        yield found
        found.close()


@dataclass
class Watch:
    """What a page did that a test should know about: dialogs opened (a script ran),
    and errors in the console (a blocked resource, a script error)."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


def new_tab(browser: Browser, watch: Watch) -> Page:
    """A page in a fresh context (no cookies), dialogs recorded and dismissed, console
    errors recorded."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.errors.append(message.text)

    tab.on("dialog", on_dialog)
    tab.on("console", on_console)
    return tab


def sign_in(tab: Page, site: Site, token: str) -> None:
    """Sign in through the form, as a user would."""
    tab.goto(f"{site.url}/ui/login")
    tab.fill("#token", token)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{site.url}/ui/")


#: Where the tests leave screenshots of the pages they checked (CI keeps them).
ARTIFACTS = Path(os.environ.get("SANCTIO_TEST_ARTIFACTS", "build/test-artifacts"))


@pytest.fixture
def page(browser: Browser, watch: Watch, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page; when the test ends, a screenshot of it is saved under
    ``ARTIFACTS/screenshots`` named after the test."""
    tab = new_tab(browser, watch)
    yield tab
    screenshot(tab, request.node.name)
    tab.context.close()


def screenshot(tab: Page, name: str) -> Path:
    """The whole page as a PNG artifact."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
