"""Precinct files read into columns: the real Russian and Belarus files, the generic
CSV, and rows that must be left out with their line and reason."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctio.errors import InputError
from sanctio.forensics.loaders import FORMATS, GENERIC_COLUMNS, UNKNOWN, load_precincts

HEADER = ",".join(GENERIC_COLUMNS)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the real files --------------------------------------------------------------------


def test_russia_2018_loads_every_precinct(shared_data: Path) -> None:
    path = shared_data / "elections" / "russia" / "2018.csv.zip"
    p = load_precincts(path)
    assert p.format == "russia-cik"
    assert len(p) == 97_699
    assert p.excluded == []
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(p.candidates) == 8
    assert p.candidates[p.candidate_index(None)] == "Путин Владимир Владимирович"
    assert p.votes.shape == (97_699, 8)
    # the same precinct straight from the raw line, by column position
    with zipfile.ZipFile(path) as archive:
        text = archive.read("2018.csv").decode("utf-8")
    raw = list(csv.reader(io.StringIO(text)))[50_001]  # header is row 0: this is line 50,002
    i = p.ids.index(f"{raw[0]}/{raw[1]}/{raw[2]}")
    assert i == 50_000
    assert p.regions[i] == raw[0]
    assert p.registered[i] == int(raw[3])
    assert p.ballots_issued[i] == int(raw[5]) + int(raw[6]) + int(raw[7])
    assert p.ballots_found[i] == int(raw[9]) + int(raw[10]) == int(raw[11]) + int(raw[12])
    assert p.votes[i].tolist() == [int(v) for v in raw[15:23]]


@pytest.mark.parametrize(
    ("year", "precincts", "leader", "parties"),
    [
        (2011, 95_225, '6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"', 7),
        (2012, 95_415, "Путин Владимир Владимирович", 5),
    ],
)
def test_russia_2011_and_2012_headers_differ_but_load(
    shared_data: Path, year: int, precincts: int, leader: str, parties: int
) -> None:
    p = load_precincts(shared_data / "elections" / "russia" / f"{year}.csv.zip")
    assert (len(p), len(p.candidates)) == (precincts, parties)
    assert p.candidates[p.candidate_index(None)] == leader
    assert (p.votes.sum(axis=1) <= p.ballots_found).all()


def test_belarus_protocols(shared_data: Path) -> None:
    path = shared_data / "elections" / "belarus-2020" / "protocols.csv"
    p = load_precincts(path)
    assert p.format == "belarus-protocols"
    assert p.candidates == [
        "Дмитриев Андрей Владимирович",
        "Канопацкая Анна Анатольевна",
        "Лукашенко Александр Григорьевич",
        "Тихановская Светлана Георгиевна",
        "Черечень Сергей Владимирович",
        "against all",
    ]
    assert len(p) == 1291
    assert len(p) + len(p.excluded) == 1355
    # the same count independently: complete lines 1-3 and candidates, votes within
    # ballots found, first occurrence of each code
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    usable, seen = 0, set()
    for row in rows:
        needed = row[1:4] + row[7:12]
        if not all(v.isdigit() for v in needed):
            continue
        if sum(map(int, row[7:12])) + int(row[13] or 0) > int(row[3]):
            continue
        usable += row[0] not in seen
        seen.add(row[0])
    assert usable == 1291
    first = p.ids.index("01-010-0001")
    assert (p.registered[first], p.ballots_issued[first], p.ballots_found[first]) == (
        1656,
        1329,
        1319,
    )
    assert p.votes[first].tolist() == [21, 16, 464, 701, 16, 96]
    assert p.regions[first] == "Брестская область"
    reasons = {e.precinct: (e.line, e.reason) for e in p.excluded}
    assert reasons["01-010-0002"][0] == 3
    assert "2. Колькасць" in reasons["01-010-0002"][1]
    assert "missing" in reasons["01-010-0002"][1]
    duplicate = [e for e in p.excluded if e.reason.startswith("duplicate")]
    assert len(duplicate) == 1
    assert duplicate[0].precinct == "04-112-0032"


def test_belarus_golos_official_figures_without_ballots_issued(shared_data: Path) -> None:
    p = load_precincts(shared_data / "elections" / "belarus-2020" / "golos-voice.csv")
    assert p.format == "belarus-golos"
    assert len(p) == 1275
    assert (p.ballots_issued == UNKNOWN).all()
    first = p.ids.index("01-010-0001")
    # officialVoters is protocol line 1 (registered), officialVotes line 3 (found)
    assert (p.registered[first], p.ballots_found[first]) == (1656, 1319)
    assert p.votes[first].tolist() == [464, 701, 21, 16, 16, 96]
    unpublished = [e for e in p.excluded if e.reason == "no official protocol published"]
    assert len(unpublished) == 4314


# --- the generic CSV -------------------------------------------------------------------


def test_generic_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "results.csv",
        "Precinct,Region,Registered,Ballots_Issued,Ballots_Found,Alice,Bob\n"
        "P-1,North,1000,700,698,400,290\n"
        "P-2,South,500,300,300,100,195\n",
    )
    p = load_precincts(path)
    assert p.format == "generic"
    assert p.ids == ["P-1", "P-2"]
    assert p.regions == ["North", "South"]
    assert p.registered.tolist() == [1000, 500]
    assert p.ballots_issued.tolist() == [700, 300]
    assert p.ballots_found.tolist() == [698, 300]
    assert p.candidates == ["Alice", "Bob"]
    assert p.votes.tolist() == [[400, 290], [100, 195]]
    assert p.votes.dtype == np.int64
    assert p.source == str(path)
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_rows_are_left_out_with_line_and_reason(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.csv",
        f"{HEADER},Alice,Bob\n"
        "P-1,N,1000,700,698,400,290\n"  # line 2: good
        "P-2,N,1000,-5,698,400,290\n"  # line 3: negative
        "P-3,N,1000,seven,698,400,290\n"  # line 4: not a number
        "P-4,N,1000,700,600,400,290\n"  # line 5: 690 votes > 600 found
        "P-1,N,900,600,598,300,290\n"  # line 6: duplicate of line 2
        "P-6,N,1000,700\n"  # line 7: missing columns
        "\n"  # line 8: blank, skipped
        "P-7,N,1000,700,,400,290\n"  # line 9: blank count
        "P-8,S,800,600,590,300,200\n",  # line 10: good
    )
    p = load_precincts(path)
    assert p.ids == ["P-1", "P-8"]
    got = [(e.precinct, e.line) for e in p.excluded]
    assert got == [("P-2", 3), ("P-3", 4), ("P-4", 5), ("P-1", 6), ("P-6", 7), ("P-7", 9)]
    reasons = [e.reason for e in p.excluded]
    assert reasons[0] == "ballots_issued is negative (-5)"
    assert reasons[1] == "ballots_issued is 'seven'; expected a whole number of 0 or more"
    assert reasons[2] == "votes for the candidates (690) exceed ballots found (600)"
    assert reasons[3] == "duplicate of precinct P-1 on line 2"
    assert reasons[4] == "4 fields where the header has 7"
    assert reasons[5] == "ballots_found is missing"
    assert p.excluded[0].to_dict() == {"precinct": "P-2", "line": 3, "reason": reasons[0]}


def test_line_numbers_count_quoted_newlines(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "multi.csv",
        f'{HEADER},"Alice\nSmith"\nP-1,N,100,50,50,60\nP-2,N,100,50,50,10\n',
    )
    p = load_precincts(path)
    assert p.candidates == ["Alice\nSmith"]
    assert [(e.precinct, e.line) for e in p.excluded] == [("P-1", 3)]


@pytest.mark.parametrize("missing", GENERIC_COLUMNS[1:])
def test_missing_header_column_names_it(tmp_path: Path, missing: str) -> None:
    columns = [c for c in GENERIC_COLUMNS if c != missing]
    path = _write(tmp_path / "short.csv", ",".join(columns) + ",Alice\n" + "1," * 4 + "1\n")
    with pytest.raises(InputError) as caught:
        load_precincts(path)
    assert caught.value.column == missing
    assert missing in str(caught.value)
    assert str(path) in str(caught.value)


def test_forced_format_names_the_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", f"{HEADER},Alice\nP,N,10,5,5,5\n")
    with pytest.raises(InputError, match="tik") as caught:
        load_precincts(path, fmt="russia-cik")
    assert caught.value.column == "tik"  # region exists (generic has one); tik does not


def test_russian_header_without_ballots_found_column(tmp_path: Path) -> None:
    header = (
        'region,tik,uik,"Число избирателей, включенных в список избирателей",'
        '"Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",'
        '"Число избирательных бюллетеней, выданных в помещении для голосования",'
        '"Число избирательных бюллетеней, выданных вне помещения для голосования",'
        "Число бюллетеней в стационарных ящиках для голосования,Кандидат А,url\n"
    )
    path = _write(tmp_path / "ru.csv", header + "R,T,1,100,0,50,0,50,40,http://x\n")
    with pytest.raises(InputError, match="переносных ящиках") as caught:
        load_precincts(path)
    assert caught.value.line == 1


def test_unknown_format_lists_the_formats(tmp_path: Path) -> None:
    path = _write(tmp_path / "what.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(InputError) as caught:
        load_precincts(path)
    message = str(caught.value)
    assert str(path) in message
    assert all(name in message for name in FORMATS)
    with pytest.raises(InputError, match="unknown format 'excel'"):
        load_precincts(path, fmt="excel")


def test_zipped_generic_csv(tmp_path: Path) -> None:
    path = tmp_path / "results.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("results.csv", f"{HEADER},Alice\nP-1,N,100,50,50,30\n")
    p = load_precincts(path)
    assert (p.format, p.ids, p.votes.tolist()) == ("generic", ["P-1"], [[30]])
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- property: what is written is what is read -----------------------------------------

Row = tuple[str, str, int, int, int, list[int]]
_NAME = st.from_regex(r"[A-Za-zА-Яа-я][A-Za-zА-Яа-я .'-]{0,12}[A-Za-zА-Яа-я]", fullmatch=True)


@st.composite
def _elections(
    draw: st.DrawFn,
) -> tuple[list[str], list[tuple[str, str, int, int, int, list[int]]]]:
    names = draw(
        st.lists(_NAME, min_size=1, max_size=5, unique_by=str.casefold).filter(
            lambda ns: not any(n.casefold() in GENERIC_COLUMNS for n in ns)
        )
    )
    ids = draw(st.lists(_NAME, min_size=1, max_size=30, unique=True))
    rows: list[Row] = []
    for precinct in ids:
        registered = draw(st.integers(0, 10**7))
        issued = draw(st.integers(0, registered))
        found = draw(st.integers(0, issued))
        votes: list[int] = []
        left = found
        for _ in names:
            v = draw(st.integers(0, left))
            votes.append(v)
            left -= v
        region = draw(_NAME)
        rows.append((precinct, region, registered, issued, found, votes))
    return names, rows


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(election=_elections())
def test_generic_round_trip(tmp_path: Path, election: tuple[list[str], list[Row]]) -> None:
    names, rows = election
    path = tmp_path / "round.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*GENERIC_COLUMNS, *names])
        for precinct, region, registered, issued, found, votes in rows:
            writer.writerow([precinct, region, registered, issued, found, *votes])
    p = load_precincts(path)
    assert p.excluded == []
    assert p.candidates == names
    assert p.ids == [r[0] for r in rows]
    assert p.regions == [r[1] for r in rows]
    assert p.registered.tolist() == [r[2] for r in rows]
    assert p.ballots_issued.tolist() == [r[3] for r in rows]
    assert p.ballots_found.tolist() == [r[4] for r in rows]
    assert p.votes.tolist() == [r[5] for r in rows]
    assert p.votes.shape == (len(rows), len(names))
