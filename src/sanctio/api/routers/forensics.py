"""``/forensics``: the integer-percent test and the full report on an uploaded results
file, and the findings stored per precinct commission.

An upload is read exactly as ``sanctio forensics`` reads a file (format detected from
its header, or given), into a temporary folder removed afterwards. Requests are kept
bounded: the file's size, the Monte-Carlo draws and the bootstrap refits have upper
limits, and one report is drawn at a time (its plots share matplotlib's state).
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
from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile

from sanctio.api.deps import ServiceDep, require_reader
from sanctio.api.own_models import (
    NO_NUL,
    CommissionsOut,
    Day,
    FindingOut,
    IntegerTestOut,
    ReportOut,
)
from sanctio.api.routers.own import ActorDep, errors
from sanctio.errors import InputError
from sanctio.forensics.findings import NOT_AN_ACCUSATION, Findings
from sanctio.forensics.loaders import load_precincts
from sanctio.forensics.precincts import Precincts

router = APIRouter(tags=["Forensics"])

#: Largest results file accepted (the Russian CEC's 97,000 precincts zip to ~10 MB).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_DRAWS = 10_000
MAX_REPLICATES = 10
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
    responses=errors(400, 401, 413),
    dependencies=[Depends(require_reader)],
)
def integer_test(
    file: ResultsFile,
    leader: Leader = None,
    draws: Draws = 1000,
    seed: Seed = 0,
    fmt: Format = None,
) -> IntegerTestOut:
    """Precincts whose turnout or leader's share is a whole percent, observed against
    binomial simulations (Kobak, Shpilkin & Pshenichnikov, Ann. Appl. Stat. 2016), as
    `sanctio forensics integer-test --json` gives it. Nothing is stored."""
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
    responses=errors(400, 401, 413),
    dependencies=[Depends(require_reader)],
)
def report(
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
    reconcile`.)"""
    from sanctio.forensics.report import build_report

    with tempfile.TemporaryDirectory(prefix="sanctio-upload-") as folder:
        precincts = load_upload(save_upload(file, Path(folder), "results.csv"), fmt)
    index = leader_index(precincts, leader)
    with REPORT_LOCK:
        built = build_report(precincts, index, None, draws=draws, seed=seed, replicates=replicates)
    return ReportOut.model_validate(finite(built.to_dict()))
