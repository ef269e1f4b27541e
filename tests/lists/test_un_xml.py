"""The UN consolidated list reader, on the real file (../shared/data) and on small copies
with one thing wrong."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from sanctio.errors import InputError
from sanctio.lists import detect_format, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.lists.un_xml import (
    MAX_YEAR_RANGE,
    BirthDateError,
    assemble_name,
    birth_dates,
)
from sanctio.model import Entity
from sanctio.model.types import is_partial_date

_PARSED: dict[Path, ParsedList] = {}


@pytest.fixture
def un_path(shared_data: Path) -> Path:
    return shared_data / "lists" / "un" / "consolidated.xml"


@pytest.fixture
def un_list(un_path: Path) -> ParsedList:
    """The real list, read once per test process (2 MB; the tests only look)."""
    if un_path not in _PARSED:
        _PARSED[un_path] = read_list(un_path)
    return _PARSED[un_path]


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def test_counts_agree_with_an_independent_count_of_the_records(
    un_path: Path, un_list: ParsedList
) -> None:
    raw = un_path.read_bytes()
    individuals = len(re.findall(rb"<INDIVIDUAL>", raw))
    entities = len(re.findall(rb"<ENTITY>", raw))
    assert (individuals, entities) == (730, 273)  # release of 2026-02-27
    assert detect_format(un_path) == "un-xml"
    assert (un_list.name, un_list.format) == ("un-sc-consolidated", "un-xml")
    assert un_list.by_schema() == {"LegalEntity": entities, "Person": individuals}
    sanctions = [e for e in un_list.entities if e.schema.name == "Sanction"]
    assert len(sanctions) == individuals + entities
    assert sorted(s.first("entity") or "" for s in sanctions) == sorted(
        t.id for t in un_list.targets
    )


def test_ids_are_the_un_reference_numbers(un_path: Path, un_list: ParsedList) -> None:
    refs = re.findall(rb"<REFERENCE_NUMBER>([^<]+)</REFERENCE_NUMBER>", un_path.read_bytes())
    assert len(refs) == len(set(refs)) == len(un_list.targets)
    assert {f"un-{r.decode().strip()}" for r in refs} == {t.id for t in un_list.targets}


def test_year_only_birth_date_nationality_and_sanction(un_list: ParsedList) -> None:
    entities = by_id(un_list)
    badege = entities["un-CDi.001"]
    assert badege.caption == "ERIC BADEGE"
    assert badege.schema.name == "Person"
    assert badege.get("birthDate") == ["1971"]
    assert badege.get("nationality") == ["cd"]
    assert badege.get("gender") == ["male"]
    assert badege.get("country") == ["rw"]
    assert "address Rwanda: as of early 2016" in badege.get("notes")
    sanction = entities["un-CDi.001--sanction"]
    assert sanction.get("listingDate") == ["2012-12-31"]
    assert sanction.get("unscId") == sanction.get("authorityId") == ["CDi.001"]
    assert sanction.get("programId") == ["UN-DRC"]
    assert sanction.get("authority") == ["United Nations Security Council"]
    assert sanction.get("recordId") == ["6907993"]
    (reason,) = sanction.get("reason")
    assert reason.startswith("He fled to Rwanda in March 2013")


def test_good_aliases_are_aliases_and_low_ones_weak(un_list: ParsedList) -> None:
    taganda = by_id(un_list)["un-CDi.030"]
    assert taganda.get("name") == ["BOSCO TAGANDA"]
    assert taganda.get("alias") == ["Bosco Ntaganda", "Bosco Ntagenda", "General Taganda"]
    assert taganda.get("weakAlias") == ["Lydia", "Terminator", "Tango Romeo", "Romeo", "Major"]
    assert "alias Lydia: When he was part of APR." in taganda.get("notes")
    # BETWEEN 1973 and 1974
    assert taganda.get("birthDate") == ["1973", "1974"]
    assert "birthDate: between 1973 and 1974" in taganda.get("notes")


def test_a_between_range_gives_every_year(un_list: ParsedList) -> None:
    khuwayt = by_id(un_list)["un-QDi.420"]
    assert khuwayt.caption == "TAHA IBRAHIM ABDALLAH BAKR AL KHUWAYT"  # four name parts
    assert khuwayt.get("birthDate") == ["1965", "1966", "1967", "1968", "1969"]
    assert khuwayt.get("birthPlace") == ["Tall 'Afar, Iraq"]
    assert khuwayt.get("birthCountry") == ["iq"]
    assert khuwayt.get("alias") == ["Hajji Abdelnasser", "Hajji Abd al-Nasr", "Hajji 'Abd Al-Nasir"]
    assert khuwayt.get("weakAlias") == ["Taha al-Khuwayt", "Mullah Taha", "Mullah Khuwayt"]
    assert "alias Hajji 'Abd Al-Nasir: formerly listed as" in khuwayt.get("notes")


def test_approximate_year_and_a_month_from_a_note(un_list: ParsedList) -> None:
    entities = by_id(un_list)
    baluku = entities["un-CDi.036"]
    assert baluku.get("birthDate") == ["1977"]
    assert "birthDate 1977: approximately" in baluku.get("notes")
    kaina = entities["un-CDi.004"]  # DOB given only as the note "Nov. 1973"
    assert kaina.get("birthDate") == ["1973-11"]
    assert "birthDate: Nov. 1973" in kaina.get("notes")


def test_documents_original_script_and_updates(un_list: ParsedList) -> None:
    entities = by_id(un_list)
    fitouri = entities["un-LYi.023"]
    assert fitouri.get("alias") == ["احمد عمر امحمد الفيتوري"]
    assert fitouri.get("passportNumber") == ["LY53FP76"]
    assert fitouri.get("idNumber") == ["119880387067"]
    assert fitouri.get("position") == [
        "Commander of the Anas al-Dabbashi militia, Leader of a transnational trafficking network"
    ]
    passport = entities["un-LYi.023--passport-ly53fp76"]
    assert passport.schema.name == "Passport"
    assert passport.get("holder") == ["un-LYi.023"]
    assert passport.get("country") == ["ly"]
    assert passport.get("startDate") == ["2015-09-29"]
    assert passport.get("summary") == ["Issued in Tripoli"]
    national_id = entities["un-LYi.023--identification-119880387067"]
    assert national_id.get("type") == ["National Identification Number"]
    sanction = entities["un-LYi.023--sanction"]
    assert sanction.get("listingDate") == ["2018-06-07"]
    assert sanction.get("summary") == ["Updated by the UN on 2018-09-17, 2020-02-25"]
    assert sanction.get("reason") == [
        "Listed pursuant to paragraphs 15 and 17 of resolution 1970 (Travel Ban, Asset Freeze)"
    ]


def test_entity_aka_and_fka(un_list: ParsedList) -> None:
    adf = by_id(un_list)["un-CDe.001"]
    assert adf.schema.name == "LegalEntity"
    assert adf.get("name") == ["ADF"]
    assert "Allied Democratic Forces" in adf.get("alias")
    assert "ADF/NALU" in adf.get("previousName")
    assert "NALU" in adf.get("previousName")


def test_listing_date_with_a_time_zone(un_list: ParsedList) -> None:
    # the file writes LISTED_ON 2015-07-01-04:00 for this record
    assert by_id(un_list)["un-SSi.001--sanction"].get("listingDate") == ["2015-07-01"]


# --- broken copies -----------------------------------------------------------------------


def write_un(tmp_path: Path, *records: str, name: str = "un.xml") -> Path:
    """A small CONSOLIDATED_LIST; each record starts on a line of its own."""
    body = "\n".join(textwrap.dedent(r).strip() for r in records)
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n'
        f"{body}\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n",
        "utf-8",
    )
    return path


def individual(ref: str = "XXi.001", dataid: str = "1", extra: str = "") -> str:
    return (
        f"<INDIVIDUAL>\n<DATAID>{dataid}</DATAID>\n<FIRST_NAME>MADE-UP</FIRST_NAME>\n"
        f"<SECOND_NAME>PERSON</SECOND_NAME>\n<UN_LIST_TYPE>DRC</UN_LIST_TYPE>\n"
        f"<REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER>\n<LISTED_ON>2020-10-02</LISTED_ON>\n"
        f"{extra}</INDIVIDUAL>"
    )


def test_a_small_file_reads(tmp_path: Path) -> None:
    parsed = read_list(write_un(tmp_path, individual()))
    (person,) = parsed.targets
    assert (person.id, person.caption) == ("un-XXi.001", "MADE-UP PERSON")


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "<INDIVIDUAL_DATE_OF_BIRTH>\n<TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n"
            "<DATE>1970-02-31</DATE>\n</INDIVIDUAL_DATE_OF_BIRTH>\n",
            13,
            "<DATE> '1970-02-31'; expected a date as YYYY-MM-DD",
        ),
        (
            "<INDIVIDUAL_DATE_OF_BIRTH>\n<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>\n"
            "<FROM_YEAR>1975</FROM_YEAR><TO_YEAR>1970</TO_YEAR>\n</INDIVIDUAL_DATE_OF_BIRTH>\n",
            13,
            "<FROM_YEAR> 1975 is after <TO_YEAR> 1970",
        ),
        (
            "<INDIVIDUAL_DATE_OF_BIRTH>\n<YEAR>70</YEAR>\n</INDIVIDUAL_DATE_OF_BIRTH>\n",
            12,
            "<YEAR> '70'; expected a year",
        ),
        ("<GENDER>M</GENDER>\n", 11, "<GENDER> 'M'; expected Male or Female"),
        (
            "<INDIVIDUAL_ALIAS>\n<QUALITY>Medium</QUALITY>\n<ALIAS_NAME>X</ALIAS_NAME>\n"
            "</INDIVIDUAL_ALIAS>\n",
            12,
            "alias QUALITY 'medium'; expected Good, Low, a.k.a. or f.k.a.",
        ),
    ],
)
def test_bad_fields_name_the_file_and_line(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    path = write_un(tmp_path, individual(extra=extra))
    with pytest.raises(InputError) as error:
        read_list(path)
    assert error.value.line == line
    assert message in error.value.message
    assert str(path) in str(error.value)


def test_a_bad_listing_date_names_its_line(tmp_path: Path) -> None:
    path = write_un(tmp_path, individual().replace("2020-10-02", "02.10.2020"))
    with pytest.raises(InputError, match=r"line 10: <LISTED_ON> '02.10.2020'"):
        read_list(path)


def test_a_record_without_a_name_is_refused(tmp_path: Path) -> None:
    record = individual().replace("MADE-UP", "").replace("PERSON", "")
    with pytest.raises(InputError, match=r"line 4: <INDIVIDUAL> without a name"):
        read_list(write_un(tmp_path, record))


def test_a_repeated_reference_falls_back_to_the_record_number(tmp_path: Path) -> None:
    parsed = read_list(write_un(tmp_path, individual(dataid="7"), individual(dataid="8")))
    assert [t.id for t in parsed.targets] == ["un-dataid-7", "un-dataid-8"]
    # the UN reference is still on each Sanction
    assert {s.first("unscId") for s in parsed.entities if not s.target} == {"XXi.001"}


def test_a_repeated_reference_and_record_number_is_refused(tmp_path: Path) -> None:
    path = write_un(tmp_path, individual(dataid="7"), individual(dataid="7"))
    with pytest.raises(InputError, match=r"line 12: id un-dataid-7 was already made from line 4"):
        read_list(path)


def test_wrong_root_and_empty_list(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS/>\n</CONSOLIDATED_LIST>\n", "utf-8")
    with pytest.raises(InputError, match="no INDIVIDUAL or ENTITY records"):
        read_list(empty)
    other = tmp_path / "other.xml"
    other.write_text("<OTHER/>\n", "utf-8")
    with pytest.raises(InputError, match=r"root element <OTHER>; expected <CONSOLIDATED_LIST>"):
        read_list(other, "un-xml")


# --- properties --------------------------------------------------------------------------


def dob(**fields: str) -> etree._Element:
    element = etree.Element("INDIVIDUAL_DATE_OF_BIRTH")
    for tag, value in fields.items():
        etree.SubElement(element, tag).text = value
    return element


words = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=8)
parts = st.lists(
    st.lists(words, max_size=3).map(" ".join) | st.sampled_from(["", "  ", "\t"]),
    max_size=4,
)


@given(parts)
def test_assembled_names_keep_every_word_in_order_with_single_spaces(parts: list[str]) -> None:
    name = assemble_name(parts)
    assert name.split() == " ".join(parts).split()
    assert "  " not in name
    assert name == name.strip()


@given(st.integers(1900, 2010), st.integers(0, 40))
def test_a_year_range_gives_every_year_or_its_ends(first: int, width: int) -> None:
    found, notes = birth_dates(
        dob(TYPE_OF_DATE="BETWEEN", FROM_YEAR=str(first), TO_YEAR=str(first + width))
    )
    every = [str(y) for y in range(first, first + width + 1)]
    assert found == (every if width <= MAX_YEAR_RANGE else [every[0], every[-1]])
    assert notes == [f"birthDate: between {first} and {first + width}"]


@given(st.dates(date(1900, 1, 1), date(2010, 12, 31)), st.sampled_from(["EXACT", "APPROXIMATELY"]))
def test_an_exact_date_reads_back(day: date, kind: str) -> None:
    found, notes = birth_dates(dob(TYPE_OF_DATE=kind, DATE=day.isoformat()))
    assert found == [day.isoformat()]
    assert notes == ([] if kind == "EXACT" else [f"birthDate {day.isoformat()}: approximately"])


xml_text = st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=30)


@given(xml_text)
def test_any_note_is_kept_and_never_breaks_the_read(note: str) -> None:
    found, notes = birth_dates(dob(TYPE_OF_DATE="EXACT", NOTE=note))
    assert all(is_partial_date(d) for d in found)
    assert notes == ([f"birthDate: {' '.join(note.split())}"] if note.strip() else [])


@given(st.text(alphabet="0123456789-./ ", max_size=12))
def test_a_date_field_is_a_date_or_an_error(value: str) -> None:
    error: BirthDateError | None = None
    found: list[str] = []
    try:
        found, _ = birth_dates(dob(TYPE_OF_DATE="EXACT", DATE=value))
    except BirthDateError as exc:
        error = exc
    if error is not None:
        assert "expected a date as YYYY-MM-DD" in str(error)
        assert error.tag == "DATE"
    elif not value.strip():
        assert found == []
    else:
        (day,) = found
        assert date.fromisoformat(day).isoformat() == day
        assert " ".join(value.split()).startswith(day)
