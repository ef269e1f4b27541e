"""The pages under ``/ui/``: each reads through the same code as the API and the CLI
(the app's cached screeners, ``Registry``, ``Designation``, ``audit.verify``,
``Findings``) and renders a Jinja2 template with autoescaping on, so list data and
what a user typed are always shown as text.

Screening results are swapped in by htmx from ``/ui/search``; the same form works
without JavaScript as a plain GET of ``/ui/``. Pages are read-only: who is signed in
(a token in the ``sanctio_token`` cookie, set by ``/ui/login``) only decides whether
restricted evidence is shown, and, when the service requires a token, whether the
pages open at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio import __version__
from sanctio.api.deps import DEFAULT, Service, ServiceDep, UnknownDatasetError
from sanctio.api.routers.catalog import regimes
from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.designation.consensus import Decision, MemberState
from sanctio.designation.lifecycle import Lifecycle
from sanctio.designation.records import (
    Dossier,
    EvidenceItem,
    LegalAct,
    Package,
    PackageDossier,
    PositionRecord,
    Regime,
)
from sanctio.designation.workflow import Evidence
from sanctio.display import DETAILS, NAME_LABELS
from sanctio.errors import NotFoundError, SanctioError
from sanctio.forensics.findings import NOT_AN_ACCUSATION, CommissionFindings, Findings
from sanctio.model import NAME_PROPERTIES, Entity
from sanctio.model.schema import target_schema_names
from sanctio.names import cyrillic_language, word_script
from sanctio.registry import EntityView, VersionInfo
from sanctio.registry.audit import AuditEntry, entries, verify
from sanctio.screening import DEFAULT_THRESHOLD, Match, QueryError
from sanctio.screening import Query as ScreeningQuery

PREFIX = "/ui"
#: The cookie holding a signed-in user's token (the token itself: it is checked on
#: each page, as the API checks a bearer token; only its hash is stored server-side).
COOKIE = "sanctio_token"
COOKIE_MAX_AGE = 8 * 3600
#: Who reads a page nobody signed in to: public evidence only.
ANONYMOUS = Actor("anonymous", Role.VIEWER)
MAX_RESULTS = 100
COMMISSIONS_PER_PAGE = 50
AUDIT_SHOWN = 50

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
                return _error(request, 400, "Bad request", problems)
            except NotFoundError as exc:
                return _error(request, 404, "Not found", str(exc))
            except SanctioError as exc:
                return _error(request, 500, "The registry refused", str(exc))

        return page


def _error(request: Request, status: int, title: str, message: str) -> Response:
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

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)


# -- screening -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchForm:
    """What the screening form sent, echoed back into the form."""

    q: str = ""
    birth_date: str = ""
    country: str = ""
    schema: str = "Thing"
    dataset: str = DEFAULT
    limit: int = 10

    def params(self) -> str:
        """The page's own query string, for the address bar and links."""
        defaults = asdict(SearchForm())
        return urlencode({k: v for k, v in asdict(self).items() if v != defaults[k]})


@dataclass
class SearchOutcome:
    form: SearchForm
    matches: list[Match] = field(default_factory=list)
    error: str | None = None
    searched: bool = False
    threshold: float = DEFAULT_THRESHOLD

    @property
    def alerts(self) -> int:
        return sum(1 for m in self.matches if m.comparison.match)


def screen(service: Service, form: SearchForm) -> SearchOutcome:
    """The form's query through the app's screener for the chosen dataset: alerts at
    or above the threshold first, then close names below it."""
    outcome = SearchOutcome(form)
    if not form.q.strip():
        return outcome
    outcome.searched = True
    try:
        query = ScreeningQuery.make(
            form.q,
            schema=form.schema or "Thing",
            birth_date=form.birth_date.strip() or None,
            country=form.country.strip() or None,
        )
        dataset = service.dataset(form.dataset or DEFAULT)
    except (QueryError, UnknownDatasetError) as exc:
        outcome.error = str(exc)
        return outcome
    outcome.matches = service.screener(dataset).screen(query, DEFAULT_THRESHOLD, form.limit)
    return outcome


SCHEMA_CHOICES = [("Thing", "any"), *((name, name) for name in target_schema_names())]

Text = Annotated[str, Query(max_length=1000)]


def _search_form(
    q: Text = "",
    birth_date: Annotated[str, Query(max_length=10)] = "",
    country: Annotated[str, Query(max_length=100)] = "",
    schema: Annotated[str, Query(max_length=50)] = "Thing",
    dataset: Annotated[str, Query(max_length=200)] = DEFAULT,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 10,
) -> SearchForm:
    return SearchForm(q, birth_date, country, schema, dataset, limit)


FormDep = Annotated[SearchForm, Depends(_search_form)]


def _screening(
    request: Request, service: Service, actor: Actor | None, form: SearchForm, partial: bool
) -> Response:
    outcome = screen(service, form)
    status = 400 if outcome.error and not partial else 200
    context: dict[str, Any] = {"outcome": outcome, "form": form}
    if partial:
        # the address bar shows the full page for this search, so that it can be
        # bookmarked, reloaded or opened without JavaScript
        address = f"{ui_base(request)}/" + (f"?{form.params()}" if form.params() else "")
        headers = {"HX-Push-Url": address, "Vary": "HX-Request"}
        return render(request, "_results.html", actor, status, headers, **context)
    lists = [info.name for info in service.registry.lists()]
    return render(
        request,
        "screening.html",
        actor,
        status,
        {"Vary": "HX-Request"},
        section="screening",
        schemas=SCHEMA_CHOICES,
        datasets=[DEFAULT, *lists],
        **context,
    )


@router.get("/")
def screening_page(
    request: Request, service: ServiceDep, actor: ReaderDep, form: FormDep
) -> Response:
    """The screening form, with results when a name was sent (the form without JS)."""
    return _screening(request, service, actor, form, partial=False)


@router.get("/search")
def search_results(
    request: Request, service: ServiceDep, actor: ReaderDep, form: FormDep
) -> Response:
    """Results only, for htmx to swap in; a plain request gets the whole page."""
    htmx = request.headers.get("HX-Request") == "true"
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    return _screening(request, service, actor, form, partial=htmx and not restoring)


# -- entities --------------------------------------------------------------------------


@dataclass(frozen=True)
class Spelling:
    value: str
    kind: str
    script: str
    lang: str | None


def spellings(entity: Entity) -> list[Spelling]:
    """Every spelling of the entity's name, with its kind and script."""
    return [
        Spelling(value, NAME_LABELS.get(prop, prop), script_label(value), name_lang(value))
        for prop in NAME_PROPERTIES
        for value in entity.get(prop)
    ]


def identifying(entity: Entity) -> list[tuple[str, list[str]]]:
    """Birth date, nationality, position... and identifier numbers, in a fixed order."""
    found = [(prop, entity.get(prop)) for prop in DETAILS if entity.get(prop)]
    for prop, values in entity.properties.items():
        spec = entity.schema.get(prop)
        if spec is not None and spec.type == "identifier" and prop != "programId":
            found.append((prop, list(values)))
    return found


def properties(entity: Entity) -> list[tuple[str, str, list[str]]]:
    """(property, its type, values) for every property, for the full record."""
    return [
        (prop, spec.type if (spec := entity.schema.get(prop)) else "string", values)
        for prop, values in sorted(entity.properties.items())
    ]


@router.get("/entities/{entity_id:path}")
def entity_page(
    request: Request, entity_id: str, service: ServiceDep, actor: ReaderDep
) -> Response:
    """An entity as the newest list version holding it has it, with its sanctions and
    the list versions it appears in."""
    view: EntityView = service.registry.entity(entity_id)
    related = view.related
    listed = sorted(name for name, found in view.appearances.items() if view.current[name] in found)
    documents = [e for e in related if e.schema.is_a("Identification")]
    return render(
        request,
        "entity.html",
        actor,
        section="screening",
        view=view,
        entity=view.entity,
        spellings=spellings(view.entity),
        identifying=identifying(view.entity),
        sanctions=[e for e in related if e.schema.name == "Sanction"],
        documents=documents,
        others=[e for e in related if e.schema.name != "Sanction" and e not in documents],
        properties=properties(view.entity),
        listed=listed,
    )


# -- lists -----------------------------------------------------------------------------


@router.get("/lists")
def lists_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """Every list with its current version, and which regime publishes it."""
    items: list[VersionInfo] = service.registry.lists()
    return render(
        request,
        "lists.html",
        actor,
        section="lists",
        lists=items,
        regimes=regimes(service.registry),
    )


@router.get("/lists/{name}")
def list_page(request: Request, name: str, service: ServiceDep, actor: ReaderDep) -> Response:
    """A list's versions, oldest first, with the changes each made."""
    versions = service.registry.versions(name)
    return render(
        request,
        "list.html",
        actor,
        section="lists",
        name=name,
        versions=versions,
        regime=regimes(service.registry).get(name),
    )


@router.get("/lists/{name}/diff")
def diff_page(
    request: Request,
    name: str,
    service: ServiceDep,
    actor: ReaderDep,
    old: Annotated[int | None, Query(ge=1)] = None,
    new: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Targets added, removed and changed between two versions (default: the last two)."""
    diff = service.registry.diff(name, old, new)
    return render(
        request,
        "diff.html",
        actor,
        section="lists",
        name=name,
        diff=diff,
        versions=service.registry.versions(name),
    )


# -- packages and dossiers -------------------------------------------------------------


@dataclass(frozen=True)
class PackageRow:
    id: int
    regime: str
    title: str
    status: str
    outcome: str | None
    rule: str
    circulated_on: date | None
    dossiers: int


def package_rows(service: Service) -> list[PackageRow]:
    """Every package, newest last, with its regime and number of dossiers."""
    count = (
        select(PackageDossier.package_id, func.count().label("n"))
        .group_by(PackageDossier.package_id)
        .subquery()
    )
    with Session(service.registry.engine) as session:
        rows = session.execute(
            select(Package, Regime.code, count.c.n)
            .join(Regime, Regime.id == Package.regime_id)
            .outerjoin(count, count.c.package_id == Package.id)
            .order_by(Package.id)
        ).all()
        return [
            PackageRow(
                p.id, code, p.title, p.status, p.outcome, p.rule, p.circulated_on, int(n or 0)
            )
            for p, code, n in rows
        ]


@dataclass(frozen=True)
class DossierRow:
    id: int
    entity_id: str
    caption: str
    criterion: int
    status: str
    listed_on: date | None


def _dossier_row(dossier: Dossier) -> DossierRow:
    entity = Entity.from_dict(dossier.entity, trusted=True)
    return DossierRow(
        dossier.id,
        dossier.entity_id,
        entity.caption or entity.id,
        dossier.criterion,
        dossier.status,
        dossier.listed_on,
    )


@dataclass(frozen=True)
class StatePosition:
    state: MemberState
    position: str | None
    statement: str
    counted: bool


def subject_history(service: Service, subject: str) -> list[AuditEntry]:
    """The audit records about one package or dossier, oldest first."""
    return [entry for entry in entries(service.registry.engine) if entry.subject == subject]


@router.get("/packages")
def packages_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """Every package of every regime: its status and the decision so far."""
    return render(
        request, "packages.html", actor, section="packages", packages=package_rows(service)
    )


@router.get("/packages/{package_id}")
def package_page(
    request: Request, package_id: int, service: ServiceDep, actor: ReaderDep
) -> Response:
    """A package: its dossiers, the decision with its reasons, and each member state's
    position (a position on content since changed is shown but does not count)."""
    designation = service.designation
    with Session(service.registry.engine) as session:
        package = session.get(Package, package_id)
        if package is None:
            raise NotFoundError(f"no package {package_id}")
        regime = session.get(Regime, package.regime_id)
        assert regime is not None
        dossiers = [
            _dossier_row(d)
            for d in session.scalars(
                select(Dossier)
                .join(PackageDossier, PackageDossier.dossier_id == Dossier.id)
                .where(PackageDossier.package_id == package_id)
                .order_by(Dossier.id)
            )
        ]
        acts = list(
            session.scalars(
                select(LegalAct).where(LegalAct.package_id == package_id).order_by(LegalAct.id)
            )
        )
        hashes = dict(
            session.execute(
                select(PositionRecord.member_state, PositionRecord.content_hash).where(
                    PositionRecord.package_id == package_id
                )
            ).all()
        )
        session.expunge_all()
    decision: Decision = designation.decision(package_id, date.today())
    recorded = designation.positions(package_id)
    states = [
        StatePosition(
            state,
            recorded[state.code]["position"] if state.code in recorded else None,
            recorded[state.code]["statement"] if state.code in recorded else "",
            hashes.get(state.code) == package.content_hash,
        )
        for state in designation.states
    ]
    return render(
        request,
        "package.html",
        actor,
        section="packages",
        package=package,
        regime=regime,
        dossiers=dossiers,
        acts=acts,
        decision=decision,
        states=states,
        history=subject_history(service, f"package:{package_id}"),
    )


@router.get("/dossiers/{dossier_id}")
def dossier_page(
    request: Request, dossier_id: int, service: ServiceDep, actor: ReaderDep
) -> Response:
    """A dossier: the person or entity proposed, the criterion and reasons, its
    evidence (restricted items only for a cleared role) and what happened since."""
    designation = service.designation
    with Session(service.registry.engine) as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFoundError(f"no dossier {dossier_id}")
        regime = session.get(Regime, dossier.regime_id)
        assert regime is not None
        packages = list(
            session.scalars(
                select(Package)
                .join(PackageDossier, PackageDossier.package_id == Package.id)
                .where(PackageDossier.dossier_id == dossier_id)
                .order_by(Package.id)
            )
        )
        restricted = (
            session.scalar(
                select(func.count())
                .select_from(EvidenceItem)
                .where(EvidenceItem.dossier_id == dossier_id)
                .where(EvidenceItem.sensitivity != "public")
            )
            or 0
        )
        session.expunge_all()
    reader = actor or ANONYMOUS
    evidence: list[Evidence] = designation.evidence(reader, dossier_id)
    entity = Entity.from_dict(dossier.entity, trusted=True)
    number = dossier.criterion
    criterion = regime.criteria[number - 1] if 0 < number <= len(regime.criteria) else ""
    return render(
        request,
        "dossier.html",
        actor,
        section="packages",
        dossier=dossier,
        regime=regime,
        entity=entity,
        spellings=spellings(entity),
        identifying=identifying(entity),
        criterion=criterion,
        packages=packages,
        evidence=evidence,
        hidden=0 if reader.cleared else restricted,
        events=Lifecycle(designation).history(dossier_id),
    )


# -- audit and forensics ---------------------------------------------------------------


@router.get("/audit")
def audit_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """Whether the audit chain is intact, and its newest records."""
    result = verify(service.registry.engine)
    return render(
        request,
        "audit.html",
        actor,
        section="audit",
        result=result,
        recent=list(reversed(entries(service.registry.engine, AUDIT_SHOWN))),
    )


@router.get("/forensics")
def forensics_page(
    request: Request,
    service: ServiceDep,
    actor: ReaderDep,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Commissions with findings, most findings first, a page at a time."""
    found: list[CommissionFindings] = Findings(service.designation).commissions(actor or ANONYMOUS)
    pages = max(1, math.ceil(len(found) / COMMISSIONS_PER_PAGE))
    start = (page - 1) * COMMISSIONS_PER_PAGE
    return render(
        request,
        "forensics.html",
        actor,
        section="forensics",
        note=NOT_AN_ACCUSATION,
        commissions=found[start : start + COMMISSIONS_PER_PAGE],
        total=len(found),
        findings=sum(len(c.findings) for c in found),
        page=page,
        pages=pages,
    )


# -- signing in ------------------------------------------------------------------------


def _next_page(request: Request, wanted: str) -> str:
    """Where to go after signing in: a page of this site, never another site."""
    base = ui_base(request)
    if wanted.startswith(base + "/") and not wanted.startswith("//"):
        return wanted
    return base + "/"


def _same_origin(request: Request) -> bool:
    """A form posted from these pages, not from another site (the browser says so)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    """The form to paste a token into."""
    return render(
        request, "login.html", None, section="login", next=_next_page(request, next), error=None
    )


@router.post("/login")
async def login(request: Request, service: ServiceDep) -> Response:
    """Check the token and keep it in a cookie for these pages only."""
    if not _same_origin(request):
        return _error(request, 403, "Forbidden", "This form can only be sent from these pages.")
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
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Forget the token in this browser."""
    if not _same_origin(request):
        return _error(request, 403, "Forbidden", "This form can only be sent from these pages.")
    response = RedirectResponse(ui_base(request) + "/", status_code=303)
    response.delete_cookie(COOKIE, path=ui_base(request), httponly=True, samesite="strict")
    return response
