"""The screening index kept as a file, so a command does not rebuild it every time.

Building the index means romanizing and splitting every name of every list (seconds
for the real lists); loading a saved one takes a fraction of that. The file is named
after what it was built from: the lists' names, current versions and content hashes,
and the code and tables of ``sanctio.names`` and ``sanctio.screening``. Importing a
new version or upgrading Sanctio gives another name, so a stale index is never used.
The files are written by Sanctio into the user's own data directory and read back
only from there.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sanctio.screening.screener import Screener

_PREFIX = "screening-index-"
#: Saved indexes kept (one per set of lists screened against).
KEEP = 4


@cache
def _code_digest() -> str:
    """Digest of the code and data tables the index is made with."""
    digest = hashlib.sha256()
    for package in ("sanctio.names", "sanctio.screening"):
        root = resources.files(package)
        for path in sorted(_files(root), key=str):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(root: Any) -> Iterable[Any]:
    for entry in root.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _files(entry)
        elif entry.name.endswith((".py", ".tsv")):
            yield entry


def cache_key(registry: Any, names: list[str]) -> str:
    """A name for the index of these lists as they are now."""
    digest = hashlib.sha256(_code_digest().encode())
    for name in sorted(names):
        info = registry.version(name)
        digest.update(f"{info.name}\t{info.version}\t{info.content_hash}\n".encode())
    return digest.hexdigest()[:32]


def load_screener(registry: Any, names: Iterable[str] | None, directory: Path) -> Screener:
    """The screener over the current version of each named list (default: all), from
    ``directory`` when it was saved there before, otherwise built and saved."""
    wanted = sorted(names) if names is not None else sorted(i.name for i in registry.lists())
    path = directory / f"{_PREFIX}{cache_key(registry, wanted)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                screener = pickle.load(handle)
            if isinstance(screener, Screener):
                return screener
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass  # unreadable: rebuilt below
    screener = Screener.from_registry(registry, wanted)
    screener.index.postings("")  # arrays built before saving
    _save(screener, path)
    return screener


def _save(screener: Screener, path: Path) -> None:
    """Write atomically (a reader never sees half a file); keep the KEEP newest indexes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(screener, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    saved = sorted(path.parent.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in saved[:-KEEP]:
        old.unlink(missing_ok=True)
