"""The independent count against the official protocols, precinct by precinct."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.errors import InputError
from sanctio.forensics.reconcile import GOLOS_CANDIDATES, load_golos, reconcile

KEYS = list(GOLOS_CANDIDATES)


def test_belarus_protocols_contradicted_for_tsikhanouskaya(shared_data: Path) -> None:
    path = shared_data / "elections" / "belarus-2020" / "golos-voice.csv"
    result = reconcile(load_golos(path), "tihanovkaja")
    # the same count, straight from the file with the csv module
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    clean = [r for r in rows if not any(v.startswith("-") for v in r.values() if v)]
    known = [r for r in clean if r["tihanovkaja_officialVotes"] != ""]
    by_photos = sum(
        int(r["tihanovkaja_photoVoices"] or 0) > int(r["tihanovkaja_officialVotes"]) for r in known
    )
    assert result.with_protocol == len(known) == 1392
    assert result.contradicted_by_photos == by_photos == 441
    assert result.contradicted_by_registrations == 652
    assert [(e.precinct, e.line) for e in result.excluded] == [
        ("01-011-0022", 67),
        ("03-096-0060", 2291),
        ("05-039-0017", 3842),
    ]
    worst = result.contradictions[0]
    assert worst.precinct == "07-006-0042"
    assert worst.missing_at_least == 2553 - 244
    assert "accuses no person" in result.to_dict()["note"]
    # the leader's official figure is never below what voters proved for him
    assert reconcile(load_golos(path), "lukashenko").contradicted_by_photos == 0


def _golos_file(path: Path, rows: list[tuple[int, int, int | None]]) -> None:
    header = ["id"] + [
        f"{k}_{s}" for k in KEYS for s in ("registered", "photoVoices", "officialVotes")
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n, (registered, photos, official) in enumerate(rows):
            values: list[object] = []
            for key in KEYS:
                if key == "tihanovkaja":
                    values += [registered, photos, "" if official is None else official]
                else:
                    values += [0, 0, 0]
            writer.writerow([f"01-001-{n:04d}", *values])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 500), st.none() | st.integers(0, 500)).filter(
            lambda t: t[1] <= t[0]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_precinct_is_contradicted_exactly_when_proof_exceeds_the_protocol(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, int, int | None]]
) -> None:
    path = tmp_path_factory.mktemp("golos") / "golos.csv"
    _golos_file(path, rows)
    result = reconcile(load_golos(path), "Tsikhanouskaya")
    expected = {
        f"01-001-{n:04d}"
        for n, (registered, photos, official) in enumerate(rows)
        if official is not None and max(registered, photos) > official
    }
    assert {c.precinct for c in result.contradictions} == expected
    assert result.with_protocol == sum(official is not None for _, _, official in rows)


def test_a_file_without_the_golos_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,lukashenko_registered\n01-001-0001,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column lukashenko_photoVoices") as error:
        load_golos(path)
    assert str(path) in str(error.value)
