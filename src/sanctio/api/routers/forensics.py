"""``/forensics``: the integer-percent test and the full report on an uploaded results
file, and the findings stored per precinct commission.

An upload is read exactly as ``sanctio forensics`` reads a file (format detected from
its header, or given), into a temporary folder removed afterwards. Requests are kept
bounded: the file's size, the Monte-Carlo draws and the bootstrap refits have upper
limits, and one report is drawn at a time (its plots share matplotlib's state). The
draws and refits cost CPU in proportion (10,000 draws of a report took 94 s): without
an officer's token they are capped at PUBLIC_DRAWS and PUBLIC_REPLICATES, and the work
runs in the service's bounded pool (``api/limits.py``), never on the event loop.
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

import starlette.datastructures
from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from sanctio.api.deps import Service, ServiceDep, get_service, require_reader
from sanctio.api.limits import WorkPool, over_limit
from sanctio.api.models import ErrorResponse
from sanctio.api.own_models import (
    NO_NUL,
    CommissionsOut,
    Day,
    FindingOut,
    IntegerTestOut,
    ReportOut,
)
from sanctio.api.routers.own import ActorDep, errors
from sanctio.designation.auth import PermissionDeniedError, Role
from sanctio.designation.findings import Findings
from sanctio.errors import InputError
from sanctio.forensics.findings import NOT_AN_ACCUSATION
from sanctio.forensics.loaders import load_precincts
from sanctio.forensics.precincts import Precincts

router = APIRouter(tags=["Forensics"])

#: Largest results file accepted (the Russian CEC's 97,000 precincts zip to ~10 MB).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_DRAWS = 10_000
MAX_REPLICATES = 10
#: The most draws and refits without an officer's token (the defaults: about 10 s of
#: CPU for a country's results); officers may ask for up to MAX_DRAWS, MAX_REPLICATES.
PUBLIC_DRAWS = 1000
PUBLIC_REPLICATES = 3
#: The refusal of a request that costs CPU when the pool is full (more draws or refits
#: than allowed are a 422 as FastAPI words one).
COSTLY: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorResponse, "description": "Busy: try again after Retry-After"},
}
#: One report at a time: pyplot's figures are global state.
REPORT_LOCK = threading.Lock()
_CHUNK = 1 << 20

FormatName = Literal["russia-cik", "belarus-protocols", "belarus-golos", "generic"]
Leader = Annotated[
    str | None,
    Query(
        min_length=1,
        description="The candidate tested (name or part of it); default: the top vote-getter.",
    ),
]
Draws = Annotated[
    int, Query(ge=2, le=MAX_DRAWS, description="Monte-Carlo draws for the expected count.")
]
Seed = Annotated[int, Query(ge=0, le=2**32 - 1, description="Random seed: same seed, same result.")]
Format = Annotated[
    FormatName | None,
    Query(alias="format", description="The file's format, when detection is not wanted."),
]
ResultsFile = Annotated[
    UploadFile,
    File(
        description="Precinct results: Russian CEC zip/CSV, Belarus protocols, Golos export, "
        "or generic CSV (precinct,region,registered,ballots_issued,ballots_found,<candidates>)."
    ),
]


def save_upload(upload: starlette.datastructures.UploadFile, folder: Path, fallback: str) -> Path:
    """The upload written under its own file name (made safe) in ``folder``; 413 when
    it is larger than MAX_UPLOAD_BYTES."""
    name = re.sub(r"[^\w.-]+", "_", Path(upload.filename or "").name)[:100].strip("._")
    path = folder / (name or fallback)
    written = 0
    with path.open("wb") as out:
        while block := upload.file.read(_CHUNK):
            written += len(block)
            if written > MAX_UPLOAD_BYTES:
                raise HTTPException(
                    413, detail=f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB"
                )
            out.write(block)
    return path


def load_upload(path: Path, fmt: str | None) -> Precincts:
    """Precincts as ``load_precincts`` reads them; a damaged archive or CSV is the
    file's fault (400), like any other unreadable input. Errors name the file as
    uploaded, never the server's temporary folder."""
    try:
        precincts = load_precincts(path, fmt)
    except InputError as exc:
        raise InputError(path.name, exc.message, exc.line, exc.column) from None
    except (zipfile.BadZipFile, csv.Error, UnicodeError) as exc:
        raise InputError(path.name, f"cannot read the file: {exc}") from None
    precincts.source = path.name  # what later messages and results name
    return precincts


def officer_asking(request: Request, service: Service) -> bool:
    """Whether the request carries an officer's token (checked on an open service
    too: it lifts the caps on draws and refits); 401 for a token that is refused."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in ("bearer", "apikey") or not value.strip():
        return False
    try:
        return service.designation.authenticate(value.strip()).role == Role.OFFICER
    except PermissionDeniedError as exc:
        raise HTTPException(401, detail=f"{exc}.", headers={"WWW-Authenticate": "Bearer"}) from None


def cost_allowed(draws: int, replicates: int, officer: bool) -> None:
    """422 naming the limit when draws or refits exceed what the asker may have."""
    if officer:
        return
    for field, asked, most, top in (
        ("draws", draws, PUBLIC_DRAWS, MAX_DRAWS),
        ("replicates", replicates, PUBLIC_REPLICATES, MAX_REPLICATES),
    ):
        if asked > most:
            raise over_limit(
                ("query", field),
                f"{field}: {asked}; expected at most {most} without an officer's token "
                f"(an officer may ask for up to {top})",
                asked,
            )


async def allowed(request: Request, draws: int, replicates: int) -> None:
    """``cost_allowed`` for this request's token (read in a worker thread: a query)."""
    if draws <= PUBLIC_DRAWS and replicates <= PUBLIC_REPLICATES:
        return
    officer = await run_in_threadpool(officer_asking, request, get_service(request))
    cost_allowed(draws, replicates, officer)


def leader_index(precincts: Precincts, name: str | None) -> int:
    try:
        return int(precincts.candidate_index(name))
    except KeyError as exc:
        raise InputError("leader", str(exc.args[0])) from None


def finite(value: Any) -> Any:
    """``value`` with every non-finite float (no spread, no data) as None: JSON has no NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


@router.get(
    "/forensics/findings",
    summary="Stored findings, by precinct",
    response_model=list[FindingOut],
    responses=errors(401),
    dependencies=[Depends(require_reader)],
)
def findings(
    service: ServiceDep,
    precinct: Annotated[
        str | None, Query(pattern=NO_NUL, description="Only this precinct's findings.")
    ] = None,
) -> list[FindingOut]:
    """What each method found at each precinct, with the input file's SHA-256 and the
    parameters: evidence about protocols, never about persons."""
    stored = Findings(service.designation).stored(precinct)
    return [FindingOut.model_validate(finite(f.to_dict())) for f in stored]


@router.get(
    "/forensics/commissions",
    summary="Commissions with findings, and who sat on them (any user's token)",
    response_model=CommissionsOut,
    responses=errors(401),
)
def commissions(
    actor: ActorDep,
    service: ServiceDep,
    on: Annotated[
        Day | None, Query(description="Members in post this day (default: election day).")
    ] = None,
) -> CommissionsOut:
    """Most findings first; members where a roster was imported, as leads for a human
    decision. Names persons of interest, so a token is needed on an open service too."""
    listed = Findings(service.designation).commissions(actor, on)
    return CommissionsOut.model_validate(
        {"commissions": [finite(c.to_dict()) for c in listed], "note": NOT_AN_ACCUSATION}
    )


@router.post(
    "/forensics/integer-test",
    summary="The integer-percent test on an uploaded results file",
    response_model=IntegerTestOut,
    responses=errors(400, 401, 413) | COSTLY,
    dependencies=[Depends(require_reader)],
)
async def integer_test(
    request: Request,
    file: ResultsFile,
    leader: Leader = None,
    draws: Draws = 1000,
    seed: Seed = 0,
    fmt: Format = None,
) -> IntegerTestOut:
    """Precincts whose turnout or leader's share is a whole percent, observed against
    binomial simulations (Kobak, Shpilkin & Pshenichnikov, Ann. Appl. Stat. 2016), as
    `sanctio forensics integer-test --json` gives it. Nothing is stored. More than
    1000 draws need an officer's token."""
    await allowed(request, draws, 0)
    pool: WorkPool = request.app.state.pool
    return await pool.run(_integer_test, file, leader, draws, seed, fmt)


def _integer_test(
    file: starlette.datastructures.UploadFile,
    leader: str | None,
    draws: int,
    seed: int,
    fmt: str | None,
) -> IntegerTestOut:
    from sanctio.forensics.integer import integer_test as run

    with tempfile.TemporaryDirectory(prefix="sanctio-upload-") as folder:
        precincts = load_upload(save_upload(file, Path(folder), "results.csv"), fmt)
    index = leader_index(precincts, None if leader is None else leader)
    try:
        result = run(precincts, index, draws, seed)
    except ValueError as exc:
        raise InputError(precincts.source, str(exc)) from None
    data = result.to_dict()
    data["input"] = {
        "file": precincts.source,
        "sha256": precincts.sha256,
        "format": precincts.format,
        "rows_excluded": [e.to_dict() for e in precincts.excluded],
    }
    return IntegerTestOut.model_validate(finite(data))


@router.post(
    "/forensics/report",
    summary="Every forensic test on an uploaded results file",
    response_model=ReportOut,
    responses=errors(400, 401, 413) | COSTLY,
    dependencies=[Depends(require_reader)],
)
async def report(
    request: Request,
    file: ResultsFile,
    leader: Leader = None,
    draws: Draws = 1000,
    replicates: Annotated[
        int, Query(ge=0, le=MAX_REPLICATES, description="Fingerprint bootstrap refits.")
    ] = 3,
    seed: Seed = 0,
    fmt: Format = None,
) -> ReportOut:
    """The same content as `sanctio forensics report --json`: totals, the integer test,
    the fingerprint, anomalous votes and digit tests, each with its method notes and
    citations, the rows left out and a plain summary. A test the data cannot feed says
    why. Nothing is stored. (Reconciling an independent count: `sanctio forensics
    reconcile`.) More than 1000 draws or 3 refits need an officer's token."""
    await allowed(request, draws, replicates)
    pool: WorkPool = request.app.state.pool
    return await pool.run(_report, file, leader, draws, replicates, seed, fmt)


def _report(
    file: starlette.datastructures.UploadFile,
    leader: str | None,
    draws: int,
    replicates: int,
    seed: int,
    fmt: str | None,
) -> ReportOut:
    from sanctio.forensics.report import build_report

    with tempfile.TemporaryDirectory(prefix="sanctio-upload-") as folder:
        precincts = load_upload(save_upload(file, Path(folder), "results.csv"), fmt)
    index = leader_index(precincts, leader)
    with REPORT_LOCK:
        built = build_report(precincts, index, None, draws=draws, seed=seed, replicates=replicates)
    return ReportOut.model_validate(finite(built.to_dict()))
