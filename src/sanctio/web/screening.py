"""The screening form and its results, swapped in by htmx from ``/ui/search``; the
same form works without JavaScript as a plain GET of ``/ui/``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from sanctio.api.deps import DEFAULT, Service, ServiceDep, UnknownDatasetError
from sanctio.api.limits import WorkPool
from sanctio.designation.auth import Actor
from sanctio.model.schema import target_schema_names
from sanctio.screening import DEFAULT_THRESHOLD, Match, QueryError
from sanctio.screening import Query as ScreeningQuery
from sanctio.web.core import (
    ReaderDep,
    render,
    router,
    ui_base,
)

# -- screening -------------------------------------------------------------------------


MAX_RESULTS = 100


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
async def screening_page(
    request: Request, service: ServiceDep, actor: ReaderDep, form: FormDep
) -> Response:
    """The screening form, with results when a name was sent (the form without JS)."""
    return await _pool(request).run(_screening, request, service, actor, form, False)


@router.get("/search")
async def search_results(
    request: Request, service: ServiceDep, actor: ReaderDep, form: FormDep
) -> Response:
    """Results only, for htmx to swap in; a plain request gets the whole page."""
    htmx = request.headers.get("HX-Request") == "true"
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    partial = htmx and not restoring
    return await _pool(request).run(_screening, request, service, actor, form, partial)


def _pool(request: Request) -> WorkPool:
    """The service's bounded pool (``api/limits.py``): a search screens, off the event
    loop, and waits its turn with the API's batches."""
    pool: WorkPool = request.app.state.pool
    return pool
