"""Sanctio's own endpoints (lists, designation, audit, forensics): wiring them into the
app, who is asking, and what each refusal of the workflow is in HTTP.

Every change needs a user's token (``Authorization: Bearer <token>``) whatever the
API's token setting: the workflow records who did it (the one exception: the first
user of an empty registry, an officer, as ``sanctio users add`` makes it). So does
reading the Council's preparatory work (dossiers and their evidence, packages and
positions, incidents, candidates, commission members): it names persons not yet
listed, and a listing only works if they learn of it when their assets are frozen.
What is published (lists, regimes, legal acts, the audit chain's verdict, findings
about precincts) follows the setting, as ``/match`` does; the role decides
restricted evidence and the audit log.

The workflow's refusals become statuses app-wide: a role or member state that may not
act (PermissionDeniedError) 403, a state that does not allow the action
(WorkflowError: the package changed, exists already, is not circulated) 409, an input
that cannot be read (InputError) 400, and a value the database refuses (a NUL
character on PostgreSQL, say) 400 rather than a failure.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, NoReturn

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctio.api.deps import Service, ServiceDep, _api_key
from sanctio.api.models import ErrorResponse
from sanctio.designation.auth import Actor, PermissionDeniedError
from sanctio.designation.workflow import WorkflowError
from sanctio.errors import InputError

#: The token a change needs: a scheme of its own, so that the OpenAPI description can
#: say that reads on an open service need none (``bearer``) while changes always do.
user_token = HTTPBearer(
    auto_error=False,
    scheme_name="UserToken",
    description="A user's token from `sanctio users add`: every change needs one, whatever "
    "SANCTIO_API_REQUIRE_TOKEN says, and the user's role must allow the change.",
)
_READ_SCHEME = "HTTPBearer"

TAGS = [
    {"name": "Lists", "description": "The registry's lists: versions, changes, exports."},
    {
        "name": "Designation",
        "description": "Regimes, dossiers with evidence, packages, member states' positions, "
        "adoption and what follows listing. Changes need a token with the right role.",
    },
    {"name": "Audit", "description": "The hash-chained record of every designation action."},
    {
        "name": "Forensics",
        "description": "Election forensics on uploaded precinct results, and stored findings. "
        "A finding is evidence about a protocol, never an accusation.",
    },
]

_DESCRIPTIONS = {
    400: "Input that cannot be read (a body that is no JSON, an unreadable file)",
    401: "No token, or an unknown, expired or revoked one",
    403: "The user's role (or member state) may not do this",
    404: "No such list, version, regime, dossier, package or incident",
    409: "The current state does not allow it (exists already, package changed...)",
    411: "An upload without a Content-Length",
    413: "The upload is too large",
    415: "A request body of another media type",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The documented error responses of an endpoint, each with the error body."""
    return {code: {"model": ErrorResponse, "description": _DESCRIPTIONS[code]} for code in codes}


def _token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return credentials.credentials if credentials is not None else _api_key(request)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def require_actor(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(user_token)],
) -> Actor:
    """The user a change is made by: a token is always needed, on an open service too."""
    token = _token(request, credentials)
    if not token:
        raise _unauthorized(
            "This needs a user's token: send 'Authorization: Bearer <token>' with a token "
            "from `sanctio users add`."
        )
    try:
        return service.designation.authenticate(token)
    except PermissionDeniedError as exc:
        raise _unauthorized(f"{exc}.") from None


ActorDep = Annotated[Actor, Depends(require_actor)]


def invalid(location: tuple[str | int, ...], message: str, value: Any = None) -> NoReturn:
    """Refuse one field the way FastAPI refuses a malformed request: 422, with where."""
    raise RequestValidationError(
        [{"type": "value_error", "loc": location, "msg": message, "input": value}]
    )


async def _forbidden(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=403)


async def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=409)


async def _bad_input(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


async def _refused_value(_request: Request, exc: Exception) -> JSONResponse:
    """The database refused a value (too long, out of range, a NUL byte): the request's
    fault, said without the database's own message."""
    refused = type(getattr(exc, "orig", exc)).__name__
    detail = (
        f"The database refused a value of this request ({refused}); expected shorter "
        "text, a smaller number or no NUL character."
    )
    return JSONResponse({"detail": detail}, status_code=400)


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, with a 405's ``Allow`` naming every method
    the path takes, as its OpenAPI description lists them: Starlette names only those
    of the first route matching the path (``/regimes`` has one for GET, one for POST)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        allowed = _methods(request.app, request.url.path)
        if allowed:
            exc = StarletteHTTPException(405, exc.detail, {**(exc.headers or {}), "Allow": allowed})
    return await http_exception_handler(request, exc)


def _methods(app: FastAPI, path: str) -> str:
    """The methods the OpenAPI description gives the path template ``path`` matches."""
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods.update(method.upper() for method in operations)
    return ", ".join(sorted(methods))


def _describe_open_reads(app: FastAPI) -> None:
    """On an open service, say in the OpenAPI description that the read endpoints take
    a token but do not need one (an empty ``security`` alternative): FastAPI describes
    any bearer dependency as required. Changes keep their required ``UserToken``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()
        service: Service = app.state.service
        if not service.require_token:
            for operations in spec.get("paths", {}).values():
                for operation in operations.values():
                    if operation.get("security") == [{_READ_SCHEME: []}]:
                        operation["security"] = [{_READ_SCHEME: []}, {}]
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def include_own_routers(app: FastAPI) -> None:
    """Add the lists, designation, audit and forensics endpoints, their tags and the
    statuses of the workflow's refusals to ``app``; a second call changes nothing."""
    if getattr(app.state, "own_routers", False):
        return
    from sanctio.api.routers import audit, designation, forensics, lifecycle, lists

    app.add_exception_handler(PermissionDeniedError, _forbidden)
    app.add_exception_handler(WorkflowError, _conflict)
    app.add_exception_handler(InputError, _bad_input)
    app.add_exception_handler(DataError, _refused_value)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    known = {tag["name"] for tag in app.openapi_tags or []}
    app.openapi_tags = [*(app.openapi_tags or []), *(t for t in TAGS if t["name"] not in known)]
    for module in (lists, designation, lifecycle, audit, forensics):
        app.include_router(module.router)
    app.openapi_schema = None  # described afresh, with the new endpoints
    _describe_open_reads(app)
    app.state.own_routers = True
