"""No route writes a screened name to the log (issue 22, finding 10): the access log
kept for months, read by operators, held every name typed into ``/ui/?q=``,
``/ui/search?q=`` and ``/search?q=``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from tests.api import person
from tests.api.live import Live, live_server

#: A name nobody else would log, in both scripts.
NAME = "Lidziya YARMOSHYNA-QUIXOTE"
CYRILLIC = "Лидия Ермошина-Кихот"
_PARAM = re.compile(r"{([^}:]+)(:[^}]*)?}")


def _api_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Each route with its full path, within included routers too (FastAPI keeps an
    included router whole since 0.16x)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            inner = prefix + (getattr(context, "prefix", "") or "")
            yield from _api_routes(route.original_router.routes, inner)


def _get_routes(live: Live) -> list[tuple[str, list[str]]]:
    """Every GET route of the app, its path filled in, with its declared query
    parameters."""
    found = []
    for full, route in _api_routes(live.app.routes):
        if "GET" not in route.methods:
            continue
        path = _PARAM.sub("x", full)
        params = [p.alias for p in route.dependant.query_params]
        for dependency in route.dependant.dependencies:  # the web form's fields
            params += [p.alias for p in dependency.query_params]
        found.append((path, params))
    return found


def _logged(caplog: pytest.LogCaptureFixture, captured: pytest.CaptureFixture[str]) -> str:
    out, err = captured.readouterr()
    # the test's own client (httpx, httpcore) logs the URLs it asks for: not the server
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    return "\n".join([out, err, *(f"{r.name}: {r.getMessage()}" for r in server)])


def test_no_route_logs_a_name_it_was_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every GET route asked with every query parameter it takes (and ``q``) set to a
    name, /match and the login form given it in the body: neither the app's access log
    (standard output) nor uvicorn's (``logging``), nor any other logger, holds it."""
    caplog.set_level(logging.DEBUG)
    asked = 0
    with live_server(tmp_path, access_log=True, uvicorn_access_log=True) as live:
        routes = _get_routes(live)
        paths = {path for path, _ in routes}
        assert {"/ui/", "/ui/search", "/search/x"} <= paths  # the routes that screen
        with httpx.Client(base_url=live.url, timeout=30) as client:
            for name in (NAME, CYRILLIC):
                for path, params in routes:
                    query = dict.fromkeys({*params, "q"}, name)
                    client.get(path, params=query)
                    asked += 1
                client.post("/match/default", json={"queries": {"q1": person(name)}})
                client.post("/match/default", params={"q": name}, json={"queries": {}})
                client.post("/ui/login", data={"name": name, "token": name})
                client.get("/search/default", params={"q": name, "limit": 3})
    logged = _logged(caplog, capsys)  # the app's lines are flushed when it stops
    assert asked > 20
    assert "GET /ui/search?" in logged  # the lines are there...
    assert "q=*" in logged  # ...with the parameters named, their values not
    for word in ("YARMOSHYNA", "QUIXOTE", "Lidziya", "Ермошина", "Кихот", "%D0%95"):
        assert word not in logged, word
