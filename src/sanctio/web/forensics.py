"""Election forensics: the report of every test on an uploaded results file, with its
plots, and the commissions with stored findings.

The report is built by ``forensics.report.build_report``, as ``sanctio forensics
report`` and ``POST /forensics/report`` build it; the upload goes through the API's
own checks (size cap, format detection, errors naming the file). Commissions name
persons of interest, so that page is for signed-in users only.
"""

from __future__ import annotations

import base64
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from sanctio.api.deps import Service, ServiceDep
from sanctio.api.limits import WorkPool
from sanctio.api.routers.forensics import (
    MAX_DRAWS,
    MAX_REPLICATES,
    MAX_UPLOAD_BYTES,
    PUBLIC_DRAWS,
    PUBLIC_REPLICATES,
    REPORT_LOCK,
    leader_index,
    load_upload,
    save_upload,
)
from sanctio.designation.auth import Role
from sanctio.designation.findings import CommissionFindings, Findings
from sanctio.errors import InputError
from sanctio.forensics.findings import NOT_AN_ACCUSATION
from sanctio.forensics.report import CITATIONS, PRINCIPLE, Report, build_report
from sanctio.web.core import MemberDep, ReaderDep, error_page, render, router, same_origin

COMMISSIONS_PER_PAGE = 50
#: A section's title on the page, in the order the report runs the tests.
SECTION_TITLES = {
    "totals": "Totals",
    "integer-test": "Integer percentages",
    "fingerprint": "Election fingerprint",
    "anomalous-votes": "Anomalous votes (Shpilkin's method)",
    "digits": "Digit tests (secondary)",
    "reconcile": "Protocols against the independent count",
}
#: What each plot shows, for its caption and for a reader who cannot see it.
PLOT_DESCRIPTIONS = {
    "integer-test": "Number of precincts at each turnout and each share of the tested "
    "candidate, in bins of 0.1 percentage points: spikes on whole percents are what the "
    "test counts.",
    "fingerprint": "Turnout across, the candidate's share up, the number of precincts in "
    "each cell as colour (log scale): an honest election is one round cloud; a smear "
    "towards 100% turnout and 100% share is the fingerprint of ballot stuffing.",
    "anomalous-votes": "The candidate's votes and the others' votes by turnout, with the "
    "candidate's votes expected at the clean share; the shaded gap is the estimate.",
    "digits": "Second-digit and last-digit frequencies of the vote counts against what "
    "honest counts give.",
}
DEFAULT_DRAWS = 1000
DEFAULT_REPLICATES = 3


@dataclass(frozen=True)
class Plot:
    title: str
    description: str
    data_uri: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    citation: str | None
    plot: Plot | None
    values: dict[str, Any]


def sections(report: Report) -> list[Section]:
    """The report's sections with their titles, citations and plots (PNG as data URIs,
    which the pages' content security policy allows for images only)."""
    shown = []
    for key, values in report.sections.items():
        title = SECTION_TITLES.get(key, key)
        plot = None
        if key in report.plots:
            encoded = base64.b64encode(report.plots[key]).decode("ascii")
            plot = Plot(
                title, PLOT_DESCRIPTIONS.get(key, title), f"data:image/png;base64,{encoded}"
            )
        shown.append(Section(key, title, CITATIONS.get(key), plot, values))
    return shown


def stored_findings(service: Service) -> int:
    """How many findings are stored (about precincts: no names)."""
    return len(Findings(service.designation).stored(None))


@router.get("/forensics")
def forensics_page(request: Request, service: ServiceDep, actor: ReaderDep) -> Response:
    """The form to run every test on a results file, and what is stored already."""
    return render(
        request,
        "forensics.html",
        actor,
        section="forensics",
        note=NOT_AN_ACCUSATION,
        findings=stored_findings(service),
        limits={  # the API's caps: more CPU for an officer only
            "draws": MAX_DRAWS if actor and actor.role == Role.OFFICER else PUBLIC_DRAWS,
            "replicates": (
                MAX_REPLICATES if actor and actor.role == Role.OFFICER else PUBLIC_REPLICATES
            ),
            "megabytes": MAX_UPLOAD_BYTES // 2**20,
        },
        defaults={"draws": DEFAULT_DRAWS, "replicates": DEFAULT_REPLICATES},
    )


def _number(form: dict[str, Any], field: str, default: int, low: int, high: int) -> int:
    text = str(form.get(field) or "").strip()
    if not text:
        return default
    expected = f"expected a whole number from {low} to {high}, not {text!r}"
    try:
        value = int(text)
    except ValueError:
        raise InputError(field, expected) from None
    if not low <= value <= high:
        raise InputError(field, expected)
    return value


@router.post("/forensics/report")
async def report_page(request: Request, actor: ReaderDep) -> Response:
    """Every test the uploaded file can feed, with plots, method notes, citations, the
    rows left out and a plain summary; nothing is stored. An independent count (Golos
    export), when given, is reconciled with the protocols too."""
    if not same_origin(request):
        return error_page(request, 403, "Forbidden", "This form can only be sent from these pages.")
    async with request.form(max_files=2, max_fields=10) as form:
        results = form.get("results")
        count_file = form.get("independent_count")
        fields = {key: form.get(key) for key in ("leader", "draws", "replicates", "format")}
        try:
            if not isinstance(results, UploadFile) or not results.filename:
                raise InputError("results", "choose a precinct results file to upload")
            # the API's caps: more CPU for an officer only
            officer = actor is not None and actor.role == Role.OFFICER
            most_draws = MAX_DRAWS if officer else PUBLIC_DRAWS
            most_replicates = MAX_REPLICATES if officer else PUBLIC_REPLICATES
            draws = _number(fields, "draws", DEFAULT_DRAWS, 2, most_draws)
            replicates = _number(fields, "replicates", DEFAULT_REPLICATES, 0, most_replicates)
            leader = str(fields["leader"] or "").strip() or None
            fmt = str(fields["format"] or "").strip() or None
            count = isinstance(count_file, UploadFile) and bool(count_file.filename)
            pool: WorkPool = request.app.state.pool  # bounded, off the event loop
            built = await pool.run(
                _build,
                results,
                count_file if count and isinstance(count_file, UploadFile) else None,
                leader,
                fmt,
                draws,
                replicates,
            )
        except InputError as exc:
            return error_page(request, 400, "The file cannot be tested", str(exc))
        except HTTPException as exc:  # the upload is larger than the cap
            return error_page(request, exc.status_code, "The file cannot be tested", exc.detail)
    return render(
        request,
        "forensics_report.html",
        actor,
        section="forensics",
        report=built,
        sections=sections(built),
        principle=PRINCIPLE,
        exclusions_shown=500,
    )


def _build(
    results: UploadFile,
    count_file: UploadFile | None,
    leader: str | None,
    fmt: str | None,
    draws: int,
    replicates: int,
) -> Report:
    from sanctio.forensics.reconcile import load_golos

    with tempfile.TemporaryDirectory(prefix="sanctio-upload-") as folder:
        precincts = load_upload(save_upload(results, Path(folder), "results.csv"), fmt)
        count = None
        if count_file is not None:
            own = Path(folder) / "count"  # its own folder: both files may have one name
            own.mkdir()
            saved = save_upload(count_file, own, "count.csv")
            try:
                count = load_golos(saved)
            except InputError as exc:
                raise InputError(count_file.filename or saved.name, exc.message, exc.line) from None
        index = leader_index(precincts, leader)
        with REPORT_LOCK:
            return build_report(precincts, index, count, draws=draws, replicates=replicates)


@router.get("/forensics/commissions")
def commissions_page(
    request: Request,
    service: ServiceDep,
    actor: MemberDep,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Commissions with findings, most findings first, a page at a time, with the
    members in post where a roster was imported: leads, not accusations."""
    found: list[CommissionFindings] = Findings(service.designation).commissions(actor)
    pages = max(1, math.ceil(len(found) / COMMISSIONS_PER_PAGE))
    start = (page - 1) * COMMISSIONS_PER_PAGE
    return render(
        request,
        "forensics_commissions.html",
        actor,
        section="forensics",
        note=NOT_AN_ACCUSATION,
        commissions=found[start : start + COMMISSIONS_PER_PAGE],
        total=len(found),
        findings=sum(len(c.findings) for c in found),
        page=page,
        pages=pages,
    )
