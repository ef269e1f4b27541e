"""OFAC remarks read into facts: items copied from the real SDN files, and generated ones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.lists.dates import DateError
from sanctio.lists.ofac_remarks import (
    Document,
    Reference,
    parse_item,
    parse_remarks,
    read_dates,
    split_remarks,
)

# ent_num 29642 (KARAEU) in ../shared/data/lists/ofac/2021/sdn.csv
KARAEU = "DOB 21 Jun 1966; POB Vladikavkaz, Russian Federation; nationality Belarus; Gender Male."
# ent_num 12300 (CIFUENTES VILLA), first items of its remarks in the same file
CIFUENTES = (
    "DOB 13 May 1965; alt. DOB 13 Apr 1968; alt. DOB 07 Jul 1964; POB Medellin, Colombia; "
    "Cedula No. 7548733 (Colombia); Passport AL720622 (Colombia); "
    "R.F.C. CIVJ650513LJA (Mexico); Linked To: BIO FORESTAL S.A.S."
)
COUNTRIES = {"Belarus": "by", "Russia": "ru", "Colombia": "co", "Korea, North": "kp"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_karaeu_remarks_become_properties() -> None:
    remarks = parse_remarks(KARAEU)
    assert remarks.values("birthDate") == ["1966-06-21"]
    assert remarks.values("birthPlace") == ["Vladikavkaz, Russian Federation"]
    assert remarks.values("birthCountry") == ["ru"]
    assert remarks.values("nationality") == ["by"]
    assert remarks.values("gender") == ["male"]
    assert remarks.notes == []


def test_several_birth_dates_documents_and_links() -> None:
    remarks = parse_remarks(CIFUENTES)
    assert remarks.values("birthDate") == ["1965-05-13", "1968-04-13", "1964-07-07"]
    assert [(d.label, d.prop, d.number, d.country) for d in remarks.documents] == [
        ("Cedula No.", "idNumber", "7548733", "co"),
        ("Passport", "passportNumber", "AL720622", "co"),
        ("R.F.C.", "taxNumber", "CIVJ650513LJA", "mx"),
    ]
    assert remarks.documents[1] == Document(
        "Passport", "passportNumber", "AL720622", "co", None, None, "Passport AL720622 (Colombia)"
    )
    # the final '.' of the remarks is OFAC's full stop; the name resolver ignores it
    assert remarks.references == [
        Reference("linked", "BIO FORESTAL S.A.S", "Linked To: BIO FORESTAL S.A.S")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29 Jan 1953", ["1953-01-29"]),
        ("1954", ["1954"]),
        ("Jan 1960", ["1960-01"]),
        ("circa 1951", ["1951"]),
        ("circa 07 Jul 1966", ["1966-07-07"]),
        ("1960 to 1962", ["1960", "1961", "1962"]),
        ("between 1960 and 1962", ["1960", "1961", "1962"]),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"]),
        ("01 Jan 1961 to 31 Dec 1963", ["1961", "1962", "1963"]),
        ("01 Oct 1992 to 31 Oct 1992", ["1992-10"]),
        ("26 Sep 1946 to 07 Dec 1946", ["1946"]),
        ("Mar 1960 to Feb 1961", ["1960", "1961"]),
        ("1900 to 1950", ["1900", "1950"]),  # longer than 20 years: the two ends only
    ],
)
def test_ofac_date_forms(text: str, expected: list[str]) -> None:
    assert read_dates(text) == expected


def test_impossible_or_reversed_dates_are_errors_and_remark_keeps_them_as_notes() -> None:
    with pytest.raises(DateError):
        read_dates("31 Feb 1960")
    with pytest.raises(DateError):
        read_dates("1962 to 1960")
    remarks = parse_remarks("DOB 31 Feb 1960; alt. DOB 1962 to 1960")
    assert remarks.values("birthDate") == []
    assert remarks.notes == ["DOB 31 Feb 1960", "alt. DOB 1962 to 1960"]


def test_passport_with_issue_and_expiry_dates() -> None:
    # the 2021 file prints "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001";
    # here with an issuing country added, as other passports there have one
    (document,) = parse_remarks(
        "Passport L 191609 (Egypt) issued 28 Feb 1996 expires 27 Feb 2001"
    ).documents
    assert (document.number, document.country) == ("L 191609", "eg")
    assert (document.issued, document.expires) == ("1996-02-28", "2001-02-27")


def test_a_parenthesis_that_is_no_country_keeps_the_number_and_notes_the_item() -> None:
    item = "Matricula Mercantil No 30401904 (Medellin)"
    remarks = parse_item(item)
    assert [d.number for d in remarks.documents] == ["30401904"]
    assert remarks.documents[0].country is None
    assert remarks.notes == [item]


def test_weak_akas_lose_their_quotes_and_stay_weak() -> None:
    remarks = parse_remarks("a.k.a. 'ALPHA GROUP'; a.k.a. 'ALPHA UNIT'.")  # ent_num 30702
    assert remarks.values("weakAlias") == ["ALPHA GROUP", "ALPHA UNIT"]
    assert parse_item("a.k.a. ''ABD AL-MUHSI'").values("weakAlias") == ["'ABD AL-MUHSI"]


def test_vessel_aircraft_and_organisation_items() -> None:
    remarks = parse_remarks(
        "Former Vessel Flag Malta; Vessel Registration Identification IMO 9187629; "
        "MMSI 572469210; International Maritime Organization No. (5777731); "
        "Aircraft Model IL76-TD; Aircraft Manufacture Date 1992; "
        "Aircraft Manufacturer's Serial Number (MSN) 1023409321; Aircraft Operator POUYA AIR; "
        "Organization Established Date 28 Mar 1991; Legal Entity Number 485100GBI2SE0KIX8T70"
    )
    assert remarks.values("pastFlags") == ["mt"]
    assert remarks.values("imoNumber") == ["9187629", "5777731"]
    assert remarks.values("mmsi") == ["572469210"]
    assert remarks.values("model") == ["IL76-TD"]
    assert remarks.values("buildDate") == ["1992"]
    assert remarks.values("serialNumber") == ["1023409321"]
    assert remarks.values("incorporationDate") == ["1991-03-28"]
    assert [r.name for r in remarks.references] == ["POUYA AIR"]
    # a 20-character Legal Entity Number is an LEI
    assert [(d.prop, d.number) for d in remarks.documents] == [("leiCode", "485100GBI2SE0KIX8T70")]


def test_contacts_and_sanction_provisions() -> None:
    remarks = parse_remarks(
        "Email Address info@nitc.co.ir; Website www.nitc.co.ir; Phone Number 8613314257947; "
        "Telephone (98)(21)(66153220); Fax (98)(21)(22224537); "
        "Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"
    )
    assert remarks.values("email") == ["info@nitc.co.ir"]
    assert remarks.values("website") == ["www.nitc.co.ir"]
    assert remarks.values("phone") == ["+8613314257947", "+982166153220"]
    assert remarks.notes == ["Fax (98)(21)(22224537)"]
    assert remarks.provisions == [
        "Additional Sanctions Information - Subject to Secondary Sanctions",
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
    ]


def test_prose_is_kept_word_for_word() -> None:
    # ent_num 9797 (LUKASHENKA, Viktar) in the 2021 file
    remarks = parse_remarks(
        "Head of Presidential Guard; Also identified as National Security Advisor."
    )
    assert remarks.notes == [
        "Head of Presidential Guard",
        "Also identified as National Security Advisor",
    ]
    assert remarks.facts == []


def test_empty_remarks() -> None:
    assert split_remarks("-0- ") == []
    assert parse_remarks("").facts == []


# -- generated remarks parse back to their values ----------------------------------------

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2015, 12, 31))


@given(birth_dates, st.booleans())
def test_generated_dob_parses_back(born: date, alternative: bool) -> None:
    item = (
        f"{'alt. ' if alternative else ''}DOB {born.day:02d} {MONTHS[born.month - 1]} {born.year}"
    )
    assert parse_item(item).values("birthDate") == [born.isoformat()]


@given(birth_dates, st.sampled_from(["", "circa "]))
def test_generated_month_and_year_forms_parse_back(born: date, circa: str) -> None:
    assert parse_item(f"DOB {circa}{born.year}").values("birthDate") == [str(born.year)]
    month = f"DOB {circa}{MONTHS[born.month - 1]} {born.year}"
    assert parse_item(month).values("birthDate") == [f"{born.year}-{born.month:02d}"]


@given(st.integers(1900, 2010), st.integers(0, 20))
def test_generated_year_ranges_give_every_year(start: int, span: int) -> None:
    years = parse_item(f"DOB {start} to {start + span}").values("birthDate")
    assert years == [str(y) for y in range(start, start + span + 1)]


places = st.from_regex(r"[A-Z][a-z]{2,12}(?: [A-Z][a-z]{2,10})?", fullmatch=True)


@given(places, st.sampled_from(sorted(COUNTRIES)))
def test_generated_pob_parses_back(town: str, country: str) -> None:
    remarks = parse_item(f"POB {town}, {country}")
    assert remarks.values("birthPlace") == [f"{town}, {country}"]
    assert remarks.values("birthCountry") == [COUNTRIES[country]]


@given(
    st.from_regex(r"[A-Z]{0,2}[0-9]{5,10}", fullmatch=True),
    st.sampled_from(sorted(COUNTRIES)),
    st.sampled_from(["Passport", "Diplomatic Passport", "National ID No.", "Tax ID No."]),
    st.one_of(st.none(), birth_dates),
)
def test_generated_documents_parse_back(
    number: str, country: str, label: str, issued: date | None
) -> None:
    item = f"{label} {number} ({country})"
    if issued:
        item += f" issued {issued.day:02d} {MONTHS[issued.month - 1]} {issued.year}"
    (document,) = parse_item(item).documents
    assert (document.label, document.number) == (label, number)
    assert document.country == COUNTRIES[country]
    assert document.issued == (issued.isoformat() if issued else None)


@given(st.text(max_size=300))
def test_arbitrary_text_never_fails_and_every_item_lands_somewhere(text: str) -> None:
    for item in split_remarks(text):
        remarks = parse_item(item)
        placed = [
            *remarks.facts,
            *remarks.documents,
            *remarks.references,
            *remarks.provisions,
            *remarks.notes,
        ]
        assert placed, f"item {item!r} was dropped"
