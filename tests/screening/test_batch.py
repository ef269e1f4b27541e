"""Screening a file: the garbage collector leaves the index alone meanwhile, and is
left as the caller had it."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Screener
from sanctio.screening.batch import screen_file


@pytest.fixture
def screener() -> Screener:
    listed = Entity.make("Person", "yarmoshina", caption="Lidzia YARMOSHINA", target=True)
    listed.add("name", "Lidzia YARMOSHINA")
    found = Screener()
    found.add([listed], "test")
    return found


def _screen(
    screener: Screener, tmp_path: Path, frozen: list[int] | None = None
) -> list[dict[str, object]]:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Лидия Ермошина\n2,Anna Schmidt\n", "utf-8")
    out = tmp_path / "out.jsonl"
    seen = frozen if frozen is not None else []
    progress = lambda _rows: seen.append(gc.get_freeze_count())  # noqa: E731
    screen_file(screener, source, out, DEFAULT_THRESHOLD, workers=1, progress=progress)
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_the_heap_frozen_while_screening_is_let_go_after(
    screener: Screener, tmp_path: Path
) -> None:
    gc.unfreeze()  # as a caller who never froze it (an earlier test's service did)
    during: list[int] = []
    rows = _screen(screener, tmp_path, during)
    assert [row["id"] for row in rows if row["matches"]] == ["1"]
    # the collector left the index alone while rows were screened, and is back after
    assert len(during) == 2
    assert min(during) > 0
    assert gc.get_freeze_count() == 0


def test_a_heap_the_caller_froze_stays_frozen(screener: Screener, tmp_path: Path) -> None:
    gc.freeze()
    try:
        _screen(screener, tmp_path)
        assert gc.get_freeze_count() > 0  # unfrozen, it would be 0
    finally:
        gc.unfreeze()
