"""What the API tests share: a registry with the bundled EU Belarus list, and an app
over it, started (lifespan run, index warmed up) the way a server starts it."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from sanctio.api import create_app
from sanctio.lists import read_list
from sanctio.registry import Registry
from sanctio.settings import Settings

with warnings.catch_warnings():
    # Starlette's test client asks for httpx2 over httpx; both work (a dependency choice)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

BELARUS = "eu-32006R0765"
LUKASHENKA = "eu-32006r0765-i-a-45"
VIKTAR = "eu-32006r0765-i-a-46"


def import_belarus(url: str, path: Path | None = None, name: str | None = None) -> None:
    """Import the bundled Belarus file (or an edited copy) into the registry at ``url``."""
    registry = Registry(url)
    try:
        if path is None:
            source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
            with resources.as_file(source) as bundled:
                registry.import_list(read_list(bundled), name)
        else:
            registry.import_list(read_list(path), name)
    finally:
        registry.close()


def make_app(url: str, data_dir: Path, require_token: bool | None = None) -> FastAPI:
    return create_app(Settings(url, data_dir, True), require_token=require_token)


def wait_ready(client: TestClient, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, client.get("/readyz").json()
        time.sleep(0.02)


@contextmanager
def started(app: FastAPI, headers: dict[str, str] | None = None) -> Iterator[TestClient]:
    """A client of ``app`` once its start-up warm-up has loaded the index."""
    with TestClient(app, headers=headers) as client:
        wait_ready(client)
        yield client


@contextmanager
def open_belarus_service(folder: Path) -> Iterator[TestClient]:
    """An open service (no token needed) over an SQLite registry in ``folder`` holding
    the Belarus list, started and ready (read-only tests share one per module)."""
    url = f"sqlite:///{folder / 'registry.db'}"
    import_belarus(url)
    with started(make_app(url, folder, require_token=False)) as client:
        yield client


def person(name: str | list[str], **properties: Any) -> dict[str, Any]:
    """A yente query example for a person."""
    return {"schema": "Person", "properties": {"name": name, **properties}}
