"""The UK Sanctions List readers: XML and CSV give the same entities; bad input names its
file and line."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.errors import InputError
from sanctio.lists import detect_format, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.lists.uk_list import parse_uk_date
from sanctio.model import Entity
from sanctio.model.types import is_partial_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uk"


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


@pytest.mark.parametrize("suffix", ["xml", "csv"])
def test_belarus_designations(suffix: str) -> None:
    path = FIXTURES / f"belarus.{suffix}"
    assert detect_format(path) == f"uk-{suffix}"
    parsed = read_list(path)
    assert (parsed.name, parsed.format) == ("uk-sanctions-list", f"uk-{suffix}")
    assert parsed.by_schema() == {"Person": 2}
    entities = by_id(parsed)
    lukashenko = entities["uk-BEL0001"]
    assert lukashenko.caption == "Alexander Grigorievich LUKASHENKO"  # Name1 Name2 ... Name6
    assert lukashenko.get("alias") == [
        "Aliaksandr Ryhoravich LUKASHENKA",
        "Аляксандр Рыгоравіч ЛУКАШЭНКА",
        "Александр Григорьевич ЛУКАШЕНКО",
    ]
    assert (lukashenko.get("firstName"), lukashenko.get("lastName")) == (
        ["Alexander"],
        ["LUKASHENKO"],
    )
    assert lukashenko.get("birthDate") == ["1954-08-30"]
    assert lukashenko.get("birthPlace") == ["Kopys, Belarus"]
    assert lukashenko.get("birthCountry") == lukashenko.get("nationality") == ["by"]
    assert lukashenko.get("gender") == ["male"]
    assert lukashenko.get("position") == ["President of the Republic of Belarus"]
    sanction = entities["uk-BEL0001--sanction"]
    assert sanction.get("entity") == ["uk-BEL0001"]
    assert sanction.get("authority") == ["United Kingdom"]
    assert sanction.get("authorityId") == ["BEL0001"]
    assert sanction.get("recordId") == ["90001"]  # OFSI group id
    assert sanction.get("program") == [
        "The Republic of Belarus (Sanctions) (EU Exit) Regulations 2019"
    ]
    assert sanction.get("programId") == ["UK-BEL"]
    assert sanction.get("provisions") == ["Asset freeze", "Travel Ban"]
    assert sanction.get("listingDate") == sanction.get("startDate") == ["2020-09-29"]
    assert sanction.get("summary") == ["Designation source: UK; Last updated: 2026-02-01"]
    assert sanction.get("reason") == ["Made-up statement for tests: not the FCDO's text."]
    yermoshina = entities["uk-BEL0002"]
    assert "Лидия Михайловна ЕРМОШИНА" in yermoshina.get("alias")
    assert yermoshina.get("gender") == ["female"]


@pytest.mark.parametrize("fixture", ["belarus", "edge_cases"])
def test_xml_and_csv_give_the_same_entities(fixture: str) -> None:
    from_xml = read_list(FIXTURES / f"{fixture}.xml")
    from_csv = read_list(FIXTURES / f"{fixture}.csv")
    assert [e.to_dict() for e in from_csv.entities] == [e.to_dict() for e in from_xml.entities]
    assert from_csv.content_hash() == from_xml.content_hash()


def test_partial_dates_aliases_by_strength_and_documents() -> None:
    entities = by_id(read_list(FIXTURES / "edge_cases.xml"))
    person = entities["uk-BEL9901"]
    assert person.caption == "IVAN PETROVICH TESTAU"
    # a primary name variation and a Good quality a.k.a are aliases; Low quality (spelt
    # "ALias" as the list sometimes does) is weak
    assert person.get("alias") == ["Ivan Petrovich Testau", "Ivan TESTOV", "Іван Пятровіч ТЭСТАЎ"]
    assert person.get("weakAlias") == ["Vanya"]
    assert person.get("birthDate") == ["1971", "1972-03", "1972-10-24"]
    assert person.get("nationality") == ["by", "ru"]
    assert person.get("title") == ["Colonel"]
    assert person.get("address") == ["Made-up Street 1, Minsk, 220000, Belarus"]
    assert person.get("country") == ["by"]
    assert person.get("notes") == ["Made-up other information."]
    assert person.get("passportNumber") == ["MP0000001"]
    assert person.get("idNumber") == ["3000000A000PB0"]
    passport = entities["uk-BEL9901--passport-mp0000001"]
    assert passport.get("holder") == ["uk-BEL9901"]
    assert passport.get("summary") == ["Belarus passport, issued 2019"]
    national_id = entities["uk-BEL9901--identification-3000000a000pb0"]
    assert national_id.get("summary") == ["Personal number"]
    sanction = entities["uk-BEL9901--sanction"]
    assert sanction.get("unscId") == ["XXi.001"]
    assert sanction.get("summary") == ["Designation source: UN; Last updated: 2025-04-16"]


def test_entities_and_ships() -> None:
    entities = by_id(read_list(FIXTURES / "edge_cases.csv"))
    company = entities["uk-BEL9902"]
    assert company.schema.name == "Organization"
    assert company.get("legalForm") == ["Open Joint Stock Company"]
    assert company.get("registrationNumber") == ["100000001"]
    assert company.get("phone") == ["+375172222222"]
    assert company.get("email") == ["info@example.org"]
    assert company.get("website") == ["https://example.org"]
    assert company.get("weakAlias") == ["MUW"]
    assert company.get("notes") == ["parent company: Made-up Holding"]
    assert entities["uk-BEL9902--sanction"].get("provisions") == [
        "Asset freeze",
        "Trust services sanctions",
    ]
    ship = entities["uk-RUS9903"]
    assert ship.schema.name == "Vessel"
    assert ship.get("imoNumber") == ["9000001"]
    assert (ship.get("flag"), ship.get("pastFlags")) == (["ga"], ["pa"])
    assert ship.get("type") == ["Crude oil tanker"]
    assert ship.get("tonnage") == ["81000"]
    assert ship.get("buildDate") == ["2004"]
    assert ship.get("notes") == ["current owner/operator: Made-up Shipping Ltd"]
    assert entities["uk-RUS9903--sanction"].get("programId") == ["UK-RUS"]


def test_csv_rows_in_any_order_give_the_same_list(tmp_path: Path) -> None:
    lines = (FIXTURES / "edge_cases.csv").read_text("utf-8").splitlines(keepends=True)
    head, rows = lines[:2], lines[2:]
    random.Random(7).shuffle(rows)
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("".join(head + rows), "utf-8")
    original = read_list(FIXTURES / "edge_cases.csv")
    assert read_list(shuffled).content_hash() == original.content_hash()
    without_report_line = tmp_path / "no-report-date.csv"
    without_report_line.write_text("".join(lines[1:]), "utf-8")
    assert read_list(without_report_line).content_hash() == original.content_hash()


# --- bad input: XML ----------------------------------------------------------------------


def edited_xml(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "edge_cases.xml").read_text("utf-8")
    assert old in text
    path = tmp_path / "edited.xml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def line_of(fixture: str, needle: str) -> int:
    text = (FIXTURES / fixture).read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<DOB>24/10/1972</DOB>", "<DOB>31/02/1972</DOB>", "DOB: date '31/02/1972' is not"),
        ("<DOB>24/10/1972</DOB>", "<DOB>1972-10-24</DOB>", "expected dd/mm/yyyy"),
        (
            "<IndividualEntityShip>Ship</IndividualEntityShip>",
            "<IndividualEntityShip>Aircraft</IndividualEntityShip>",
            "designation type 'Aircraft'; expected Individual, Entity or Ship",
        ),
        (
            "<NameType>ALias</NameType>",
            "<NameType>Nickname</NameType>",
            "name type 'Nickname'; expected Primary Name",
        ),
        (
            "<AliasStrength>Low quality a.k.a</AliasStrength>",
            "<AliasStrength>Medium</AliasStrength>",
            "alias strength 'Medium'",
        ),
        ("<Gender>Male</Gender>", "<Gender>M</Gender>", "gender 'M'; expected Male or Female"),
        (
            "<DateDesignated>15/05/2023</DateDesignated>",
            "<DateDesignated>2023</DateDesignated><DateDesignated>15.05.2023</DateDesignated>",
            "DateDesignated: date '15.05.2023'",
        ),
    ],
)
def test_bad_xml_fields_name_their_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = edited_xml(tmp_path, old, new)
    with pytest.raises(InputError) as error:
        read_list(path)
    assert message in error.value.message
    assert error.value.line == line_of("edge_cases.xml", old)
    assert str(path) in str(error.value)


def test_missing_ids_repeated_ids_and_missing_primary_names(tmp_path: Path) -> None:
    path = edited_xml(tmp_path, "<UniqueID>BEL9902</UniqueID>", "")
    with pytest.raises(InputError, match="Designation without UniqueID") as error:
        read_list(path)
    assert error.value.line == line_of("edge_cases.xml", "<UniqueID>BEL9902") - 3
    path = edited_xml(tmp_path, "<UniqueID>BEL9902</UniqueID>", "<UniqueID>BEL9901</UniqueID>")
    first = line_of("edge_cases.xml", "<Designation>")
    with pytest.raises(InputError, match=rf"UniqueID BEL9901 also on line {first}"):
        read_list(path)
    path = edited_xml(
        tmp_path,
        "<NameType>Primary Name</NameType></Name>\n    </Names>\n    <RegimeName>The Russia",
        "<NameType>Alias</NameType></Name>\n    </Names>\n    <RegimeName>The Russia",
    )
    with pytest.raises(InputError, match="designation RUS9903 has no Primary Name"):
        read_list(path)


# --- bad input: CSV ----------------------------------------------------------------------


def csv_rows() -> list[list[str]]:
    text = (FIXTURES / "belarus.csv").read_text("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_csv(tmp_path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "uk.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def test_csv_header_problems(tmp_path: Path) -> None:
    rows = csv_rows()
    header = rows[1]
    no_type = [[c for i, c in enumerate(r) if header[i] != "Designation Type"] for r in rows]
    with pytest.raises(InputError, match=r"line 2: header lacks: Designation Type"):
        read_list(write_csv(tmp_path, no_type), "uk-csv")
    repeated = [rows[0], [*header, "Name 6"], *[[*r, ""] for r in rows[2:]]]
    with pytest.raises(InputError, match=r"line 2: header repeats: name 6"):
        read_list(write_csv(tmp_path, repeated))
    with pytest.raises(InputError, match=r"line 1: no UK Sanctions List header"):
        read_list(write_csv(tmp_path, [["Report Date: 27/02/2026"], ["a", "b"]]), "uk-csv")


def test_csv_row_problems_name_line_and_column(tmp_path: Path) -> None:
    rows = csv_rows()
    short = [*rows[:3], rows[3][:-1], *rows[4:]]
    with pytest.raises(InputError, match=r"line 4: expected 58 fields as in the header, got 57"):
        read_list(write_csv(tmp_path, short))
    no_id = [list(r) for r in rows]
    no_id[4][1] = " "
    with pytest.raises(InputError, match=r"line 5, column Unique ID: empty"):
        read_list(write_csv(tmp_path, no_id))
    bad_dob = [list(r) for r in rows]
    bad_dob[5][rows[1].index("D.O.B")] = "29 Jan 1953"
    with pytest.raises(InputError, match=r"line 6: DOB: date '29 Jan 1953'; expected dd/mm/yyyy"):
        read_list(write_csv(tmp_path, bad_dob))


def test_csv_broken_quoting_names_the_line(tmp_path: Path) -> None:
    lines = (FIXTURES / "belarus.csv").read_text("utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace('"BEL0001"', '"BEL0001"x', 1)
    path = tmp_path / "broken.csv"
    path.write_text("".join(lines), "utf-8")
    with pytest.raises(InputError, match=r"line 4: broken CSV quoting"):
        read_list(path)


# --- properties --------------------------------------------------------------------------

days = st.dates(date(1900, 1, 1), date(2030, 12, 31))


@given(days, st.booleans())
def test_every_date_reads_in_the_fcdo_style(day: date, padded: bool) -> None:
    text = (
        f"{day.day:02d}/{day.month:02d}/{day.year}"
        if padded
        else f"{day.day}/{day.month}/{day.year}"
    )
    assert parse_uk_date(text) == day.isoformat()


@given(days, st.sampled_from(["dd", "DD", "00"]), st.sampled_from(["mm", "MM", "00"]))
def test_masked_days_and_months_keep_what_is_known(day: date, dd: str, mm: str) -> None:
    assert parse_uk_date(f"{dd}/{day.month:02d}/{day.year}") == f"{day.year}-{day.month:02d}"
    assert parse_uk_date(f"{dd}/{mm}/{day.year}") == str(day.year)


@given(st.text(alphabet="0123456789/dm ", max_size=12))
def test_any_text_is_a_partial_date_or_a_value_error(text: str) -> None:
    try:
        value = parse_uk_date(text)
    except ValueError as exc:
        message = str(exc)
    else:
        message = ""
        assert is_partial_date(value)
    assert message == "" or "expected dd/mm/yyyy" in message
