"""The screening index saved as a file: reused while the lists are unchanged, rebuilt
when a list gets a new version; data that cannot run code, used only when its SHA-256
is the one recorded beside it."""

from __future__ import annotations

import logging
import os
import pickle
import stat
from pathlib import Path

import pytest

from sanctio.lists import read_list
from sanctio.registry import Registry
from sanctio.screening import Query
from sanctio.screening.cache import load_screener
from tests.listfiles import NAME, read_rows, write_rows


def _saved(directory: Path) -> list[Path]:
    return sorted(directory.glob("screening-index-*.npz"))


def test_index_is_saved_reused_and_rebuilt_on_a_new_version(
    db_url: str, belarus_csv: Path, tmp_path: Path
) -> None:
    registry = Registry(db_url)
    registry.import_list(read_list(belarus_csv), name="blr")
    cache = tmp_path / "cache"
    first = load_screener(registry, None, cache)
    (saved,) = _saved(cache)
    built_at = saved.stat().st_mtime_ns

    again = load_screener(registry, None, cache)
    assert again is not first  # read back from the file, not the same object
    assert _saved(cache) == [saved]
    assert saved.stat().st_mtime_ns == built_at
    query = Query.make("Лидия Ермошина")
    assert [(m.entity.id, m.score) for m in again.screen(query)] == [
        (m.entity.id, m.score) for m in first.screen(query)
    ]

    rows = read_rows(belarus_csv)
    kept = [rows[0], *(r for r in rows[1:] if "YARMOSHINA" not in r[NAME])]
    registry.import_list(read_list(write_rows(tmp_path / "smaller.csv", kept)), name="blr")
    rebuilt = load_screener(registry, None, cache)
    assert len(_saved(cache)) == 2
    assert all("YARMOSHINA" not in m.entity.caption for m in rebuilt.screen(query))


def test_unreadable_index_file_is_rebuilt(belarus_csv: Path, tmp_path: Path) -> None:
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    registry.import_list(read_list(belarus_csv), name="blr")
    cache = tmp_path / "cache"
    load_screener(registry, None, cache)
    (saved,) = _saved(cache)
    saved.write_bytes(b"not an index")
    screener = load_screener(registry, None, cache)
    assert screener.screen(Query.make("Lidia Yermoshina"))[0].comparison.match
    assert saved.read_bytes() != b"not an index"


class _Planted:
    """What an attacker pickles: unpickling it calls ``os.system`` with a command that
    leaves a file behind."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (self.command,)


def test_a_planted_pickle_never_runs_and_screening_works(
    belarus_csv: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Finding 8: a pickle put where the index lives, under the name Sanctio would read
    (any name: the saved index's or an older version's), is never unpickled."""
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    registry.import_list(read_list(belarus_csv), name="blr")
    cache = tmp_path / "cache"
    load_screener(registry, None, cache)
    (saved,) = _saved(cache)
    proof = tmp_path / "code-ran"
    payload = pickle.dumps(_Planted(f"touch {proof}"))
    saved.write_bytes(payload)  # in place of the index...
    saved.with_name(saved.stem + ".pickle").write_bytes(payload)  # ...and as the old name
    with caplog.at_level(logging.WARNING):
        screener = load_screener(registry, None, cache)
    assert not proof.exists()
    assert screener.screen(Query.make("Lidia Yermoshina"))[0].comparison.match
    assert f"{saved}: its SHA-256 is not the one recorded" in caplog.text
    assert saved.read_bytes() != payload  # rebuilt and saved again
    assert not list(cache.glob("*.pickle"))  # old pickles are removed, never read
    load_screener(registry, None, cache)
    assert not proof.exists()


def test_a_file_with_its_hash_recorded_but_not_an_index_is_rebuilt(
    belarus_csv: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Even with a matching SHA-256 planted beside it, a pickle is not read as one: the
    file is opened as numpy arrays with pickles refused."""
    import hashlib
    import json

    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    registry.import_list(read_list(belarus_csv), name="blr")
    cache = tmp_path / "cache"
    load_screener(registry, None, cache)
    (saved,) = _saved(cache)
    proof = tmp_path / "code-ran"
    payload = pickle.dumps(_Planted(f"touch {proof}"))
    saved.write_bytes(payload)
    digest = saved.with_name(saved.name + ".sha256")
    recorded = json.loads(digest.read_text())
    recorded["sha256"] = hashlib.sha256(payload).hexdigest()
    digest.write_text(json.dumps(recorded))
    with caplog.at_level(logging.WARNING):
        screener = load_screener(registry, None, cache)
    assert not proof.exists()
    assert "not a screening index Sanctio can read" in caplog.text
    assert screener.screen(Query.make("Lidia Yermoshina"))[0].comparison.match


def test_the_saved_index_is_readable_by_its_owner_only(belarus_csv: Path, tmp_path: Path) -> None:
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    registry.import_list(read_list(belarus_csv), name="blr")
    cache = tmp_path / "cache"
    load_screener(registry, None, cache)
    for path in cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
