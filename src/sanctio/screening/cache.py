"""The screening index kept as a file, so a command does not rebuild it every time.

Building the index means romanizing and splitting every name of every list (seconds
for the real lists); loading a saved one takes a fraction of that. The file is named
after what it was built from: the lists' names, current versions and content hashes,
and the code and tables of ``sanctio.names`` and ``sanctio.screening``. Importing a
new version or upgrading Sanctio gives another name, so a stale index is never used.

The file is data only, never code: a numpy ``.npz`` archive (a zip of arrays) read
with ``allow_pickle=False``, its words and entities as one JSON member. It was a
pickle, and a pickle planted in the data directory ran its code on the next start.
Before use, the file's SHA-256 is checked against the one recorded beside it
(``<name>.sha256``, with the registry stamp it was built from, also recorded inside):
a planted, truncated or corrupt file is ignored with a warning, and the index rebuilt
and saved again. Files are written atomically and readable by their owner only.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sanctio.screening.index import NameIndex
from sanctio.screening.screener import Screener

_PREFIX = "screening-index-"
_SUFFIX = ".npz"
_DIGEST = ".sha256"
#: Changes when the layout of the file changes: an older file is then rebuilt.
FORMAT = 1
#: Saved indexes kept (one per set of lists screened against).
KEEP = 4
_log = logging.getLogger(__name__)


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
    key = cache_key(registry, wanted)
    path = directory / f"{_PREFIX}{key}{_SUFFIX}"
    if path.is_file():
        try:
            return read_index(path, key)
        except UnusableIndexError as exc:
            _log.warning("warning: %s; building the index again", exc)
    screener = Screener.from_registry(registry, wanted)
    save_index(screener, path, key)
    return screener


class UnusableIndexError(Exception):
    """A saved index that must not be used: says which file and why."""


def read_index(path: Path, key: str) -> Screener:
    """The screener saved at ``path`` for the lists stamped ``key``; UnusableIndexError
    when the file is not exactly what Sanctio wrote there for them."""
    try:
        content = path.read_bytes()
        recorded = json.loads(_digest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnusableIndexError(
            f"{path}: cannot read it or its recorded SHA-256 ({exc})"
        ) from None
    if (
        not isinstance(recorded, dict)
        or recorded.get("sha256") != hashlib.sha256(content).hexdigest()
    ):
        raise UnusableIndexError(
            f"{path}: its SHA-256 is not the one recorded in {_digest_path(path).name}; "
            "expected the file Sanctio saved (it was changed, truncated or put there)"
        )
    if recorded.get("key") != key or recorded.get("format") != FORMAT:
        raise UnusableIndexError(f"{path}: recorded for other lists or another format")
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of objects made, none of them garbage: a fifth
    try:  # of the time went to the cycle collector looking at them
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        data = json.loads(arrays.pop("index").tobytes().decode("utf-8"))
        if data.get("key") != key or data.get("format") != FORMAT:
            raise ValueError("built from other lists")
        screener = Screener(float(data["threshold"]))
        screener.index = NameIndex.restored(data, arrays)
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        zipfile.BadZipFile,
    ) as exc:
        raise UnusableIndexError(
            f"{path}: not a screening index Sanctio can read ({exc})"
        ) from None
    finally:
        if collecting:
            gc.enable()
    return screener


def save_index(screener: Screener, path: Path, key: str) -> None:
    """Write the index and its SHA-256 atomically (a reader never sees half a file),
    owner-only; keep the KEEP newest indexes and remove pickles of older versions."""
    data, arrays = screener.index.saved()
    data.update(key=key, format=FORMAT, threshold=screener.threshold)
    meta = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    members: dict[str, Any] = {"index": np.frombuffer(meta, dtype=np.uint8), **arrays}
    np.savez(buffer, allow_pickle=False, **members)
    content = buffer.getvalue()
    recorded = {"sha256": hashlib.sha256(content).hexdigest(), "key": key, "format": FORMAT}
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, content)  # the file first: its digest names it only once it is whole
    _write(_digest_path(path), json.dumps(recorded).encode())
    saved = sorted(path.parent.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime)
    for old in saved[:-KEEP]:
        old.unlink(missing_ok=True)
        _digest_path(old).unlink(missing_ok=True)
    for pickled in path.parent.glob(f"{_PREFIX}*.pickle"):  # earlier versions: unsafe
        pickled.unlink(missing_ok=True)


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + _DIGEST)


def _write(path: Path, content: bytes) -> None:
    """``content`` at ``path`` by rename, the file 0600 (mkstemp's mode)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
