"""What the endpoints share: the registry, one screener per dataset, and who may ask.

A dataset is a list of the registry, or ``default``, every list. Its screener is
loaded on first use through the saved index (``screening.cache``) and kept; each
request checks that the lists' versions are still current (on SQLite without a query
unless something was committed, ``registry/watch.py``; on PostgreSQL one small query),
so a list imported while the service runs is screened against from the next request
on, never a stale index.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sanctio.designation.auth import Actor, PermissionDeniedError
from sanctio.designation.workflow import Designation
from sanctio.errors import NotFoundError
from sanctio.registry import Registry, VersionInfo
from sanctio.screening import Screener
from sanctio.screening.cache import load_screener

#: The dataset that holds every list, as yente's ``default`` collection does.
DEFAULT = "default"

#: (list name, version) of each list a screener was built from.
Versions = tuple[tuple[str, int], ...]


class UnknownDatasetError(NotFoundError):
    """A dataset name that is no list of the registry."""


@dataclass(frozen=True)
class Dataset:
    """A resolved dataset: its name and the current version of each of its lists."""

    name: str
    lists: list[VersionInfo]

    @cached_property
    def versions(self) -> Versions:
        return tuple((info.name, info.version) for info in self.lists)


def version_label(versions: Versions) -> str:
    """One short string for a set of list versions (the ``version`` of ``default``)."""
    if len(versions) == 1:
        return str(versions[0][1])
    text = ";".join(f"{name}@{number}" for name, number in versions)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class Service:
    """The state of one running API: what every request reads, built once."""

    def __init__(self, registry: Registry, data_dir: Path, require_token: bool) -> None:
        self.registry = registry
        self.index_dir = data_dir / "index"
        self.require_token = require_token
        self.designation = Designation(registry)
        self._screeners: dict[str, tuple[Versions, Screener]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._datasets: tuple[tuple[int, int], list[Dataset]] | None = None
        self.warmed = threading.Event()
        self.warm_up_error: str | None = None

    # -- datasets ------------------------------------------------------------------

    def datasets(self) -> list[Dataset]:
        """``default`` and each list of the registry, with its current version: read
        again only when a version has been stored since (checked on every call)."""
        stamp = self.registry.stamp()
        known = self._datasets
        if known is not None and known[0] == stamp:
            return list(known[1])
        lists = self.registry.lists()
        found = [Dataset(DEFAULT, lists), *(Dataset(info.name, [info]) for info in lists)]
        # the stamp read before the lists: a version stored in between is read next time
        self._datasets = (stamp, found)
        return list(found)

    def dataset(self, name: str) -> Dataset:
        """The dataset called ``name`` (letter case aside, as list names mix it)."""
        return _named(self.datasets(), name)

    def known_dataset(self, name: str) -> Dataset | None:
        """``dataset(name)`` when it is known without asking the database (SQLite, and
        nothing committed since the datasets were read), else None: cheap enough for
        the event loop, where a query would block every other request."""
        stamp = self.registry.known_stamp()
        known = self._datasets
        if stamp is None or known is None or known[0] != stamp:
            return None
        return _named(known[1], name)

    # -- screeners -----------------------------------------------------------------

    def screener(self, dataset: Dataset) -> Screener:
        """The screener over the dataset's current lists: kept from an earlier request,
        else loaded from the saved index (or built, once, by one thread)."""
        loaded = self.loaded_screener(dataset)
        if loaded is not None:
            return loaded
        with self._guard:
            lock = self._locks.setdefault(dataset.name, threading.Lock())
        with lock:
            loaded = self.loaded_screener(dataset)
            if loaded is not None:
                return loaded
            names = [info.name for info in dataset.lists]
            screener = load_screener(self.registry, names, self.index_dir)
            self._screeners[dataset.name] = (dataset.versions, screener)
            return screener

    def loaded_screener(self, dataset: Dataset) -> Screener | None:
        """The dataset's screener if it is loaded and built from its current versions;
        None when ``screener`` would have to load it."""
        cached = self._screeners.get(dataset.name)
        return cached[1] if cached is not None and cached[0] == dataset.versions else None

    def loaded(self) -> dict[str, Versions]:
        """The versions each loaded screener was built from, by dataset."""
        return {name: versions for name, (versions, _) in self._screeners.items()}

    def warm_up(self) -> None:
        """Load ``default`` before the first request needs it (run at start-up)."""
        try:
            self.screener(self.dataset(DEFAULT)).index.prepare()
            # the index lives as long as the service: the cycle collector need not walk
            # its millions of objects again on every full collection while requests run
            gc.freeze()
        except Exception as exc:  # reported by /readyz; the next request retries the load
            self.warm_up_error = f"{type(exc).__name__}: {exc}"
        finally:
            self.warmed.set()

    @property
    def ready(self) -> bool:
        """Whether the index of every list has been loaded (by the warm-up or since)."""
        return DEFAULT in self._screeners


def _named(found: list[Dataset], name: str) -> Dataset:
    for dataset in found:
        if dataset.name == name:
            return dataset
    for dataset in found:
        if dataset.name.lower() == name.lower():
            return dataset
    known = ", ".join(d.name for d in found)
    raise UnknownDatasetError(f"No such dataset: {name!r}; known datasets: {known}")


def get_service(request: Request) -> Service:
    return cast(Service, request.app.state.service)


ServiceDep = Annotated[Service, Depends(get_service)]

bearer = HTTPBearer(
    auto_error=False,
    description="A user's token from `sanctio users add` (any role). Needed only when "
    "the service runs with SANCTIO_API_REQUIRE_TOKEN=true.",
)


def require_reader(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor | None:
    """The user asking, when the service requires a token; nobody when it is open
    (a token sent to an open service is not checked, as yente checks none)."""
    if not service.require_token:
        return None
    token = credentials.credentials if credentials is not None else _api_key(request)
    if not token:
        raise HTTPException(
            401,
            detail="This service requires a token: send 'Authorization: Bearer <token>' "
            "with a token from `sanctio users add`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return service.designation.authenticate(token)
    except PermissionDeniedError as exc:
        raise HTTPException(401, detail=f"{exc}.", headers={"WWW-Authenticate": "Bearer"}) from None


def _api_key(request: Request) -> str | None:
    """A token sent as ``Authorization: ApiKey <token>``, the way OpenSanctions' hosted
    API is called, so such a client needs only its key changed."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "apikey":
        return None
    return value.strip() or None


#: The ``{dataset}`` of a path, as OpenAPI describes it.
DatasetName = Annotated[
    str,
    PathParam(
        description="A list of the registry (see /catalog), or `default` for all.",
        examples=["default"],
    ),
]


def get_dataset(service: ServiceDep, dataset: DatasetName) -> Dataset:
    return service.dataset(dataset)


DatasetDep = Annotated[Dataset, Depends(get_dataset)]
ReaderDep = Annotated[Actor | None, Depends(require_reader)]
