"""What every page under ``/ui/`` shares: the router, rendering, who is reading, and
how errors become pages.

Each page reads through the same code as the API and the CLI (the app's cached
screeners, ``Registry``, ``Designation``, ``audit.verify``, ``Findings``) and renders a
Jinja2 template with autoescaping on, so list data and what a user typed are always
shown as text. Who is signed in is a token in the ``sanctio_token`` cookie, set by
``/ui/login``: it decides whether restricted evidence is shown, whether the Council's
preparatory work (packages, dossiers, commission members) opens at all, as the API
decides it, and lets a delegate record a position; when the service requires a token,
no page opens without one.

Each page reads with the role its API counterpart needs, through one of three
dependencies: ``ReaderDep`` (a published page: signed in only when the service requires
a token), ``MemberDep`` (preparatory work: any signed-in user) and ``OfficerDep`` (the
audit records, the users: an officer). The token is authenticated again on every page,
so a token that expires or is revoked ends the session on the next request.
``tests/api/test_page_guards.py`` checks every page against its endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sanctio import __version__
from sanctio.api.deps import ServiceDep
from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.errors import NotFoundError, SanctioError
from sanctio.names import cyrillic_language, word_script

PREFIX = "/ui"
#: The cookie holding a signed-in user's token (the token itself: it is checked on
#: each page, as the API checks a bearer token; only its hash is stored server-side).
COOKIE = "sanctio_token"
COOKIE_MAX_AGE = 8 * 3600
#: Who reads a page nobody signed in to: public evidence only.
ANONYMOUS = Actor("anonymous", Role.VIEWER)

#: Positions a state can take, in the order the legend shows them, with their label.
POSITION_LABELS = {
    "agree": "agree",
    "abstain": "abstain",
    "constructive_abstention": "constructive abstention",
    "scrutiny_reserve": "scrutiny reserve",
    "block": "block",
}

#: No script or style from anywhere but these pages' own static files; htmx needs
#: neither eval nor inline code (its config meta tag turns both off).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


# -- rendering -------------------------------------------------------------------------


def name_lang(text: str | None) -> str | None:
    """The language of a name written mostly in Cyrillic (``be`` when only Belarusian
    spells it so, else the likeliest), for its ``lang`` attribute; None for Latin,
    whose romanizations are read as the page's language."""
    if not text:
        return None
    scripts = [word_script(word) for word in text.split()]
    if scripts.count("cyrillic") <= scripts.count("latin"):
        return None
    return cyrillic_language(text)[0]


LANGUAGES = {"be": "Belarusian", "ru": "Russian", "uk": "Ukrainian"}


def script_label(text: str) -> str:
    """'Latin', or 'Cyrillic (Belarusian)' / 'Cyrillic (Russian or Ukrainian)'."""
    scripts = [word_script(word) for word in text.split()]
    if scripts.count("cyrillic") > scripts.count("latin"):
        languages = " or ".join(LANGUAGES.get(c, c) for c in cyrillic_language(text))
        return f"Cyrillic ({languages})"
    return "Latin" if "latin" in scripts else "other"


def label(prop: str) -> str:
    """A property's name for a reader: ``birthDate`` is 'Birth date'."""
    words = re.sub(r"(?<=[a-z])([A-Z])", r" \1", prop).lower()
    return words[:1].upper() + words[1:]


def segment(value: str) -> str:
    """One URL path segment: an id with a slash or a space stays one segment."""
    return quote(str(value), safe="")


def safe_url(value: str) -> str | None:
    """A link target from list data only when it is http(s): never ``javascript:``."""
    return value if urlsplit(value).scheme.lower() in ("http", "https") else None


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lang"] = name_lang
    env.filters["script"] = script_label
    env.filters["segment"] = segment
    env.filters["label"] = label
    env.filters["safe_url"] = safe_url
    env.globals["version"] = __version__
    env.globals["position_labels"] = POSITION_LABELS
    return env


templates = Jinja2Templates(env=_environment())


def ui_base(request: Request) -> str:
    """Where the pages are, behind a proxy's path prefix too."""
    return str(request.scope.get("root_path", "")).rstrip("/") + PREFIX


def render(
    request: Request,
    template: str,
    actor: Actor | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A page (or partial) with what every page needs: where links point, who reads."""
    base = ui_base(request)
    context.setdefault("section", "")
    context.update(ui=base, static=base + "/static", actor=actor, request=request)
    return templates.TemplateResponse(
        request,
        template,
        context,
        status_code=status,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


class LoginRequiredError(Exception):
    """The service requires a token and this browser has none (or an unknown one)."""


class PageRoute(APIRoute):
    """Routes that answer errors with a page, not the API's JSON: an unknown list or
    entity is a 404 page, a bad parameter a 400 page, a missing token the login form."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequiredError:
                path = request.url.path
                wanted = path + (f"?{request.url.query}" if request.url.query else "")
                target = f"{ui_base(request)}/login?{urlencode({'next': wanted})}"
                if request.headers.get("HX-Request") == "true":
                    # htmx would swap the login page into the results: load it instead
                    return Response(status_code=200, headers={"HX-Redirect": target})
                return RedirectResponse(target, status_code=303)
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
                )
                return error_page(request, 400, "Bad request", problems)
            except NotFoundError as exc:
                return error_page(request, 404, "Not found", str(exc))
            except PermissionDeniedError as exc:
                return error_page(request, 403, "Forbidden", f"{exc}.")
            except SanctioError as exc:
                return error_page(request, 500, "The registry refused", str(exc))

        return page


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", None, status, title=title, message=message)


def page_reader(request: Request, service: ServiceDep) -> Actor | None:
    """Who signed in to this browser, or nobody; a service that requires a token
    sends nobody to the login form instead."""
    token = request.cookies.get(COOKIE)
    actor = None
    if token:
        try:
            actor = service.designation.authenticate(token)
        except PermissionDeniedError:
            actor = None
    if actor is None and service.require_token:
        raise LoginRequiredError
    return actor


ReaderDep = Annotated[Actor | None, Depends(page_reader)]


def page_member(actor: ReaderDep) -> Actor:
    """A signed-in user, whatever the service's token setting: the Council's
    preparatory work names persons not yet listed (as ``/dossiers`` in the API)."""
    if actor is None:
        raise LoginRequiredError
    return actor


MemberDep = Annotated[Actor, Depends(page_member)]


def page_officer(actor: MemberDep) -> Actor:
    """An officer signed in, as the API's officer-only endpoints (``/audit/log``,
    ``/users``) need: nobody signed in goes to the login form, another role gets 403."""
    actor.require(Role.OFFICER)
    return actor


OfficerDep = Annotated[Actor, Depends(page_officer)]

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)


def same_origin(request: Request) -> bool:
    """A form posted from these pages, not from another site (the browser says so)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host
