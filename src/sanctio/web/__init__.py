"""Server-rendered web pages over the registry: screening, entities, lists and their
changes, packages with the member states' positions, dossiers, the audit chain and
forensic findings (Jinja2 and htmx, no build step).

``include_web(app)`` adds them to the API's app under ``/ui/``; the pages call the same
screening, registry and workflow code as the API and the CLI.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
#: Where the static files are served, and their route's name (by which a second call
#: of ``include_web`` sees that the pages are there already).
STATIC_PATH = "/ui/static"
STATIC_NAME = "ui-static"


def include_web(app: FastAPI) -> None:
    """Mount the pages and their static files (htmx, CSS) on ``app``; a second call
    changes nothing, so an app factory and a test may both call it."""
    # imported here: the pages import the API's modules, and sanctio.api.app may
    # import this package at its top
    from sanctio import settings
    from sanctio.web import audit, designation, entities, forensics, lists, login, screening
    from sanctio.web import users as user_pages
    from sanctio.web.core import router

    # each module adds its pages to ``router``; they are all imported before it is included
    del audit, designation, entities, forensics, lists, login, screening, user_pages
    settings.cookie_secure()  # a typo in SANCTIO_COOKIE_SECURE stops the start, not a sign-in

    if any(getattr(route, "name", None) == STATIC_NAME for route in app.routes):
        return
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name=STATIC_NAME)
    app.include_router(router)


__all__ = ["include_web"]
