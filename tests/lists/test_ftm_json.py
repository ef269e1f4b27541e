"""FtM entity JSON lines: the real Belarus list out and back, OpenSanctions' layout in,
the followthemoney library's verdict on what we write, and broken files."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.errors import InputError
from sanctio.lists import detect_format, read_list
from sanctio.lists.ftm_json import ftm_only_properties, ftm_vocabulary, read, write
from sanctio.model import Entity, get_schema, schema_names
from sanctio.model.types import clean_value
from tests.conftest import missing

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opensanctions"


@pytest.fixture
def ftm_model() -> Any:
    try:
        from followthemoney import model
    except ImportError:
        missing("followthemoney not installed (pip install 'sanctio[ftm]', needs libicu-dev)")
    return model


def write_file(path: Path, entities: list[Entity]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        write(entities, out)
    return path


def lines_file(path: Path, *lines: dict[str, Any] | str) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", "utf-8")
    return path


PERSON = {"id": "p1", "schema": "Person", "properties": {"name": ["Lidia YERMOSHINA"]}}


def test_belarus_list_round_trips_entity_for_entity(belarus_csv: Path, tmp_path: Path) -> None:
    parsed = read_list(belarus_csv)
    again = read_list(write_file(tmp_path / "belarus.ftm.json", parsed.entities))
    assert again.format == "ftm-json"
    assert [e.to_dict() for e in again.entities] == [e.to_dict() for e in parsed.entities]
    assert again.content_hash() == parsed.content_hash()
    assert again.by_schema() == {"Asset": 1, "LegalEntity": 95, "Person": 312}
    assert len(again.entities) == 816


def test_every_exported_belarus_line_is_valid_followthemoney(
    ftm_model: Any, belarus_csv: Path
) -> None:
    """Strict: FtM knows every schema and property, validates every value, and its own
    cleaning neither drops nor changes a value (but for one known URL difference)."""
    buffer = io.StringIO()
    write(read_list(belarus_csv).entities, buffer)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 816
    url_slashes = 0
    for line in lines:
        data = json.loads(line)
        proxy = ftm_model.get_proxy(data, cleaned=False)
        assert proxy.id == data["id"]
        assert proxy.schema.name == data["schema"]
        cleaned = proxy.to_dict()["properties"]
        assert set(cleaned) == set(data["properties"]), data["id"]
        for prop, values in data["properties"].items():
            kind = proxy.schema.properties[prop].type
            assert all(kind.validate(v) for v in values), f"{data['id']} {prop}={values!r}"
            assert len(cleaned[prop]) == len(values), f"{data['id']} {prop}"
            for ours, theirs in zip(values, cleaned[prop], strict=True):
                # FtM writes a bare host with a trailing slash: https://bir.by -> .../
                if ours != theirs:
                    assert (kind.name, ours + "/") == ("url", theirs)
                    url_slashes += 1
    assert url_slashes < 20


def test_reads_opensanctions_layout_keeping_ids_and_relations() -> None:
    parsed = read(FIXTURES / "entities.ftm.json")
    assert parsed.name == "eu_fsf"  # the one dataset every entity is in
    by_id = {e.id: e for e in parsed.entities}
    person = by_id["NK-fixtureYarmoshina"]
    assert person.target
    assert person.datasets == ["eu_fsf"]
    assert person.names == [
        "Lidzia Mihailauna YARMOSHINA",
        "Lidia Mikhailovna YERMOSHINA",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ]
    sanction = by_id["NK-fixtureYarmoshina-sanction"]
    assert not sanction.target
    assert sanction.get("entity") == [person.id]
    assert sanction.get("listingDate") == ["2020-10-02"]
    passports = [e for e in parsed.entities if e.schema.name == "Passport"]
    assert sorted(p.first("number") for p in passports) == ["MP 2387911", "MP 3413113"]
    assert {p.first("holder") for p in passports} == {"NK-fixtureMukavozchyk"}
    address = by_id["NK-fixtureBeltechexport-address"]
    assert by_id["NK-fixtureBeltechexport"].get("addressEntity") == [address.id]
    # OpenSanctions' crawl timestamps are not content
    assert "2026-08-22" not in json.dumps([e.to_dict() for e in parsed.entities])
    assert parsed.by_schema() == {"LegalEntity": 1, "Person": 3}


def test_target_flag_from_the_file_else_from_the_schema(tmp_path: Path) -> None:
    path = lines_file(
        tmp_path / "t.json",
        PERSON,
        {**PERSON, "id": "p2", "target": False},
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"]}},
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["SEA STAR"]}},
    )
    targets = {e.id: e.target for e in read(path).entities}
    assert targets == {"p1": True, "p2": False, "s1": False, "v1": True}


def test_non_targets_stay_non_targets_through_the_writer(tmp_path: Path) -> None:
    relative = Entity.make("Person", "rel", caption="A relative")
    relative.add("name", "A relative")
    line = json.loads(write_file(tmp_path / "r.json", [relative]).read_text("utf-8"))
    assert line["target"] is False
    assert read(tmp_path / "r.json").entities[0].target is False


def test_what_ftm_has_but_sanctio_lacks_is_kept_in_notes(tmp_path: Path) -> None:
    path = lines_file(
        tmp_path / "extra.json",
        {
            **PERSON,
            "properties": {
                "name": ["Lidia YERMOSHINA"],
                "education": ["Leningrad Institute of Railway Engineers"],
                "nationality": ["by", "ua-cri"],
                "notes": ["Chair of the CEC"],
            },
        },
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "duration": ["5"]}},
    )
    person, sanction = read(path).entities
    assert person.get("nationality") == ["by"]
    assert person.get("notes") == [
        "Chair of the CEC",
        "education: Leningrad Institute of Railway Engineers",
        "nationality: ua-cri",
    ]
    assert sanction.get("description") == ["duration: 5"]  # Sanction has no notes


def _error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        ('{"id": "p2", "schema": "Person", "properties": {', "line 2, character 49", "not valid"),
        ("[1, 2]", "line 2", "a JSON list; expected an entity object"),
        ('{"id": "p2", "schema": "Persn", "properties": {}}', "line 2", "unknown schema 'Persn'"),
        ('{"id": "p2", "properties": {}}', "line 2", "no schema; expected one of: Address"),
        (
            '{"id": "p2", "schema": "Person", "properties": {"birthdate": ["1953"]}}',
            "line 2",
            "Person has no property 'birthdate'; expected one of: address,",
        ),
        (
            '{"id": "p2", "schema": "Person", "properties": {"name": "Lidia"}}',
            "line 2",
            "Person.name: 'Lidia'; expected a list of strings",
        ),
        ('{"id": "p2", "schema": "Person", "properties": []}', "line 2", "expected an object"),
        ('{"id": "", "schema": "Person", "properties": {}}', "line 2", "id ''; expected a"),
        ('{"id": "p 2", "schema": "Person", "properties": {}}', "line 2", "without spaces"),
        ('{"id": " p2", "schema": "Person", "properties": {}}', "line 2", "without spaces"),
        ('{"id": "p2", "schema": "Person", "properties": {}, "target": "yes"}', "line 2", "true"),
        ('{"id": "p2", "schema": "Person", "properties": {}, "extra": 1}', "line 2", "'extra'"),
        ('{"id": "p1", "schema": "Person", "properties": {}}', "line 2", "first on line 1"),
        (
            '{"id": "p2", "schema": "Person", "properties": {"name": ["A\\u0000B"]}}',
            "line 2",
            "control character U+0000",
        ),
    ],
)
def test_bad_lines_name_the_file_line_and_what_was_expected(
    tmp_path: Path, line: str, where: str, message: str
) -> None:
    path = lines_file(tmp_path / "bad.json", PERSON, line)
    text = _error(path)
    assert text.startswith(f"{path}, {where}: "), text
    assert message in text


def test_ftm_schemata_sanctio_does_not_model_are_all_named_at_once(tmp_path: Path) -> None:
    payment = {"id": "f", "schema": "Payment", "properties": {"payer": ["p1"]}}
    path = lines_file(
        tmp_path / "os.json",
        PERSON,
        payment,
        {**payment, "id": "f2"},
        {"id": "o", "schema": "Email", "properties": {}},
    )
    text = _error(path)
    assert text.startswith(f"{path}, line 2: entities of FtM schemata Sanctio does not model")
    assert "Payment (2 from line 2), Email (1 from line 4)" in text


def test_empty_and_blank_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.json"
    path.write_text("\n  \n", "utf-8")
    assert "no entities" in _error(path)


def test_format_detected_from_content(belarus_csv: Path, tmp_path: Path) -> None:
    path = write_file(tmp_path / "export.txt", read_list(belarus_csv).entities[:2])
    assert detect_format(path) == "ftm-json"
    assert detect_format(FIXTURES / "entities.ftm.json") == "ftm-json"
    assert detect_format(belarus_csv) == "eu-journal-csv"
    assert read_list(path).name == "export"
    # keys in any order: a long first value does not push "schema" out of sight
    long_first = {"properties": {"notes": ["x" * 5000]}, "schema": "Person", "id": "p"}
    assert detect_format(lines_file(tmp_path / "sorted.json", long_first)) == "ftm-json"


def test_ftm_vocabulary_matches_the_followthemoney_library(ftm_model: Any) -> None:
    declared = {
        name: frozenset(p for p, prop in schema.properties.items() if prop.schema is schema)
        - {p for p, prop in schema.properties.items() if prop.stub}
        for name, schema in ftm_model.schemata.items()
    }
    assert ftm_vocabulary() == declared
    for name in schema_names():
        theirs = {p for p, prop in ftm_model.get(name).properties.items() if not prop.stub}
        assert theirs - set(get_schema(name).properties) == ftm_only_properties(name), name


# -- any valid entity round-trips ---------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "Zs", "Pd", "Po", "Ps", "Pe")),
    min_size=1,
    max_size=30,
)
VALUES: dict[str, st.SearchStrategy[str]] = {
    "name": _TEXT,
    "string": _TEXT,
    "address": _TEXT,
    "text": st.lists(_TEXT, min_size=1, max_size=3).map("\n".join),
    "identifier": st.from_regex(r"[A-Z0-9][A-Z0-9 ;/\"-]{0,20}", fullmatch=True),
    "date": st.dates(date(1900, 1, 1), date(2030, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
    ),
    "country": st.sampled_from(["by", "ru", "ua", "de", "suhh", "xk"]),
    "gender": st.sampled_from(["male", "female", "other"]),
    "email": st.sampled_from(["mail@bte.by", "info@example.org"]),
    "url": st.sampled_from(["https://bte.by/", "http://ghu.by", "https://example.org/a?b=1"]),
    "phone": st.sampled_from(["+375172301122", "+74957777777"]),
    "entity": st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?", fullmatch=True),
    "topic": st.sampled_from(["sanction", "role.pep", "crime"]),
    "number": st.integers(0, 10**9).map(str),
}


@st.composite
def entities(draw: st.DrawFn, schemata: tuple[str, ...] = schema_names()) -> Entity:
    """A valid entity: any schema, any of its properties, values of the right type."""
    schema = get_schema(draw(st.sampled_from(schemata)))
    entity = Entity.make(
        schema.name,
        draw(VALUES["entity"]),
        caption=draw(st.one_of(st.just(""), _TEXT)).strip(),
        target=draw(st.booleans()),
    )
    props = draw(st.lists(st.sampled_from(sorted(schema.properties)), max_size=6, unique=True))
    for prop in props:
        kind = schema.properties[prop].type
        for value in draw(st.lists(VALUES[kind], min_size=1, max_size=3)):
            if clean_value(kind, value):
                entity.add(prop, value)
    entity.datasets = draw(st.lists(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), max_size=2))
    return entity


@settings(max_examples=150, deadline=None)
@given(st.lists(entities(), min_size=1, max_size=5, unique_by=lambda e: e.id))
def test_any_valid_entities_round_trip(items: list[Entity]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        again = read(write_file(Path(folder) / "e.json", items)).entities
    assert [e.to_dict() for e in again] == [e.to_dict() for e in items]
