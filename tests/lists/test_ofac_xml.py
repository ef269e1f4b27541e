"""The OFAC SDN XML reader on hand-made fixtures laid out per OFAC's published schema
(https://www.treasury.gov/ofac/downloads/sdn.xsd), with values transcribed from the real
July 2021 CSV release, so that both readers must agree on the same records."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctio.errors import InputError
from sanctio.lists import detect_format, ofac_csv, ofac_xml, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity
from tests.conftest import SHARED_DATA, missing

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ofac"
SDN_XML = FIXTURES / "sdn.xml"
SLS_XML = FIXTURES / "sdn-sls.xml"
#: records the fixture carries in full: every entity must equal the CSV reader's
COMPLETE = ("ofac-9770", "ofac-29642", "ofac-31949", "ofac-30702", "ofac-30627")


@pytest.fixture(scope="module")
def parsed() -> ParsedList:
    return ofac_xml.read(SDN_XML)


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def test_fixture_reads_into_targets_sanctions_links_and_documents(parsed: ParsedList) -> None:
    assert (parsed.name, parsed.format) == ("ofac-sdn", "ofac-xml")
    assert parsed.by_schema() == {"Organization": 3, "Person": 4, "Vessel": 1}
    entities = by_id(parsed)
    assert [e.id for e in parsed.entities if e.schema.name == "UnknownLink"] == [
        "ofac-15036--linked-ofac-15117"
    ]
    assert sorted(e.id for e in parsed.entities if e.schema.name == "Identification") == [
        "ofac-15117--id-national-id-no-4891",
        "ofac-31949--id-national-id-no-4160284a004pb3",
    ]
    assert len([e for e in parsed.entities if e.schema.name == "Sanction"]) == 8
    assert entities["ofac-9760--sanction"].get("program") == ["BELARUS"]


def test_belarus_designations_as_published(parsed: ParsedList) -> None:
    entities = by_id(parsed)
    yarmoshina = entities["ofac-9770"]
    assert yarmoshina.first("name") == "YARMOSHINA, Lidziya Mihaulauna"
    assert yarmoshina.get("firstName") == ["Lidziya Mihaulauna"]
    assert yarmoshina.get("lastName") == ["YARMOSHINA"]
    assert yarmoshina.get("birthDate") == ["1953-01-29"]
    assert len(yarmoshina.get("alias")) == 17
    lukashenka = entities["ofac-9760"]
    assert lukashenka.get("birthDate") == ["1954-08-30"]
    assert lukashenka.get("birthPlace") == ["Kopys, Vitebsk oblast, Belarus"]
    assert lukashenka.get("position") == ["President"]
    karaeu = entities["ofac-29642"]
    assert karaeu.get("nationality") == ["by"]
    assert karaeu.get("gender") == ["male"]  # an <id> of idType Gender
    assert karaeu.get("address") == ["Minsk, Belarus"]
    cec = entities["ofac-30627"]
    assert cec.get("address") == ["11 Sovetskaya St., House of Government, Minsk 220010, Belarus"]
    assert "CEC BELARUS" in cec.get("alias")


def test_weak_and_former_names_and_vessel_info(parsed: ParsedList) -> None:
    entities = by_id(parsed)
    assert entities["ofac-30702"].get("alias") == ["ALFA SPETZNAZ", "KGB ALFA"]
    assert entities["ofac-30702"].get("weakAlias") == ["ALPHA GROUP", "ALPHA UNIT"]
    vessel = entities["ofac-15036"]
    assert vessel.get("previousName") == ["ABADAN", "SHONA"]
    assert vessel.get("weakAlias") == ["ALPHA"]
    assert vessel.get("callSign") == ["T2EU4"]
    assert vessel.get("flag") == ["ir"]
    assert vessel.get("pastFlags") == ["mt", "tv", "tz"]
    assert vessel.get("imoNumber") == ["9187629"]
    assert vessel.get("mmsi") == ["572469210"]
    assert vessel.get("tonnage") == ["99144"]
    assert entities["ofac-15036--sanction"].get("provisions") == [
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    ]


def test_same_records_as_the_csv_reader_gives_for_the_2021_release(parsed: ParsedList) -> None:
    folder = SHARED_DATA / "lists" / "ofac" / "2021"
    if not folder.is_dir():
        missing(f"real OFAC files not found at {folder}")
    from_csv = {e.id: e.to_dict() for e in ofac_csv.read(folder).entities}
    compared = 0
    for entity in parsed.entities:
        if entity.id.split("--")[0] in COMPLETE:
            assert entity.to_dict() == from_csv[entity.id], entity.id
            compared += 1
    assert compared == 11  # 5 targets, their 5 sanctions and EISMANT's national ID card
    # a cut record keeps what it has: the same name, dates and first aliases
    lukashenka = by_id(parsed)["ofac-9760"]
    csv_lukashenka = Entity.from_dict(from_csv["ofac-9760"])
    for prop in ("name", "birthDate", "birthPlace", "position", "firstName", "lastName"):
        assert lukashenka.get(prop) == csv_lukashenka.get(prop), prop
    assert set(lukashenka.get("alias")) <= set(csv_lukashenka.get("alias"))


def test_sanctions_list_service_namespace_reads_alike() -> None:
    parsed = ofac_xml.read(SLS_XML)
    entities = by_id(parsed)
    assert parsed.by_schema() == {"Organization": 1, "Person": 1}
    assert entities["ofac-29642"].get("birthDate") == ["1966-06-21"]
    assert entities["ofac-29642"].get("alias") == ["KARAEV, Yuri"]
    assert entities["ofac-30702"].get("weakAlias") == ["ALPHA UNIT"]


def test_detection_by_root_element(tmp_path: Path) -> None:
    assert ofac_xml.detect(SDN_XML.read_bytes()[:4096], SDN_XML)
    assert ofac_xml.detect(SLS_XML.read_bytes()[:4096], SLS_XML)
    assert ofac_xml.detect(b'\xef\xbb\xbf<?xml version="1.0"?>\n<sdnList/>', SDN_XML)
    assert not ofac_xml.detect(b'<?xml version="1.0"?><CONSOLIDATED_LIST/>', SDN_XML)
    assert not ofac_xml.detect(b"9770,YARMOSHINA", SDN_XML)
    assert not ofac_xml.detect(b"", tmp_path)
    assert detect_format(SDN_XML) == detect_format(SLS_XML) == "ofac-xml"
    assert read_list(SDN_XML).format == "ofac-xml"


# -- bad input ------------------------------------------------------------------------------

HEAD = '<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd">\n'
ENTRY = (
    "<sdnEntry>\n<uid>29642</uid><firstName>Yuriy</firstName><lastName>KARAEU</lastName>\n"
    "<sdnType>Individual</sdnType><programList><program>BELARUS</program></programList>\n"
    "</sdnEntry>\n"
)


def write_xml(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "sdn.xml"
    path.write_text(head + body + "</sdnList>\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (ENTRY.replace("29642", "x"), "line 3, column uid: uid 'x'; expected OFAC's record number"),
        (
            ENTRY.replace("Individual", "Person"),
            "line 3, column sdnType: sdnType 'person'; expected Individual, Entity",
        ),
        (ENTRY + ENTRY, "line 7, column uid: uid 29642 again (first on line 3)"),
        (
            "<publshInformation><Record_Count>3</Record_Count></publshInformation>\n" + ENTRY,
            "line 3, column Record_Count: Record_Count says 3 entries, the file has 1",
        ),
        (
            ENTRY.replace(
                "</programList>",
                "</programList><akaList><aka><uid>1</uid><type>aka</type>"
                "<category>strong</category><lastName>X</lastName></aka></akaList>",
            ),
            "line 5, column type: aka type 'aka'; expected a.k.a., f.k.a. or n.k.a.",
        ),
        (
            ENTRY.replace(
                "</programList>",
                "</programList><idList><id><uid>1</uid><idType>Passport</idType></id></idList>",
            ),
            "line 5, column id: an <id> without idType or idNumber",
        ),
        ("", "line 2: no <sdnEntry> elements; expected at least one"),
        (ENTRY.replace("</sdnEntry>", ""), "malformed XML"),
    ],
)
def test_bad_entries_name_the_line(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        ofac_xml.read(write_xml(tmp_path, body))
    assert str(caught.value).startswith(str(tmp_path / "sdn.xml"))
    assert message in str(caught.value)


def test_wrong_root_and_document_type_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?>\n<CONSOLIDATED_LIST/>\n', "utf-8")
    with pytest.raises(InputError, match="root element <CONSOLIDATED_LIST>; expected <sdnList>"):
        ofac_xml.read(path)
    hostile = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    with pytest.raises(InputError, match="line 2: XML with a document type declaration"):
        ofac_xml.read(write_xml(tmp_path, ENTRY, head=hostile + HEAD.split("\n", 1)[1]))
