"""The screening index saved as a file: reused while the lists are unchanged, rebuilt
when a list gets a new version."""

from __future__ import annotations

from pathlib import Path

from sanctio.lists import read_list
from sanctio.registry import Registry
from sanctio.screening import Query
from sanctio.screening.cache import load_screener
from tests.listfiles import NAME, read_rows, write_rows


def _saved(directory: Path) -> list[Path]:
    return sorted(directory.glob("screening-index-*.pickle"))


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
    saved.write_bytes(b"not a pickle")
    screener = load_screener(registry, None, cache)
    assert screener.screen(Query.make("Lidia Yermoshina"))[0].comparison.match
    assert saved.read_bytes() != b"not a pickle"
