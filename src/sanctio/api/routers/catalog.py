"""``GET /catalog``: the datasets a client can screen against, as yente lists them."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctio.api.deps import DEFAULT, Dataset, ServiceDep, Versions, require_reader, version_label
from sanctio.api.models import DataCatalogModel, DatasetModel
from sanctio.designation.records import Regime
from sanctio.registry import Registry

router = APIRouter(tags=["System information"], dependencies=[Depends(require_reader)])


def regimes(registry: Registry) -> dict[str, tuple[str, str]]:
    """(code, title) of each regime, by the list it publishes to."""
    with Session(registry.engine) as session:
        rows = session.execute(select(Regime.list_name, Regime.code, Regime.title)).all()
    return {name: (code, title) for name, code, title in rows}


def describe(
    dataset: Dataset, loaded: Versions | None, regime: tuple[str, str] | None
) -> DatasetModel:
    """One dataset: a list's current version, or ``default`` over all of them."""
    index_version = version_label(loaded) if loaded is not None else None
    index_current = loaded == dataset.versions
    if dataset.name == DEFAULT:
        lists = dataset.lists
        updated = max((info.imported_at for info in lists), default=None)
        count = sum(info.entities for info in lists)
        return DatasetModel(
            name=DEFAULT,
            title="All lists",
            summary="Every list of the registry, each at its current version.",
            kind="collection",
            version=version_label(dataset.versions) if lists else "empty",
            updated_at=updated,
            last_export=updated,
            entity_count=count,
            thing_count=count,
            record_count=sum(info.records for info in lists),
            children=[info.name for info in lists],
            index_version=index_version,
            index_current=index_current,
        )
    (info,) = dataset.lists
    if regime is not None:
        title = regime[1]
        summary = f"Published by Sanctio's designation workflow for regime {regime[0]}."
    else:
        title = info.name
        summary = f"Imported from {info.source} ({info.format})."
    return DatasetModel(
        name=info.name,
        title=title,
        summary=summary,
        kind="regime" if regime is not None else "list",
        version=str(info.version),
        updated_at=info.imported_at,
        last_export=info.imported_at,
        entity_count=info.entities,
        thing_count=info.entities,
        record_count=info.records,
        source=info.source,
        format=info.format,
        index_version=index_version,
        index_current=index_current,
    )


@router.get("/catalog", summary="The datasets to screen against", response_model=DataCatalogModel)
def catalog(service: ServiceDep) -> DataCatalogModel:
    """Each list of the registry (imported ones, and the lists Sanctio's regimes
    publish, `sanctio-*`) with its current version, entity count and update time, and
    `default`, all of them. `index_current` says whether the loaded screening index is
    that version (a stale one is rebuilt on its next use)."""
    titles = regimes(service.registry)
    loaded = service.loaded()
    datasets = [describe(d, loaded.get(d.name), titles.get(d.name)) for d in service.datasets()]
    current = [d.name for d in datasets if d.index_current]
    outdated = [d.name for d in datasets if d.index_version is not None and not d.index_current]
    return DataCatalogModel(
        datasets=datasets, current=current, outdated=outdated, index_stale=bool(outdated)
    )
