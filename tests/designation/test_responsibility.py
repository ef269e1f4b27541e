"""Incidents, posts and occupancies leading to candidates, on SQLite and PostgreSQL.

Every body, person and source here is made up.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.designation.records import Dossier
from sanctio.designation.responsibility import NOTICE, Responsibility
from sanctio.designation.responsibility_records import Body, OccupancyRecord, PersonOfInterest
from sanctio.designation.responsibility_types import Candidate, Holding, IncidentSource
from sanctio.designation.roster import ROSTER_COLUMNS
from sanctio.designation.workflow import Designation, WorkflowError
from sanctio.errors import InputError
from sanctio.registry import Registry
from sanctio.registry.audit import entries, verify

OFFICER = Actor("officer", Role.OFFICER)
PROPOSER = Actor("hr", Role.PROPOSER)
VIEWER = Actor("viewer", Role.VIEWER)
SHA = "cd" * 32
DAY = date(2020, 8, 10)
UNIT = "Riot Police Unit of Vostok"
DIRECTORATE = "Internal Affairs Directorate of Vostok"
MINISTRY = "Ministry of the Interior of Ruritania"


@pytest.fixture
def rights(registry: Registry) -> Responsibility:
    flow = Designation(registry)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(
        OFFICER,
        "RUR",
        "Ruritania",
        "Decision 0000/1/CFSP",
        "Regulation (EU) 0000/2",
        ["responsible for the repression of civil society"],
        ["Asset freeze"],
    )
    return Responsibility(flow)


def hold(
    rights: Responsibility,
    body: str,
    post: str,
    rank: int,
    name: str,
    start: str,
    end: str | None = None,
    source: str = "",
) -> int:
    held = rights.add_holding(
        PROPOSER,
        Holding(
            body_code=body,
            post=post,
            rank=rank,
            person_names=(name,),
            start=date.fromisoformat(start),
            end=date.fromisoformat(end) if end else None,
            source=source or f"Decree on {name}, {start}",
        ),
    )
    return held.person_id


@pytest.fixture
def chain(rights: Responsibility) -> dict[str, int]:
    """A unit under a directorate under a ministry, with commanders in succession and
    deputies whose terms end the day before and start the day after the incident."""
    rights.add_body(OFFICER, "mvd-rur", MINISTRY, "ministry")
    rights.add_body(PROPOSER, "uvd-vostok", DIRECTORATE, "security_unit", parent="mvd-rur")
    rights.add_body(PROPOSER, "omon-vostok", UNIT, "security_unit", parent="uvd-vostok")
    people = {
        "anton": hold(rights, "omon-vostok", "Commander", 1, "Anton TESTAROU", "2016-01-01",
                      "2020-02-29"),
        "boris": hold(rights, "omon-vostok", "Commander", 1, "Boris PRYKLADAU", "2020-03-01",
                      "2020-08-10", "Decree No 12 of 2020-03-01"),
        "kirill": hold(rights, "omon-vostok", "Commander", 1, "Kirill ZAMENAU", "2020-08-11"),
        "dmitri": hold(rights, "omon-vostok", "Deputy Commander", 2, "Dmitri VCHORA",
                       "2018-01-01", "2020-08-09"),
        "evgeni": hold(rights, "omon-vostok", "Deputy Commander", 2, "Evgeni ZAUTRA",
                       "2020-08-11"),
        "fyodor": hold(rights, "omon-vostok", "Deputy Commander", 2, "Fyodor STALY",
                       "2019-05-01"),
        "viktor": hold(rights, "uvd-vostok", "Head", 1, "Viktor NACHALNIK", "2019-11-01",
                       source="Directorate staff list, November 2019"),
        "grigory": hold(rights, "mvd-rur", "Minister", 1, "Grigory MINISTRAU", "2019-01-01",
                        source="Presidential decree No 1 of 2019"),
    }  # fmt: skip
    number = rights.record_incident(
        PROPOSER,
        "2020-08-10T23:30",
        "Vostok, Central Square",
        "Protesters beaten and detained by riot police",
        ["omon-vostok"],
        [IncidentSource("video filmed by a bystander", SHA)],
        victims=14,
        detainees=120,
    )
    assert number == 1
    return people


def test_the_officials_in_post_on_the_incident_date_are_the_candidates(
    rights: Responsibility, chain: dict[str, int]
) -> None:
    found = rights.candidates_for_incident(VIEWER, 1)
    assert [c.person_id for c in found] == [
        chain["boris"],  # the unit's head, in post until the incident date included
        chain["fyodor"],  # its deputy with no end date
        chain["viktor"],  # up the chain of command: the directorate's head
        chain["grigory"],  # and the ministry's
    ]
    for absent in ("anton", "kirill", "dmitri", "evgeni"):  # ended before / started after
        assert chain[absent] not in {c.person_id for c in found}
    assert [(c.post, c.body) for c in found] == [
        ("Commander", UNIT),
        ("Deputy Commander", UNIT),
        ("Head", DIRECTORATE),
        ("Minister", MINISTRY),
    ]
    boris = found[0]
    assert (boris.name, boris.since, boris.until) == (
        "Boris PRYKLADAU",
        date(2020, 3, 1),
        date(2020, 8, 10),
    )
    assert boris.reasoning == (
        f"incident 1 (2020-08-10, Vostok, Central Square): {UNIT} involved",
        f"Commander of {UNIT} held by Boris PRYKLADAU from 2020-03-01 to 2020-08-10 "
        "(source: Decree No 12 of 2020-03-01)",
    )
    assert "no end date recorded" in found[1].reasoning[1]
    minister = found[3]
    assert minister.reasoning == (
        f"incident 1 (2020-08-10, Vostok, Central Square): {UNIT} involved",
        f"{UNIT} is under {DIRECTORATE}",
        f"{DIRECTORATE} is under {MINISTRY}: its Minister on 2020-08-10 was Grigory MINISTRAU "
        "(in post from 2019-01-01, no end date recorded; source: Presidential decree No 1 "
        "of 2019)",
    )
    assert not any(c.has_dossier for c in found)
    assert found[0].to_dict()["until"] == "2020-08-10"
    with Session(rights.registry.engine) as session:  # leads only: no dossier made
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_restricted_sources_are_hidden_from_a_viewer(
    rights: Responsibility, chain: dict[str, int]
) -> None:
    number = rights.record_incident(
        OFFICER,
        "2020-08-11",
        "Vostok, detention centre",
        "Detainees beaten on arrival",
        ["omon-vostok", "uvd-vostok"],
        [
            IncidentSource("published photographs", SHA),
            IncidentSource("statement of a detainee (name withheld)", "ef" * 32, "restricted"),
        ],
    )
    seen = rights.incident(VIEWER, number)
    assert [s.source for s in seen.sources] == ["published photographs"]
    cleared = rights.incident(PROPOSER, number)
    assert [(s.number, s.sensitivity) for s in cleared.sources] == [
        (1, "public"),
        (2, "restricted"),
    ]
    assert cleared.bodies == (("omon-vostok", UNIT), ("uvd-vostok", DIRECTORATE))
    assert (cleared.on, cleared.occurred_at) == (date(2020, 8, 11), "2020-08-11")
    last = entries(rights.registry.engine)[-1]
    assert last.action == "incident.recorded"
    assert "name withheld" not in str(last.payload)  # the audit log is not restricted
    # on 11 August the new commander is in post; the directorate is involved itself,
    # so its head is listed once, as involved, not again up the chain
    found = rights.candidates_for_incident(VIEWER, number)
    assert [c.name for c in found] == [
        "Kirill ZAMENAU",
        "Fyodor STALY",  # one post's holders by the start of their terms
        "Evgeni ZAUTRA",
        "Viktor NACHALNIK",
        "Grigory MINISTRAU",
    ]
    assert found[3].reasoning[0].endswith(f"{DIRECTORATE} involved")


def test_overlapping_heads_and_backward_dates_are_refused(
    rights: Responsibility, chain: dict[str, int]
) -> None:
    with pytest.raises(WorkflowError) as refused:
        hold(rights, "omon-vostok", "Commander", 1, "Ivan PAVTORNY", "2020-06-01", "2020-07-01")
    message = str(refused.value)
    assert "Boris PRYKLADAU" in message
    assert "Ivan PAVTORNY" in message
    assert "head post" in message
    with pytest.raises(WorkflowError, match="ends on 2019-01-01, before it starts on 2019-02-01"):
        hold(rights, "mvd-rur", "Minister", 1, "Ivan PAVTORNY", "2019-02-01", "2019-01-01")
    # a handover on the day the next minister starts is not an overlap
    hold(rights, "mvd-rur", "Minister", 1, "Pavel RANEJSHY", "2015-01-01", "2019-01-01")
    # a deputy post may have several holders at once
    hold(rights, "omon-vostok", "Deputy Commander", 2, "Ivan PAVTORNY", "2020-01-01")
    with pytest.raises(PermissionDeniedError, match="needs officer or proposer"):
        rights.add_body(VIEWER, "x", "X", "other")
    person = rights.add_person(OFFICER, ["Oleg ADZINY", "Олег АДЗІНЫ"], "1970-05-05")
    with pytest.raises(WorkflowError, match=f"recorded already as person {person}"):
        rights.add_person(OFFICER, ["Oleg  ADZINY"], "1970-05-05")
    post = rights.add_post(OFFICER, "uvd-vostok", "First Deputy Head", 2)
    occupancy = rights.add_occupancy(OFFICER, person, post, date(2020, 1, 1), None, "staff list")
    assert entries(rights.registry.engine)[-1].subject == f"occupancy:{occupancy}"
    with pytest.raises(WorkflowError, match="already holds First Deputy Head"):
        rights.add_occupancy(OFFICER, person, post, date(2020, 6, 1), None, "another list")


def roster(path: Path, *rows: str, header: str = ",".join(ROSTER_COLUMNS)) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


COMMISSION_ROWS = (
    "CEC,Central Election Commission of Ruritania,election_commission,,Chair,1,"
    "Alena PRYKLADNAYA|Алена ПРЫКЛАДНАЯ,1960-01-02,2016-03-01,,Official gazette 2016/3",
    "CEC,Central Election Commission of Ruritania,election_commission,,Secretary,3,"
    "Maria SAKRATAR,,2017-01-01,,Commission website",
    "CEC,Central Election Commission of Ruritania,election_commission,,Chair,1,"
    "Oksana RANEJ,,2010-01-01,2016-02-28,Official gazette 2010/1",
    "CEC,Central Election Commission of Ruritania,election_commission,,Deputy Chair,2,"
    "Nina NAMESNIK,,2016-03-01,,Official gazette 2016/3",
)


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (
            "omon-vostok,Riot Police Unit of Vostok,security_unit,,Commander,1,"
            "Lev DRUGI,,2020-13-01,,Decree",
            "start_date",
            "'2020-13-01' is not a date",
        ),
        (  # caught only against the rows stored before it: they are rolled back
            "omon-vostok,Riot Police Unit of Vostok,security_unit,,Commander,1,"
            "Lev DRUGI,,2021-01-01,,Decree",
            "start_date",
            "head post",
        ),
    ],
)
def test_a_bad_roster_row_is_named_and_nothing_is_stored(
    rights: Responsibility, tmp_path: Path, bad_row: str, column: str, message: str
) -> None:
    path = roster(
        tmp_path / "roster.csv",
        "mvd-rur,Ministry of the Interior of Ruritania,ministry,,Minister,1,"
        "Grigory MINISTRAU,,2019-01-01,,Decree No 1",
        "omon-vostok,Riot Police Unit of Vostok,security_unit,mvd-rur,Commander,1,"
        "Boris PRYKLADAU,1975-04-04,2020-03-01,,Decree No 12",
        bad_row,
    )
    before = len(entries(rights.registry.engine))
    with pytest.raises(InputError) as refused:
        rights.import_roster(PROPOSER, path)
    assert (refused.value.line, refused.value.column) == (4, column)
    assert message in refused.value.message
    assert str(refused.value).startswith(f"{path}, line 4, column {column}: ")
    with Session(rights.registry.engine) as session:
        for table in (Body, PersonOfInterest, OccupancyRecord):
            assert session.scalar(select(func.count()).select_from(table)) == 0
    assert len(entries(rights.registry.engine)) == before


def test_commission_members_on_the_election_date(rights: Responsibility, tmp_path: Path) -> None:
    path = roster(
        tmp_path / "cec.csv",
        *(row + ",," for row in COMMISSION_ROWS[:1]),
        *(row + ",,2020-08-09" for row in COMMISSION_ROWS[1:]),
        header=",".join([*ROSTER_COLUMNS, "evidence_sha256", "body_date"]),
    )
    result = rights.import_roster(OFFICER, path)
    assert len(result.occupancies) == 4
    assert result.created == {"bodies": 1, "posts": 3, "persons": 4}
    found = rights.candidates_for_commission(VIEWER, "CEC")
    assert [(c.name, c.post) for c in found] == [
        ("Alena PRYKLADNAYA", "Chair"),
        ("Nina NAMESNIK", "Deputy Chair"),
        ("Maria SAKRATAR", "Secretary"),
    ]
    assert found[0].reasoning[0] == (
        "Central Election Commission of Ruritania (CEC, election commission) on 2020-08-09 "
        "(its election date)"
    )
    assert "(source: Official gazette 2016/3)" in found[0].reasoning[1]
    earlier = rights.candidates_for_commission(VIEWER, "CEC", date(2012, 5, 1))
    assert [c.name for c in earlier] == ["Oksana RANEJ"]
    again = rights.import_roster(OFFICER, path)  # the same file again changes nothing
    assert (again.occupancies, again.unchanged) == ((), 4)
    actions = [e.action for e in entries(rights.registry.engine)]
    assert actions[-2:] == ["roster.imported", "roster.imported"]


def test_proposing_a_candidate_makes_a_proposed_dossier_with_its_entity(
    rights: Responsibility, chain: dict[str, int]
) -> None:
    first = rights.candidates_for_incident(VIEWER, 1)[0]
    with pytest.raises(PermissionDeniedError):
        rights.propose_from_candidate(VIEWER, "RUR", first.person_id, 1, "reasons")
    before = len(entries(rights.registry.engine))
    reasons = "Commander of the riot police unit that beat protesters on 10 August 2020."
    dossier = rights.propose_from_candidate(PROPOSER, "RUR", first.person_id, 1, reasons)
    with Session(rights.registry.engine) as session:
        stored = session.get(Dossier, dossier)
        assert stored is not None
        assert (stored.status, stored.entity_id, stored.reasons) == (
            "proposed",
            first.entity_id,
            reasons,
        )
        assert stored.entity["properties"]["name"] == ["Boris PRYKLADAU"]
        assert stored.entity["properties"]["position"] == [
            f"Commander, {UNIT}, from 2020-03-01 to 2020-08-10"
        ]
    records = entries(rights.registry.engine)[before:]
    assert [r.action for r in records] == ["dossier.proposed", "candidate.proposed"]
    assert records[1].payload["dossier"] == dossier
    assert verify(rights.registry.engine).ok
    again = rights.candidates_for_incident(VIEWER, 1)
    assert (again[0].has_dossier, again[0].dossier_id) == (True, dossier)
    assert not again[1].has_dossier
    assert NOTICE.startswith("Candidates are leads for a human decision")


_bodies = itertools.count(1)
_dates = st.dates(date(2019, 1, 1), date(2021, 12, 31))
_terms = st.lists(st.tuples(_dates, st.none() | st.integers(0, 500)), min_size=1, max_size=4)


@st.composite
def terms_and_a_day(draw: st.DrawFn) -> tuple[list[tuple[date, date | None]], date]:
    """Terms (start, end or None), and a day: any day, or one next to a term's edge,
    where an off-by-one would show."""
    terms = [
        (start, start + timedelta(days=length) if length is not None else None)
        for start, length in draw(_terms)
    ]
    edges = [edge for term in terms for edge in term if edge is not None]
    near = st.tuples(st.sampled_from(edges), st.integers(-1, 1)).map(
        lambda pair: pair[0] + timedelta(days=pair[1])
    )
    return terms, draw(_dates | near)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=terms_and_a_day())
def test_a_person_is_a_candidate_exactly_when_the_date_is_in_their_term(
    rights: Responsibility, case: tuple[list[tuple[date, date | None]], date]
) -> None:
    terms, day = case
    code = f"unit-{next(_bodies)}"
    rights.add_body(PROPOSER, code, f"Unit {code}", "security_unit")
    expected = set()
    for number, (start, end) in enumerate(terms):
        person = hold(
            rights,
            code,
            "Platoon Leader",
            2,
            f"Person {number} of {code}",
            start.isoformat(),
            end.isoformat() if end else None,
        )
        if start <= day and (end is None or day <= end):
            expected.add(person)
    incident = rights.record_incident(
        PROPOSER, day, "somewhere", "something", [code], [IncidentSource("a report", SHA)]
    )
    found: list[Candidate] = rights.candidates_for_incident(VIEWER, incident)
    assert {c.person_id for c in found} == expected
