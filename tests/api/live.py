"""A real uvicorn server in a thread, for the tests that need real sockets: bodies
sent as they are, concurrent requests, the access log a deployment writes."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from sanctio.api import create_app
from sanctio.settings import Settings
from tests.api import import_belarus


@dataclass(frozen=True)
class Live:
    url: str
    port: int
    app: FastAPI
    db_url: str


@contextmanager
def live_server(
    folder: Path, access_log: bool = False, uvicorn_access_log: bool = False
) -> Iterator[Live]:
    """An open service over a registry holding the Belarus list, served by uvicorn on
    a free port of 127.0.0.1, ready (index loaded). ``uvicorn_access_log``: uvicorn
    logs each request through ``logging`` (as ``uvicorn --factory`` would), not
    configuring logging itself, so that pytest's caplog sees the records."""
    url = f"sqlite:///{folder / 'registry.db'}"
    import_belarus(url)
    app = create_app(
        Settings(url, folder / "data", True), require_token=False, access_log=access_log
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="info", lifespan="on", access_log=uvicorn_access_log, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="live-server", daemon=True
    )
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert thread.is_alive(), "the server thread stopped during start-up"
        assert time.monotonic() < deadline, f"{base} not ready"
        time.sleep(0.05)
    try:
        yield Live(base, port, app, url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
