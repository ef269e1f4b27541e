"""The OFAC legacy CSV reader on the real 2019 and 2021 releases, and on broken copies."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from sanctio.errors import InputError
from sanctio.lists import detect_format, ofac_csv, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity
from sanctio.registry import Registry
from tests.conftest import SHARED_DATA, missing

OFAC = SHARED_DATA / "lists" / "ofac"
YARMOSHINA, LUKASHENKA, KARAEU = "ofac-9770", "ofac-9760", "ofac-29642"


def raw_rows(path: Path) -> list[list[str]]:
    """Records of an OFAC file read with nothing but the csv module: the independent count."""
    text = path.read_text("utf-8").rstrip("\x1a")
    return list(csv.reader(io.StringIO(text, newline="")))


class Releases(dict[str, ParsedList]):
    """The real releases by year, each read the first time a test asks for it."""

    def __missing__(self, year: str) -> ParsedList:
        self[year] = ofac_csv.read(OFAC / year)
        return self[year]


@pytest.fixture(scope="module")
def releases() -> Releases:
    """Both real releases, read once for the module (and only when used)."""
    if not OFAC.is_dir():
        missing(f"real OFAC files not found at {OFAC}")
    return Releases()


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in parsed.entities}


def related(parsed: ParsedList, target_id: str, schema: str) -> list[Entity]:
    return [
        e
        for e in parsed.entities
        if e.schema.name == schema and target_id in (ref for _, ref in e.references())
    ]


# -- the real releases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2019", {"Airplane": 217, "Organization": 2994, "Person": 3845, "Vessel": 323}),
        ("2021", {"Airplane": 277, "Organization": 3673, "Person": 4620, "Vessel": 406}),
    ],
)
def test_one_target_per_sdn_row_with_schema_from_its_type(
    releases: dict[str, ParsedList], year: str, expected: dict[str, int]
) -> None:
    parsed = releases[year]
    rows = raw_rows(OFAC / year / "sdn.csv")
    types = Counter(row[2].strip() for row in rows)
    schemata = {"individual": "Person", "-0-": "Organization"}
    schemata |= {"vessel": "Vessel", "aircraft": "Airplane"}
    assert parsed.by_schema() == {schemata[t]: n for t, n in sorted(types.items())} == expected
    assert len(parsed.targets) == len(rows)
    assert {t.id for t in parsed.targets} == {f"ofac-{row[0]}" for row in rows}
    sanctions = [e for e in parsed.entities if e.schema.name == "Sanction"]
    assert sorted(s.first("entity") or "" for s in sanctions) == sorted(
        t.id for t in parsed.targets
    )
    assert (parsed.name, parsed.format) == ("ofac-sdn", "ofac-csv")


def test_aliases_from_alt_csv_are_all_kept(releases: dict[str, ParsedList]) -> None:
    parsed = releases["2021"]
    entities = by_id(parsed)
    kinds = {"aka": "alias", "fka": "previousName", "nka": "alias"}
    for row in raw_rows(OFAC / "2021" / "alt.csv"):
        target = entities[f"ofac-{row[0]}"]
        name = " ".join(row[3].split())
        assert name in target.get(kinds[row[2]]) or name == target.first("name"), row


def test_yarmoshina_2021(releases: dict[str, ParsedList]) -> None:
    parsed = releases["2021"]
    person = by_id(parsed)[YARMOSHINA]
    assert person.schema.name == "Person"
    assert person.caption == person.first("name") == "YARMOSHINA, Lidziya Mihaulauna"
    assert (person.first("lastName"), person.first("firstName")) == (
        "YARMOSHINA",
        "Lidziya Mihaulauna",
    )
    assert person.get("birthDate") == ["1953-01-29"]
    assert person.get("birthPlace") == ["Slutsk, Belarus"]
    assert person.get("birthCountry") == ["by"]
    assert person.get("position") == [
        "Head of the Central Commission for Elections and National Referendums (CEC)"
    ]
    assert len(person.get("alias")) == 17
    assert "YERMOSHINA, Lidziya Mikhailovna" in person.get("alias")
    # the remark that repeats her title is not kept twice as a note
    assert person.get("notes") == []
    (sanction,) = related(parsed, YARMOSHINA, "Sanction")
    assert sanction.id == "ofac-9770--sanction"
    assert sanction.get("program") == ["BELARUS"]
    assert sanction.get("recordId") == ["9770"]
    assert sanction.get("authority") == [ofac_csv.AUTHORITY]
    assert sanction.get("sourceUrl") == [
        "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=9770"
    ]


def test_lukashenka_and_karaeu_2021(releases: dict[str, ParsedList]) -> None:
    entities = by_id(releases["2021"])
    president = entities[LUKASHENKA]
    assert president.first("name") == "LUKASHENKA, Alyaksandr Hryhoryavich"
    assert president.get("birthDate") == ["1954-08-30"]
    assert president.get("position") == ["President"]
    assert len(president.get("alias")) == 31
    assert "LUKASHENKO, Alexander Grigorievich" in president.get("alias")
    minister = entities[KARAEU]
    assert minister.get("birthDate") == ["1966-06-21"]
    assert minister.get("birthPlace") == ["Vladikavkaz, Russian Federation"]
    assert minister.get("nationality") == ["by"]
    assert minister.get("gender") == ["male"]
    assert minister.get("address") == ["Minsk, Belarus"]
    assert minister.get("alias") == [
        "KARAEV, Yuriy Khadzimuratovich",
        "KARAEV, Yuri",
        "KARAYEV, Yuri",
        "KARAEV, Yuriy",
    ]


def test_weak_akas_in_remarks_and_belarus_identity_document(
    releases: dict[str, ParsedList],
) -> None:
    parsed = releases["2021"]
    entities = by_id(parsed)
    alpha = entities["ofac-30702"]
    assert alpha.schema.name == "Organization"
    assert alpha.get("alias") == ["ALFA SPETZNAZ", "KGB ALFA"]
    assert alpha.get("weakAlias") == ["ALPHA GROUP", "ALPHA UNIT"]
    eismant = entities["ofac-31949"]
    assert eismant.get("idNumber") == ["4160284A004PB3"]
    (document,) = related(parsed, "ofac-31949", "Identification")
    assert document.get("number") == ["4160284A004PB3"]
    assert document.get("country") == ["by"]
    assert document.get("type") == ["National ID No."]


def test_vessel_columns_and_link_to_its_owner_company(releases: dict[str, ParsedList]) -> None:
    parsed = releases["2021"]
    vessel = by_id(parsed)["ofac-15036"]
    assert vessel.schema.name == "Vessel"
    assert vessel.get("callSign") == ["T2EU4"]
    assert vessel.get("type") == ["Crude/Oil Products Tanker"]
    assert vessel.get("tonnage") == ["99144"]
    assert vessel.get("grossRegisteredTonnage") == ["56068"]
    assert vessel.get("flag") == ["ir"]
    assert vessel.get("pastFlags") == ["mt", "tv", "tz"]
    assert vessel.get("imoNumber") == ["9187629"]
    assert vessel.get("previousName") == ["ABADAN", "SHONA"]
    assert vessel.get("weakAlias") == ["ALPHA"]
    assert vessel.get("notes") == ["alt. Former Vessel Flag None Identified"]
    (link,) = related(parsed, "ofac-15036", "UnknownLink")
    # "Linked To: NATIONAL IRANIAN TANKER COMPANY" is 15117's name and 15119's alias
    assert (link.first("subject"), link.first("object")) == ("ofac-15036", "ofac-15117")
    (sanction,) = related(parsed, "ofac-15036", "Sanction")
    assert sanction.get("provisions") == [
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    ]


def test_aircraft_operator_is_a_reference(releases: dict[str, ParsedList]) -> None:
    entities = by_id(releases["2021"])
    plane = entities["ofac-15431"]
    assert plane.schema.name == "Airplane"
    assert plane.get("model") == ["IL76-TD"]
    assert plane.get("serialNumber") == ["1023409321"]
    assert plane.get("buildDate") == ["1992"]
    assert [entities[ref].caption for ref in plane.get("operator")] == ["POUYA AIR"]


def test_remarks_overflow_is_joined_mid_word(releases: dict[str, ParsedList]) -> None:
    # sdn.csv cuts 12300's remarks after "Linked To: PROMO RAI", sdn_comments.csv goes on
    # with "Z S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA, S.A. DE C.V.; ..."
    parsed = releases["2021"]
    entities = by_id(parsed)
    linked = {
        entities[link.first("object") or ""].caption
        for link in related(parsed, "ofac-12300", "UnknownLink")
        if link.first("subject") == "ofac-12300"
    }
    assert {"PROMO RAIZ S.A.S.", "RED MUNDIAL INMOBILIARIA, S.A. DE C.V."} <= linked
    assert len(linked) == 25
    assert entities["ofac-12300"].get("notes") == []


def test_2019_overflow_rows_without_their_record_are_skipped_and_reported(
    releases: dict[str, ParsedList],
) -> None:
    warnings = releases["2019"].warnings
    assert len(warnings) == 10
    assert warnings[0] == (
        f"{OFAC / '2019' / 'sdn_comments.csv'}, line 4: remarks overflow for ent_num 17018, "
        "which sdn.csv does not list; skipped"
    )
    assert all("sdn_comments.csv, line " in w for w in warnings)
    assert releases["2021"].warnings == []


def test_every_entity_is_valid_followthemoney(releases: dict[str, ParsedList]) -> None:
    try:
        from followthemoney import model
    except ImportError:
        missing("followthemoney not installed (pip install 'sanctio[ftm]', needs libicu-dev)")
    parsed = releases["2021"]
    ids = {e.id for e in parsed.entities}
    values: set[tuple[str, str, str]] = set()
    for entity in parsed.entities:
        assert all(ref in ids for _, ref in entity.references()), entity.id
        for prop, items in entity.properties.items():
            values.update((entity.schema.name, prop, item) for item in items)
    for schema, prop, value in values:
        ftm_prop = model.get(schema).properties[prop]
        assert ftm_prop.type.validate(value), f"{schema}.{prop} = {value!r}"


# -- detection ----------------------------------------------------------------------------


def test_folder_and_sdn_csv_are_detected(tmp_path: Path) -> None:
    folder = write_release(tmp_path)
    head = (folder / "sdn.csv").read_bytes()[:4096]
    assert ofac_csv.detect(b"", folder)
    assert ofac_csv.detect(head, folder / "sdn.csv")
    assert not ofac_csv.detect((folder / "alt.csv").read_bytes(), folder / "alt.csv")
    assert not ofac_csv.detect(b"", tmp_path / "empty")
    assert detect_format(folder) == detect_format(folder / "sdn.csv") == "ofac-csv"
    assert read_list(folder).format == "ofac-csv"


# -- the 2019 -> 2021 update in the registry -----------------------------------------------


def test_2019_then_2021_as_one_list_gives_real_designations_and_delistings(
    db_url: str, releases: dict[str, ParsedList]
) -> None:
    registry = Registry(db_url)
    try:
        first = registry.import_list(releases["2019"], name="ofac")
        second = registry.import_list(releases["2021"], name="ofac")
        assert (first.version.version, second.version.version, second.previous) == (1, 2, 1)
        assert second.version.entities == 8976
        diff = registry.diff("ofac").to_dict()
    finally:
        registry.close()
    old = {row[0] for row in raw_rows(OFAC / "2019" / "sdn.csv")}
    new = {row[0] for row in raw_rows(OFAC / "2021" / "sdn.csv")}
    added = {item["id"] for item in diff["added"]}
    removed = {item["id"] for item in diff["removed"]}
    assert added == {f"ofac-{n}" for n in new - old}
    assert removed == {f"ofac-{n}" for n in old - new}
    assert (len(added), len(removed)) == (1858, 261)
    # KARAEU (interior minister) and the Central Election Commission were designated
    # after 2019; YARMOSHINA and LUKASHENKA are already on the 2019 release, published
    # word for word the same in 2021, so they are neither added nor changed
    assert {KARAEU, "ofac-30627", "ofac-30702"} <= added
    changed = {item["id"]: item for item in diff["changed"]}
    for unchanged in (YARMOSHINA, LUKASHENKA):
        assert unchanged not in added | removed | set(changed)
    # real delistings: in 2019's sdn.csv, absent from 2021's
    assert {"ofac-6983", "ofac-19191"} <= removed
    by_caption = {item["caption"]: item["id"] for item in diff["removed"]}
    assert by_caption["ABDULLKADIR, Hussein Mahamud"] == "ofac-6983"
    # SLIZHEVSKY was re-published with a new title and his birth details
    slizhevsky = changed["ofac-10138"]
    assert slizhevsky["caption"] == "SLIZHEVSKY, Oleg Leonidovich"
    assert sorted(slizhevsky["properties"]) == [
        "address",
        "alias",
        "birthCountry",
        "birthDate",
        "birthPlace",
        "country",
        "gender",
        "position",
    ]
    assert slizhevsky["properties"]["position"] == {
        "old": ["Head of the Public Associations Department, Ministry of Justice"],
        "new": ["Justice Minister of the Republic of Belarus"],
    }
    assert slizhevsky["properties"]["birthDate"] == {"old": [], "new": ["1972-08-16"]}


# -- bad input ------------------------------------------------------------------------------

SDN = (
    '9770,"YARMOSHINA, Lidziya Mihaulauna","individual","BELARUS","Head of the CEC",'
    '-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 29 Jan 1953; POB Slutsk, Belarus."\r\n'
    '30702,"KGB ALPHA",-0- ,"BELARUS",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"a.k.a. 'ALPHA GROUP'; Linked To: YARMOSHINA, Lidziya Mihaulauna.\"\r\n"
)
ALT = '9770,9421,"aka","YERMOSHINA, Lidziya Mihaulauna",-0- \r\n'
ADD = '30702,46463,-0- ,"Minsk","Belarus",-0- \r\n'


def write_release(folder: Path, **files: str | bytes) -> Path:
    """A small OFAC release (two records of the 2021 file, shortened); ``files`` override."""
    folder.mkdir(parents=True, exist_ok=True)
    contents: dict[str, str | bytes] = {
        "sdn.csv": SDN + "\x1a",
        "alt.csv": ALT,
        "add.csv": ADD,
        "sdn_comments.csv": "",
    }
    contents.update({name.replace("_csv", ".csv"): data for name, data in files.items()})
    for name, data in contents.items():
        target = folder / name
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder


def test_small_release_reads_with_link_alias_address_and_eof_mark(tmp_path: Path) -> None:
    parsed = ofac_csv.read(write_release(tmp_path / "r") / "sdn.csv")
    entities = by_id(parsed)
    assert sorted(entities) == [
        "ofac-30702",
        "ofac-30702--linked-ofac-9770",
        "ofac-30702--sanction",
        "ofac-9770",
        "ofac-9770--sanction",
    ]
    assert entities["ofac-9770"].get("alias") == ["YERMOSHINA, Lidziya Mihaulauna"]
    assert entities["ofac-30702"].get("address") == ["Minsk, Belarus"]
    assert entities["ofac-30702--linked-ofac-9770"].get("role") == ["Linked To"]


def expect_error(folder: Path, *fragments: str) -> InputError:
    with pytest.raises(InputError) as caught:
        ofac_csv.read(folder)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def test_missing_files(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r")
    (folder / "alt.csv").unlink()
    expect_error(folder, "alt.csv: no such file; expected alt.csv, the aliases")
    (folder / "sdn.csv").unlink()
    expect_error(folder, "sdn.csv: no such file; expected sdn.csv, OFAC's primary SDN file")
    # sdn_comments.csv is optional
    other = write_release(tmp_path / "o")
    (other / "sdn_comments.csv").unlink()
    assert len(ofac_csv.read(other).targets) == 2


def test_row_with_wrong_number_of_fields(tmp_path: Path) -> None:
    short = SDN + '31949,"EISMANT, Natallia","individual","BELARUS"\r\n'
    folder = write_release(tmp_path / "r", sdn_csv=short)
    error = expect_error(folder, "sdn.csv, line 3: expected 12 fields (ent_num, name,", "got 4")
    assert error.line == 3


def test_alias_of_a_record_not_in_sdn_csv_stops_the_import(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", alt_csv=ALT + '31949,50084,"aka","EISMONT, N.",-0- \n')
    expect_error(
        folder,
        "alt.csv, line 2, column ent_num: ent_num 31949 is not in sdn.csv",
        "expected files of one OFAC release",
    )
    folder = write_release(tmp_path / "a", add_csv='1,2,-0- ,"Minsk","Belarus",-0- \n')
    expect_error(folder, "add.csv, line 1, column ent_num: ent_num 1 is not in sdn.csv")


def test_broken_encoding_names_file_and_line(tmp_path: Path) -> None:
    eismant = (
        '31949,"EISMANT, Natallia","individual","BELARUS",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"POB Hr\xf3dna, Belarus."\r\n'
    )
    latin1 = (SDN + eismant).encode("latin-1")
    expect_error(
        write_release(tmp_path / "r", sdn_csv=latin1),
        "sdn.csv, line 3, character 92: byte 0xf3 is not valid UTF-8",
    )


@pytest.mark.parametrize(
    ("sdn", "message"),
    [
        (SDN.replace('"individual"', '"person"'), "line 1, column type: type 'person'; expected"),
        (SDN.replace("30702,", "9770,"), "line 2, column ent_num: ent_num 9770 again (first on"),
        (SDN.replace("30702,", "x1,"), "line 2, column ent_num: ent_num 'x1'; expected OFAC's"),
        (SDN.replace('"KGB ALPHA"', '""'), "line 2, column name: empty name"),
        (SDN.replace('"Head of the CEC"', '"Head "of" the CEC"'), "line 1, column title:"),
        ("", "sdn.csv, line 1: no records; expected at least one SDN row"),
    ],
)
def test_bad_sdn_rows(tmp_path: Path, sdn: str, message: str) -> None:
    expect_error(write_release(tmp_path / "r", sdn_csv=sdn), message)


def test_unknown_alias_type(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", alt_csv=ALT.replace('"aka"', '"xka"'))
    expect_error(folder, "alt.csv, line 1, column alt_type: alt_type 'xka'; expected aka")


def test_failed_read_leaves_the_registry_as_it_was(tmp_path: Path) -> None:
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        registry.import_list(ofac_csv.read(write_release(tmp_path / "good")))
        broken = write_release(tmp_path / "bad", alt_csv=ALT + '1,1,"aka","X",-0- \n')
        with pytest.raises(InputError):
            registry.import_list(ofac_csv.read(broken))
        assert registry.version("ofac-sdn").version == 1
        assert registry.version("ofac-sdn").entities == 2
    finally:
        registry.close()
