"""Signing in with a user's token, kept in a cookie for these pages only."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from sanctio import settings
from sanctio.api.deps import ServiceDep
from sanctio.designation.auth import PermissionDeniedError
from sanctio.web.core import (
    COOKIE,
    COOKIE_MAX_AGE,
    error_page,
    render,
    router,
    same_origin,
    ui_base,
)

# -- signing in ------------------------------------------------------------------------


def _next_page(request: Request, wanted: str) -> str:
    """Where to go after signing in: a page of this site, never another site."""
    base = ui_base(request)
    if wanted.startswith(base + "/") and not wanted.startswith("//"):
        return wanted
    return base + "/"


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    """The form to paste a token into."""
    return render(
        request, "login.html", None, section="login", next=_next_page(request, next), error=None
    )


@router.post("/login")
async def login(request: Request, service: ServiceDep) -> Response:
    """Check the token and keep it in a cookie for these pages only."""
    if not same_origin(request):
        return error_page(request, 403, "Forbidden", "This form can only be sent from these pages.")
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = form.get("token", [""])[0].strip()
    wanted = _next_page(request, form.get("next", [""])[0])
    try:
        await run_in_threadpool(service.designation.authenticate, token)
    except PermissionDeniedError as exc:
        return render(
            request, "login.html", None, 401, section="login", next=wanted, error=f"{exc}."
        )
    response = RedirectResponse(wanted, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        path=ui_base(request),
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
    )
    return response


def cookie_secure(request: Request) -> bool:
    """Whether the cookie is sent over https only: SANCTIO_COOKIE_SECURE, else (``auto``)
    when this request came over https. Behind a TLS proxy Sanctio sees http, so the
    proxy's operator sets ``true`` (or has uvicorn trust the proxy's headers)."""
    configured = settings.cookie_secure()
    return request.url.scheme == "https" if configured is None else configured


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Forget the token in this browser."""
    if not same_origin(request):
        return error_page(request, 403, "Forbidden", "This form can only be sent from these pages.")
    response = RedirectResponse(ui_base(request) + "/", status_code=303)
    response.delete_cookie(COOKIE, path=ui_base(request), httponly=True, samesite="strict")
    return response
