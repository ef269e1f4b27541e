"""The EU Financial Sanctions Files XML: reading the EU's layout, writing our own lists in
it, and reading back what was written."""

from __future__ import annotations

import io
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from sanctio.errors import InputError
from sanctio.lists import detect_format, eu_fsf_xml, read_list
from sanctio.lists.eu_fsf_xml import NS, logical_id, name_language, write
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "eu_fsf"
BELARUS = FIXTURES / "belarus.xml"
EDGES = FIXTURES / "edge_cases.xml"


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def test_belarus_persons_with_belarusian_and_russian_spellings() -> None:
    assert detect_format(BELARUS) == "eu-fsf-xml"
    parsed = read_list(BELARUS)
    assert (parsed.name, parsed.format) == ("eu-fsf", "eu-fsf-xml")
    assert parsed.by_schema() == {"Organization": 1, "Person": 3}
    entities = by_id(parsed)
    yarmoshina = entities["eu-fsf-900001"]
    assert yarmoshina.caption == "Lidzia Mihailauna YARMOSHINA"
    assert yarmoshina.names == [
        "Lidzia Mihailauna YARMOSHINA",
        "Lidia Mikhailovna YERMOSHINA",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ]
    assert (yarmoshina.get("firstName"), yarmoshina.get("lastName")) == (["Lidzia"], ["YARMOSHINA"])
    assert yarmoshina.get("birthDate") == ["1953-01-29"]
    assert yarmoshina.get("birthPlace") == ["Slutsk, Belarus"]
    assert yarmoshina.get("birthCountry") == ["by"]
    assert yarmoshina.get("gender") == ["female"]
    assert yarmoshina.get("position") == [
        "Former Chairwoman of the Central Electoral Commission (CEC)"
    ]
    sanction = entities["eu-fsf-900001--sanction"]
    assert sanction.get("entity") == ["eu-fsf-900001"]
    assert sanction.get("authority") == ["European Union"]
    assert sanction.get("authorityId") == ["EU.9001.01"]
    assert sanction.get("programId") == ["EU-BLR"]  # the same key as the EU journal reader's
    assert sanction.get("program") == ["2020/1387 (OJ L319I)"]
    assert sanction.get("listingDate") == sanction.get("startDate") == ["2020-10-02"]
    assert sanction.get("sourceUrl") == [
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32020R1387"
    ]


def test_identity_card_and_enterprise() -> None:
    entities = by_id(read_list(BELARUS))
    viktar = entities["eu-fsf-900003"]
    assert viktar.get("idNumber") == ["3281175A014PB8"]
    card = entities["eu-fsf-900003--identification-3281175a014pb8"]
    assert card.schema.name == "Identification"
    assert (card.get("holder"), card.get("country")) == (["eu-fsf-900003"], ["by"])
    assert card.get("type") == ["National identification card"]
    company = entities["eu-fsf-900004"]
    assert company.schema.name == "Organization"
    assert company.names == ["Beltechexport", "Белтехэкспорт"]
    assert company.get("registrationNumber") == ["100138662"]
    assert company.get("address") == ["Nezavisimosti Ave. 86-B, Minsk, Belarus"]
    assert company.get("country") == ["by"]
    assert entities["eu-fsf-900004--sanction"].get("listingDate") == ["2020-12-17"]


def test_weak_aliases_circa_dates_passports_remarks_and_contacts() -> None:
    entities = by_id(read_list(EDGES))
    person = entities["eu-fsf-909001"]
    assert person.caption == "Ivan TESTAU"  # no wholeName: first and last name
    assert person.get("alias") == ["Іван ТЭСТАЎ"]
    assert person.get("weakAlias") == ["Vanya"]
    assert person.get("birthDate") == ["1967", "1968-03"]
    assert person.get("nationality") == ["by"]  # the UNKNOWN (00) citizenship is left out
    assert person.get("title") == ["Colonel"]
    assert person.get("notes") == [
        "Made-up remark on the entry.",
        "nameAlias Vanya: nickname",
        "birthDate 1967: circa",
        "address Made-up Street 1, Minsk, 220000, Belarus: as at listing time",
    ]
    passport = entities["eu-fsf-909001--passport-dp0000001"]
    assert passport.get("type") == ["National passport", "diplomatic"]
    assert passport.get("startDate") == ["2019-05-01"]
    assert passport.get("authority") == ["Ministry of Foreign Affairs"]
    assert passport.get("summary") == ["made-up diplomatic passport"]
    assert person.get("idNumber") == ["3000000A000PB0"]
    registration = entities["eu-fsf-909001--identification-3000000a000pb0"]
    assert registration.get("type") == ["National registration number"]
    sanction = entities["eu-fsf-909001--sanction"]
    assert sanction.get("programId") == ["EU-BLR", "EU-RUS"]
    assert sanction.get("unscId") == ["XXi.001"]
    assert sanction.get("reason") == ["Made-up statement of reasons for a made-up person."]
    assert sanction.get("startDate") == ["2021-06-22"]  # entry into force
    company = entities["eu-fsf-909002"]
    assert company.get("phone") == ["+375172222222"]
    assert company.get("email") == ["info@example.org"]
    assert company.get("website") == ["https://example.org"]
    assert company.get("weakAlias") == ["MUW"]
    assert company.get("notes") == ["State-owned manufacturer"]  # an enterprise's function


@pytest.mark.parametrize("fixture", [BELARUS, EDGES], ids=["belarus", "edge_cases"])
def test_what_is_written_reads_back_the_same(fixture: Path, tmp_path: Path) -> None:
    first = read_list(fixture)
    out = tmp_path / "written.xml"
    write(first.entities, out)
    assert detect_format(out) == "eu-fsf-xml"
    again = read_list(out)
    assert [e.to_dict() for e in again.entities] == [e.to_dict() for e in first.entities]


def test_written_xml_has_the_eu_layout_and_languages_by_script() -> None:
    buffer = io.BytesIO()
    write(read_list(BELARUS).entities, buffer)
    root = etree.fromstring(buffer.getvalue())
    assert root.tag == f"{{{NS}}}export"
    assert root.get("generationDate") is None
    entries = root.findall(f"{{{NS}}}sanctionEntity")
    assert [e.get("logicalId") for e in entries] == ["900001", "900002", "900003", "900004"]
    aliases = entries[0].findall(f"{{{NS}}}nameAlias")
    assert [(a.get("nameLanguage"), a.get("strong")) for a in aliases] == [
        ("", "true"),
        ("", "true"),
        ("BE", "true"),
        ("RU", "true"),
    ]
    assert aliases[0].get("gender") == "F"
    subject = entries[3].find(f"{{{NS}}}subjectType")
    assert subject is not None
    assert (subject.get("code"), subject.get("classificationCode")) == ("enterprise", "E")
    again = io.BytesIO()
    write(read_list(BELARUS).entities, again)
    assert again.getvalue() == buffer.getvalue()  # one list, one file
    dated = io.BytesIO()
    write([], dated, generated=datetime(2026, 2, 27, 10, 0))
    assert etree.fromstring(dated.getvalue()).get("generationDate") == "2026-02-27T10:00:00"


def test_the_belarus_list_written_and_read_back_keeps_every_name(
    belarus_csv: Path, tmp_path: Path
) -> None:
    journal = read_list(belarus_csv)
    out = tmp_path / "belarus-fsf.xml"
    write(journal.entities, out)
    back = by_id(read_list(out))
    persons = [t for t in journal.targets if t.schema.name == "Person"]
    assert len(persons) == 312
    for target in journal.targets:
        read_back = back[f"eu-fsf-{logical_id(target.id)}"]
        assert sorted(read_back.names) == sorted(target.names), target.id
        assert read_back.caption == target.caption
        assert read_back.get("birthDate") == target.get("birthDate")
        assert read_back.get("nationality") == target.get("nationality")
        sanction = back[f"{read_back.id}--sanction"]
        # euReferenceNumber carries our id where FtM takes it as an identifier (<= 64)
        assert sanction.get("authorityId") == ([target.id] if len(target.id) <= 64 else [])
        assert sanction.get("programId") == ["EU-BLR"]
    lukashenka = back[f"eu-fsf-{logical_id('eu-32006r0765-i-a-45')}"]
    assert "Аляксандр Рыгоравіч ЛУКАШЭНКА" in lukashenka.get("alias")


def test_logical_ids_and_name_languages() -> None:
    assert logical_id("eu-fsf-900001") == "900001"
    assert logical_id("eu-32006r0765-i-a-33") == logical_id("eu-32006r0765-i-a-33")
    assert logical_id("eu-32006r0765-i-a-33").isdigit()
    assert logical_id("eu-32006r0765-i-a-33") != logical_id("eu-32006r0765-i-a-34")
    assert name_language("Лiдзiя Мiхайлаўна ЯРМОШЫНА") == "BE"
    assert name_language("Лидия Михайловна ЕРМОШИНА") == "RU"
    assert name_language("Лідзія Ярмошына") == "BE"
    assert name_language("Lidzia YARMOSHINA") == ""
    assert name_language("صدام حسين") == ""


# --- bad input ---------------------------------------------------------------------------


def write_fsf(tmp_path: Path, entry: str) -> Path:
    """An export with one sanctionEntity; the entry's first line is line 3."""
    path = tmp_path / "fsf.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="{NS}">\n'
        f"{textwrap.dedent(entry).strip()}\n</export>\n",
        "utf-8",
    )
    return path


PERSON = """\
<sanctionEntity logicalId="1" euReferenceNumber="EU.1.1">
<subjectType code="person" classificationCode="P"/>
<nameAlias wholeName="Made-up PERSON" strong="true"/>
{extra}
</sanctionEntity>"""


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (PERSON.replace('"person"', '"vessel"').format(extra=""), 4, "subjectType code 'vessel'"),
        (PERSON.replace(' logicalId="1"', "").format(extra=""), 3, "without logicalId"),
        (PERSON.replace("wholeName", "title").format(extra=""), 3, "without a name"),
        (PERSON.format(extra='<birthdate birthdate="1970-02-31"/>'), 6, "birthdate '1970-02-31'"),
        (PERSON.format(extra='<birthdate year="1970" monthOfYear="13"/>'), 6, "not a calendar"),
        (
            PERSON.replace('strong="true"', 'strong="true" gender="X"').format(extra=""),
            5,
            "gender 'X'; expected M or F",
        ),
        (
            PERSON.format(extra='<regulation programme="BLR" publicationDate="2.10.2020"/>'),
            6,
            "publicationDate '2.10.2020'; expected YYYY-MM-DD",
        ),
    ],
)
def test_bad_input_names_the_file_and_line(
    tmp_path: Path, entry: str, line: int, message: str
) -> None:
    path = write_fsf(tmp_path, entry)
    with pytest.raises(InputError) as error:
        read_list(path)
    assert error.value.line == line
    assert message in error.value.message
    assert str(path) in str(error.value)


def test_a_repeated_logical_id_is_refused(tmp_path: Path) -> None:
    entry = PERSON.format(extra="")
    with pytest.raises(InputError, match=r"line 8: logicalId '1' also on line 3"):
        read_list(write_fsf(tmp_path, f"{entry}\n{entry}"))


def test_an_empty_export_and_a_foreign_root_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no sanctionEntity elements"):
        read_list(write_fsf(tmp_path, ""))
    plain = tmp_path / "plain.xml"
    plain.write_text("<export><sanctionEntity/></export>\n", "utf-8")
    with pytest.raises(InputError, match="expected <export xmlns="):
        eu_fsf_xml.read(plain)


# --- properties --------------------------------------------------------------------------

latin = st.text(st.characters(categories=["Lu", "Ll"], max_codepoint=0x24F), min_size=1, max_size=8)
cyrillic = st.text(st.characters(min_codepoint=0x410, max_codepoint=0x45F), min_size=2, max_size=8)
# anything XML can carry, '&', '<' and quotes included
odd = st.text(st.characters(exclude_categories=["Cc", "Cs", "Cn", "Co", "Zl", "Zp"]), max_size=12)
names = st.lists(latin | cyrillic | odd, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(names, min_size=1, max_size=5, unique=True),
    st.lists(names, max_size=2, unique=True),
    st.lists(
        st.dates(date(1000, 1, 1), date(2999, 12, 31)).map(date.isoformat), max_size=2, unique=True
    ),
    st.lists(st.sampled_from(["by", "ru", "ua", "lt", "pl"]), max_size=2, unique=True),
)
def test_any_person_written_reads_back_with_every_name_date_and_country(
    tmp_path_factory: pytest.TempPathFactory,
    strong: list[str],
    weak: list[str],
    births: list[str],
    countries: list[str],
) -> None:
    person = Entity.make("Person", "sanctio-test-1", caption=strong[0], target=True)
    person.add("name", strong[0])
    person.add("alias", strong[1:])
    person.add("weakAlias", [w for w in weak if w not in person.names])
    person.add("birthDate", births)
    person.add("nationality", countries)
    assume(person.get("name"))  # a target always has a name; the EU's always a strong one
    path = tmp_path_factory.mktemp("fsf") / "person.xml"
    write([person], path)
    (read_back,) = eu_fsf_xml.read(path).targets
    assert sorted(read_back.names) == sorted(person.names)
    assert read_back.get("weakAlias") == person.get("weakAlias")
    assert read_back.get("birthDate") == person.get("birthDate")
    assert read_back.get("nationality") == person.get("nationality")
