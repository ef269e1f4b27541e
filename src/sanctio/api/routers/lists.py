"""``/lists``: the registry's lists, their versions, what changed between two, and a
version exported in an exchange format, as ``sanctio lists`` gives them."""

from __future__ import annotations

import io
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from sanctio.api.deps import ServiceDep, require_reader
from sanctio.api.own_models import MAX_ID, NO_NUL, ListDiffModel, ListVersionModel
from sanctio.api.routers.own import errors
from sanctio.designation.auth import Actor
from sanctio.lists import writers
from sanctio.lists.writers import ExportFormat
from sanctio.registry import VersionInfo

router = APIRouter(tags=["Lists"], dependencies=[Depends(require_reader)])

#: Media type and file extension of each export format.
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "ftm-json": ("application/x-ndjson", "ftm.json"),
    "targets-simple-csv": ("text/csv; charset=utf-8", "csv"),
    "eu-fsf-xml": ("application/xml", "xml"),
    "annex-html": ("text/html; charset=utf-8", "html"),
}

ListName = Annotated[
    str,
    Path(
        pattern=NO_NUL,
        description="A list of the registry (see GET /lists).",
        examples=["eu-32006R0765"],
    ),
]
Version = Annotated[int, Query(ge=1, le=MAX_ID, description="A version number.")]


def version_model(info: VersionInfo) -> ListVersionModel:
    return ListVersionModel.model_validate(info.to_dict())


@router.get(
    "/lists",
    summary="Every list, at its current version",
    response_model=list[ListVersionModel],
    responses=errors(401),
)
def all_lists(service: ServiceDep) -> list[ListVersionModel]:
    """Imported lists and the lists regimes publish (`sanctio-*`), by name, each at its
    current version with its entity counts, source and import time."""
    return [version_model(info) for info in service.registry.lists()]


@router.get(
    "/lists/{name}",
    summary="One version of a list",
    response_model=ListVersionModel,
    responses=errors(401, 404),
)
def one_list(
    name: ListName, service: ServiceDep, version: Version | None = None
) -> ListVersionModel:
    """The current version of the list, or the one asked for."""
    return version_model(service.registry.version(name, version))


@router.get(
    "/lists/{name}/versions",
    summary="Every version of a list, oldest first",
    response_model=list[ListVersionModel],
    responses=errors(401, 404),
)
def versions(name: ListName, service: ServiceDep) -> list[ListVersionModel]:
    return [version_model(info) for info in service.registry.versions(name)]


@router.get(
    "/lists/{name}/diff",
    summary="What changed between two versions",
    response_model=ListDiffModel,
    responses=errors(401, 404),
)
def diff(
    name: ListName,
    service: ServiceDep,
    old: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="The older version; default: the one before `new`."),
    ] = None,
    new: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="The newer version; default: the current one."),
    ] = None,
) -> ListDiffModel:
    """Targets added, removed and changed, each change with its old and new values; a
    target's records (sanction, documents) are folded into it as `Schema:property`."""
    return ListDiffModel.model_validate(service.registry.diff(name, old, new).to_dict())


@router.get(
    "/lists/{name}/export",
    summary="A version of a list in an exchange format",
    response_class=Response,
    responses={
        200: {
            "description": "The whole version in the format asked for.",
            "content": {media: {"schema": {"type": "string"}} for media, _ in MEDIA_TYPES.values()},
        },
        **errors(401, 404),
    },
)
def export(
    name: ListName,
    service: ServiceDep,
    export_format: Annotated[
        ExportFormat,
        Query(
            alias="format",
            description="ftm-json: FtM entities, one JSON object a line; targets-simple-csv: "
            "OpenSanctions' targets.simple.csv; eu-fsf-xml: EU Financial Sanctions Files "
            "XML; annex-html: the annex table as the Official Journal prints it.",
        ),
    ],
    reader: Annotated[Actor | None, Depends(require_reader)],
    version: Version | None = None,
) -> Response:
    """The version (default: current) written by the same writers as `sanctio lists
    export`, as a download named after the list and version. An export of a list
    published here is recorded in the audit trail (as the token's user, or
    `api:anonymous` on an open service)."""
    info = service.registry.version(name, version)
    entities = service.registry.entities(info.name, info.version)
    buffer = io.BytesIO()
    writers.export(export_format, entities, buffer, f"{info.name}, version {info.version}")
    if info.origin == "published":
        actor = reader.name if reader is not None else "api:anonymous"
        service.registry.record_export(info.name, info.version, export_format, "api", actor)
    media, extension = MEDIA_TYPES[export_format]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", info.name).strip("._") or "list"
    filename = f"{stem}-v{info.version}.{extension}"
    return Response(
        buffer.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
