"""Bad input, reader by reader: a clear error naming the file and line, or a warning.

Four cases for every reader (a cut file, another encoding, a format that is not the
file's, an unknown format); what each reader does with a record that has no name; and
the values at the edges of FtM's types that once escaped as tracebacks or were stored
although FtM refuses them (found by tests/lists/test_readers_fuzz.py). Repeated ids
are refused by every reader, naming both lines: see each reader's own tests.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sanctio.errors import InputError
from sanctio.lists import FORMATS, detect_format, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity
from sanctio.model.types import TOPICS, clean_value, is_partial_date
from tests.conftest import missing
from tests.lists.seeds import RECORD_PATTERNS, SEEDS, Seed, seed, write_seed

#: One seed per format.
ONE_PER_FORMAT = list({s.format: s for s in reversed(SEEDS)}.values())


def edited(tmp_path: Path, label: str, old: str, new: str, file: str = "", count: int = 1) -> Path:
    """The seed ``label`` written to ``tmp_path`` with ``old`` replaced by ``new`` in its
    (only, or named) file; the path to read."""
    chosen = seed(label)
    files = dict(chosen.files)
    name = file or chosen.entry
    text = files[name].decode("utf-8")
    assert old in text, old
    files[name] = text.replace(old, new, count).encode("utf-8")
    return write_seed(tmp_path, chosen, files)


def refused(path: Path, fmt: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_list(path, fmt)
    return caught.value


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --- a cut file --------------------------------------------------------------------------


def last_record(chosen: Seed) -> tuple[str, int, int]:
    """(file, offset into the middle of its last record, the line the record starts on)."""
    name = "sdn.csv" if chosen.format == "ofac-csv" else chosen.entry
    text = dict(chosen.files)[name].decode("utf-8")
    if chosen.format in RECORD_PATTERNS:
        *_, found = re.finditer(RECORD_PATTERNS[chosen.format], text, re.S)
        start, end = found.start(), found.end()
    elif chosen.format == "ftm-json":
        start = text.rstrip("\n").rfind("\n") + 1
        end = len(text)
    else:  # CSV: the last record, cut inside its second field
        lines = io.StringIO(text, newline="").readlines()
        reader = csv.reader(io.StringIO(text.rstrip("\x1a"), newline=""))
        begin = 1
        for _ in reader:
            last, begin = begin, reader.line_num + 1
        start = sum(len(line) for line in lines[: last - 1])
        end = text.index(",", start) + 3
    return name, (start + end) // 2, line_of(text, start)


@pytest.mark.parametrize("chosen", ONE_PER_FORMAT, ids=lambda s: s.format)
def test_a_cut_file_is_refused_naming_the_line_where_it_breaks(
    chosen: Seed, tmp_path: Path
) -> None:
    name, cut, record_line = last_record(chosen)
    files = dict(chosen.files)
    files[name] = files[name][: len(files[name].decode("utf-8")[:cut].encode("utf-8"))]
    error = refused(write_seed(tmp_path, chosen, files), chosen.format)
    assert str(error).startswith(f"{tmp_path / name}, line "), error
    assert error.line is not None
    assert error.line >= record_line


# --- another encoding --------------------------------------------------------------------

#: Seeds whose text has letters of one legacy code page, and that code page. (The OFAC
#: CSV case is in test_ofac_csv.py; the EU journal's in test_eu_journal.py.)
LEGACY = {
    "ofac-xml": "cp1251",
    "un-xml": "cp1256",
    "eu-fsf-belarus": "cp1251",
    "uk-xml-belarus": "cp1251",
    "uk-csv-belarus": "cp1251",
    "ftm-json": "cp1251",
    "targets-simple-csv": "cp1251",
}


@pytest.mark.parametrize(("label", "codec"), LEGACY.items())
def test_a_file_in_a_legacy_encoding_is_refused_at_its_first_letter_beyond_ascii(
    label: str, codec: str, tmp_path: Path
) -> None:
    chosen = seed(label)
    text = dict(chosen.files)[chosen.entry].decode("utf-8")
    if label == "ofac-xml":  # the fixture is ASCII: a Cyrillic spelling of a name
        text = text.replace("LUKASHENKA", "ЛУКАШЕНКА", 1)
    first = next(i for i, c in enumerate(text) if ord(c) > 127 and c.encode(codec, "ignore"))
    data = text.encode(codec, errors="replace")
    error = refused(write_seed(tmp_path, chosen, {chosen.entry: data}), chosen.format)
    assert error.line == line_of(text, first), error
    if chosen.format.endswith("xml"):
        assert error.message.endswith(
            "; expected UTF-8 text (or the encoding its <?xml ...?> declaration names)"
        ), error
    else:
        assert error.column == first - text.rfind("\n", 0, first)
        assert "is not valid UTF-8; expected a UTF-8 encoded file" in error.message


# --- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("chosen", ONE_PER_FORMAT, ids=lambda s: s.format)
def test_a_file_read_as_another_format_is_refused_naming_where(
    chosen: Seed, tmp_path: Path
) -> None:
    path = write_seed(tmp_path, chosen)
    assert detect_format(path) == chosen.format
    for fmt in FORMATS:
        if fmt != chosen.format:
            error = refused(path, fmt)
            assert str(tmp_path) in str(error.path), (fmt, error)
            if path.is_file():
                assert error.line is not None, (fmt, error)
            else:
                assert "folder" in error.message or "directory" in error.message, (fmt, error)


def test_unknown_and_unrecognised_formats(tmp_path: Path) -> None:
    path = write_seed(tmp_path, seed("ftm-json"))
    error = refused(path, "ftm")
    assert error.message.startswith("unknown format 'ftm'; expected one of: eu-journal-csv, ")
    prose = tmp_path / "notes.txt"
    prose.write_text("A list of names, one a line\nLidia YERMOSHINA\n", "utf-8")
    error = refused(prose)
    assert (error.line, error.message.split(";")[0]) == (1, "unrecognised list format")
    assert "expected one of: eu-journal-csv, un-xml," in error.message
    folder = tmp_path / "empty"
    folder.mkdir()
    assert refused(folder).message.startswith("unrecognised folder; expected one of:")


def test_a_missing_file_or_a_folder_with_a_format_given_is_an_input_error(
    tmp_path: Path,
) -> None:
    # these escaped as FileNotFoundError and IsADirectoryError when --format was given
    error = refused(tmp_path / "missing.csv", "eu-journal-csv")
    assert (
        str(error)
        == f"{tmp_path / 'missing.csv'}: no such file; expected a eu-journal-csv list file"
    )
    for fmt in ("eu-journal-csv", "ftm-json", "uk-csv", "targets-simple-csv"):
        error = refused(tmp_path, fmt)
        assert str(error) == f"{tmp_path}: a folder; expected a readable {fmt} list file"
    assert "cannot read: Is a directory" in refused(tmp_path, "un-xml").message


# --- records without a name --------------------------------------------------------------
# Every reader but ftm-json refuses a designation without a name, naming its line (the
# other readers' cases are in their own tests); a name FtM cannot hold is the same.

LONG = "X" * 385


@pytest.mark.parametrize(
    ("label", "old", "new", "file", "where"),
    [
        ("belarus-csv", "Yuri Khadzimuratavich KARAEU", "", "", "line 6, column name: empty"),
        (
            "ofac-xml",
            "<firstName>Alyaksandr Hryhoryavich</firstName>\n    <lastName>LUKASHENKA</lastName>",
            "",
            "",
            "line 19, column lastName: no lastName",
        ),
        (
            "belarus-csv",
            "Uladzimir Uladzimiravich NAVUMAU",
            LONG,
            "",
            "line 2, column name: a name",
        ),
        ("ofac-csv", '"KGB ALPHA"', f'"{LONG}"', "sdn.csv", "line 2, column name: a name"),
        ("ofac-xml", "<lastName>LUKASHENKA</lastName>", f"<lastName>{LONG}</lastName>", "", "19"),
        ("un-xml", "<FIRST_NAME>ERIC</FIRST_NAME>", f"<FIRST_NAME>{LONG}</FIRST_NAME>", "", "41"),
        (
            "eu-fsf-belarus",
            'wholeName="Lidzia Mihailauna YARMOSHINA"',
            f'wholeName="{LONG}"',
            "",
            "line 21: nameAlias: a name",
        ),
        ("uk-xml-belarus", "<Name6>LUKASHENKO</Name6>", f"<Name6>{LONG}</Name6>", "", "line 19"),
        ("uk-csv-belarus", '"LUKASHENKO"', f'"{LONG}"', "", "line 3: primary name: a name"),
        ("targets-simple-csv", '"Beltechexport"', f'"{LONG}"', "", "line 5, column name: a name"),
    ],
)
def test_a_record_without_a_name_ftm_can_hold_is_refused_naming_its_line(
    tmp_path: Path, label: str, old: str, new: str, file: str, where: str
) -> None:
    error = refused(edited(tmp_path, label, old, new, file))
    assert where in str(error), error
    if new == LONG:  # before, the name went to notes and the target had none to screen
        assert "a name of 385 characters; expected at most 384" in error.message


def test_an_ftm_target_without_a_name_is_kept_with_a_warning(tmp_path: Path) -> None:
    chosen = seed("ftm-json")
    lines = dict(chosen.files)[chosen.entry].decode("utf-8").splitlines()
    yarmoshina = json.loads(lines[0])
    del yarmoshina["properties"]["name"]

    def read_with(entity: dict[str, Any]) -> ParsedList:
        text = "\n".join([json.dumps(entity, ensure_ascii=False), *lines[1:]]) + "\n"
        return read_list(write_seed(tmp_path, chosen, {chosen.entry: text.encode("utf-8")}))

    parsed = read_with(yarmoshina)  # her aliases are names still: nothing to report
    assert (parsed.targets[0].names[0], parsed.warnings) == ("Lidia Mikhailovna YERMOSHINA", [])
    del yarmoshina["properties"]["alias"]
    parsed = read_with(yarmoshina)
    target = parsed.targets[0]
    assert (target.id, target.names, target.caption) == (
        "NK-fixtureYarmoshina",
        [],
        "Lidzia Mihailauna YARMOSHINA",
    )
    assert parsed.warnings == [
        f"{tmp_path / chosen.entry}, line 1: target NK-fixtureYarmoshina (Person) has no "
        "name; kept, but screening by name cannot find it"
    ]


def test_ofac_alias_rows_without_a_name_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = edited(tmp_path, "ofac-csv", '"ALPHA UNIT"', '""', "alt.csv")
    parsed = read_list(path, "ofac-csv")
    kgb = next(e for e in parsed.targets if e.id == "ofac-30702")
    assert "ALPHA UNIT" not in kgb.names
    assert parsed.warnings[0] == (
        f"{tmp_path / 'alt.csv'}, line 2: fka of ent_num 30702 (KGB ALPHA) has an empty "
        "alt_name; skipped"
    )
    # the overflow of a record sdn.csv lacks is the other warning of this release
    assert parsed.warnings[1].startswith(f"{tmp_path / 'sdn_comments.csv'}, line 2: remarks")
    xml = edited(tmp_path, "ofac-xml", "<lastName>ABADAN</lastName>", "")
    parsed = read_list(xml)
    assert parsed.warnings == [
        f"{xml}, line 137: f.k.a. of uid 15036 (ARTAVIL) has no lastName or firstName; skipped"
    ]
    assert "SHONA" in next(e for e in parsed.targets if e.id == "ofac-15036").names


def test_uk_name_rows_without_a_name_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        "uk-xml-belarus",
        "<Name1>Aliaksandr</Name1>\n        <Name2>Ryhoravich</Name2>\n"
        "        <Name6>LUKASHENKA</Name6>",
        "",
    )
    parsed = read_list(path)
    (warning,) = parsed.warnings
    assert (
        warning
        == f"{path}, line 25: Alias of BEL0001 without a name (Name1 to Name6 empty); skipped"
    )
    lukashenko = next(e for e in parsed.targets if e.id == "uk-BEL0001")
    assert "Aliaksandr Ryhoravich LUKASHENKA" not in lukashenko.names


def test_what_a_nameless_alias_says_is_kept(tmp_path: Path) -> None:
    # UN: hundreds of empty <ALIAS_NAME/> placeholders; one that carries a birth date
    # gave it up with the name before
    un = edited(
        tmp_path,
        "un-xml",
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>",
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/><DATE_OF_BIRTH>1986</DATE_OF_BIRTH>"
        "<NOTE>as a courier</NOTE></INDIVIDUAL_ALIAS>",
    )
    person = next(e for e in read_list(un).targets if e.id == "un-LYi.023")
    assert "1986" in person.get("birthDate")
    assert "alias: as a courier" in person.get("notes")
    # EU FSF: a nameAlias without a name still gives its function and gender
    fsf = edited(
        tmp_path,
        "eu-fsf-belarus",
        'wholeName="Lidia Mikhailovna YERMOSHINA" function=""',
        'wholeName="" function="Member of the Central Electoral Commission"',
    )
    fsf_text = fsf.read_text("utf-8")
    fsf.write_text(
        fsf_text.replace(
            'firstName="Lidia" middleName="Mikhailovna" lastName="YERMOSHINA"',
            'firstName="" middleName="" lastName=""',
            1,
        ),
        "utf-8",
    )
    yarmoshina = read_list(fsf).targets[0]
    assert "Member of the Central Electoral Commission" in yarmoshina.get("position")
    assert "Lidia Mikhailovna YERMOSHINA" not in yarmoshina.names


# --- values at the edges of FtM's types --------------------------------------------------


def kept(note: str, prefix: bool = False) -> Callable[[ParsedList], None]:
    """A check that some entity keeps ``note`` (or a note starting with it)."""

    def check(parsed: ParsedList) -> None:
        notes = [n for e in parsed.entities for n in e.get("notes") + e.get("description")]
        assert any(n.startswith(note) if prefix else n == note for n in notes), (note, notes)

    return check


def has_ids(parsed: ParsedList, *ids: str) -> None:
    assert set(ids) <= {e.id for e in parsed.targets}, [e.id for e in parsed.targets]


EDGES: list[tuple[str, str, str, str, str | Callable[[ParsedList], None]]] = [
    # (seed, file, old, new, error fragment or check); each once raised another exception
    # (InvalidValueError, UnicodeEncodeError, ValueError, RecursionError) or stored a value
    # that FtM refuses
    (
        "belarus-csv", "", "EU-BLR", "EU-" + "B" * 62,
        "column programKey: Sanction.programId: expected an identifier",
    ),
    (
        "belarus-csv", "", "32006R0765,1,", "32006R0765 X,1,",
        "line 2, column celex: '32006R0765 X'; expected a CELEX",
    ),
    (
        "belarus-csv", "", "Asset freeze", "Asset freeze " + "x" * 1020,
        "column measure: Sanction.provisions",
    ),
    (
        "belarus-csv", "", "32006R0765,1,EU-BLR,I.A,", "32006R0765,1,EU-BLR," + "I" * 170 + ",",
        "line 2, column recordId: celex, annex and recordId make an id of 186",
    ),
    ("belarus-csv", "", "21.6.1966", "21.6.0966", "line 6, column birthDate: '21.6.0966' in"),
    (
        "ofac-csv", "sdn.csv", '"BELARUS","Head', '"' + "B" * 65 + '","Head',
        kept("Program: " + "B" * 65),
    ),
    (
        "ofac-csv", "alt.csv", '"YERMOSHINA, Lidziya Mihaulauna"', '"' + "Y" * 385 + '"',
        kept("alias: " + "Y" * 385),
    ),
    (
        "ofac-csv", "sdn.csv", "MP1234567 (Belarus)", "MP" + "1" * 70 + " (Belarus)",
        kept("Passport MP" + "1" * 70 + " (Belarus) issued 01 Jan 2010"),
    ),
    (
        "ofac-csv", "sdn.csv", "issued 01 Jan 2010", "issued 01 Jan 0999",
        kept("Passport MP1234567 (Belarus) issued 01 Jan 0999"),
    ),
    (
        "ofac-csv", "sdn.csv", "30702,", "\u0663\u0660\u0667\u0660\u0662,",
        "line 2, column ent_num: ent_num '٣٠٧٠٢'; expected OFAC's record number",
    ),
    ("ofac-csv", "sdn.csv", "30702,", "3" * 65 + ",", "line 2, column ent_num: ent_num '33333"),
    (
        "ofac-xml", "", "<lastName>ABADAN</lastName>", f"<lastName>{'A' * 385}</lastName>",
        kept("previousName: " + "A" * 385),
    ),
    (
        "un-xml", "", "<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>",
        "<REFERENCE_NUMBER>CDi/001</REFERENCE_NUMBER>",
        lambda parsed: has_ids(parsed, "un-dataid-6907993", "un-LYi.023"),
    ),
    (
        "un-xml", "", "<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>",
        f"<REFERENCE_NUMBER>{'C' * 65}</REFERENCE_NUMBER>",
        kept("REFERENCE_NUMBER: " + "C" * 65),
    ),
    (
        "un-xml", "", "<UN_LIST_TYPE>DRC</UN_LIST_TYPE>",
        f"<UN_LIST_TYPE>{'D' * 62}</UN_LIST_TYPE>",
        kept("UN_LIST_TYPE: UN-" + "D" * 62),
    ),
    (
        "un-xml", "", "<LISTED_ON>2012-12-31</LISTED_ON>", "<LISTED_ON>0999-12-31</LISTED_ON>",
        "<LISTED_ON> '0999-12-31'; expected a date as YYYY-MM-DD",
    ),
    (
        "un-xml", "", "<YEAR>1971</YEAR>", "<YEAR>\u0661\u0669\u0667\u0661</YEAR>",
        "<YEAR> '١٩٧١'; expected a year such as 1971",
    ),
    (
        "eu-fsf-belarus", "", 'logicalId="900001"', f'logicalId="{"9" * 65}"',
        "logicalId '999999999999999999999999'… has 65 characters",
    ),
    (
        "eu-fsf-belarus", "", "https://eur-lex.europa.eu/", "https://eur-lex.europ~a.eu/",
        kept(
            "regulation 2020/1387 (OJ L319I): "
            "https://eur-lex.europ~a.eu/legal-content/EN/TXT/?uri=CELEX:32020R1387"
        ),
    ),
    (
        "uk-xml-belarus", "", "<UniqueID>BEL0001</UniqueID>", f"<UniqueID>BEL{'0' * 62}</UniqueID>",
        "UniqueID 'BEL000000000000000000000'… has 65 characters",
    ),
    (
        "uk-xml-belarus", "", "<UniqueID>BEL0001</UniqueID>", "<UniqueID>BEL/0001</UniqueID>",
        "UniqueID 'BEL/0001'; expected letters and digits such as BEL0001",
    ),
    (
        "uk-xml-belarus", "", "<RegimeName>The Republic of Belarus",
        f"<RegimeName>{'R' * 1025} The Republic of Belarus",
        kept("regime: " + "R" * 1025, prefix=True),
    ),
    (
        "uk-xml-belarus", "", "<DateDesignated>29/09/2020</DateDesignated>",
        "<DateDesignated>29/09/0999</DateDesignated>",
        "DateDesignated: date '29/09/0999' is not a calendar date",
    ),
    (
        "uk-xml-belarus", "", "<DOB>30/08/1954</DOB>", "<DOB>dd/mm/\u0661\u0669\u0665\u0664</DOB>",
        "DOB: date 'dd/mm/١٩٥٤'; expected dd/mm/yyyy",
    ),
    (
        "targets-simple-csv", "", '"NK-fixtureBeltechexport"', '"NK_fixtureBeltechexport"',
        "line 5, column id: id 'NK_fixtureBeltechexport'; expected a non-empty id",
    ),
    (
        "targets-simple-csv", "", '"NK-fixtureBeltechexport"', f'"N{"K" * 200}"',
        "line 5, column id: id 'NKKKK",
    ),
    (
        "ftm-json", "", '"caption": "Lidzia Mihailauna YARMOSHINA"',
        '"caption": "Lidzia\\u0000YARMOSHINA"',
        "line 1: caption: control character U+0000",
    ),
    (
        "ftm-json", "", '"datasets": ["eu_fsf"], "first_seen"',
        '"datasets": ["eu_\\u001ffsf"], "first_seen"',
        "line 1: datasets: control character U+001F",
    ),
    (
        "ftm-json", "", '"Lidia Mikhailovna YERMOSHINA"', '"Lidia \\ud835 YERMOSHINA"',
        "line 1: Person.alias: half of a surrogate pair (\\ud835)",
    ),
    (
        "ftm-json", "", '"first_seen": "2020-10-02T00:00:00"', '"first_seen": ' + "9" * 5000,
        "line 1: JSON that cannot be read (Exceeds the limit (4300 digits)",
    ),
    (
        "ftm-json", "", '"first_seen": "2020-10-02T00:00:00"',
        '"first_seen": ' + "[" * 100_000 + "]" * 100_000,
        "line 1: JSON that cannot be read (maximum recursion depth",
    ),
    (
        "ftm-json", "", '"datasets": ["eu_fsf"], "first_seen"', '"datasets": [""], "first_seen"',
        "line 1: datasets: an empty name",
    ),
    (
        "ftm-json", "", '"topics": ["sanction"]}, "referents": [], "schema": "Person"',
        '"topics": ["sanctioned"]}, "referents": [], "schema": "Person"',
        kept("topics: sanctioned"),
    ),
    (
        "ftm-json", "", '"id": "NK-fixtureYarmoshina-sanction"',
        '"id": "NK-fixtureYarmoshina-sanction-"',
        "line 2: id 'NK-fixtureYarmoshina-sanction-'; expected a non-empty string",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("label", "file", "old", "new", "expected"), EDGES)
def test_values_at_the_edges_of_ftm_types_are_kept_as_notes_or_refused_with_the_line(
    tmp_path: Path,
    label: str,
    file: str,
    old: str,
    new: str,
    expected: str | Callable[[ParsedList], None],
) -> None:
    path = edited(tmp_path, label, old, new, file)
    if isinstance(expected, str):
        error = refused(path, seed(label).format)
        assert error.line is not None, error
        assert expected in str(error), error
        return
    parsed = read_list(path, seed(label).format)
    expected(parsed)
    for entity in parsed.entities:  # what is kept is valid and refers to valid ids
        assert Entity.from_dict(entity.to_dict()).to_dict() == entity.to_dict()
        assert all(clean_value("entity", ref) == ref for _, ref in entity.references())


# --- the model's types, as FtM has them ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "cleaned"),
    [
        ("entity", "NK-x.1", "NK-x.1"),
        ("entity", "NK_x", None),
        ("entity", "x-", None),
        ("entity", "x" * 201, None),
        ("date", "1000", "1000"),
        ("date", "2999-12-31", "2999-12-31"),
        ("date", "0999", None),
        ("date", "3000-01-01", None),
        ("date", "\u0661\u0669\u0665\u0664", None),
        ("url", "https://eur-lex.europ~a.eu/x", None),
        ("url", "http://пример.рф/x", "http://пример.рф/x"),
        ("url", "www.kgb.by", "http://www.kgb.by"),
        ("topic", "Sanction", "sanction"),
        ("topic", "sanctioned", None),
    ],
)
def test_model_types_take_what_ftm_takes(kind: str, value: str, cleaned: str | None) -> None:
    assert clean_value(kind, value) == cleaned
    if kind == "date":
        assert is_partial_date(value) == (cleaned is not None)


def test_topics_are_the_followthemoney_librarys() -> None:
    try:
        from followthemoney.types import registry
    except ImportError:
        missing("followthemoney not installed (pip install 'sanctio[ftm]', needs libicu-dev)")
    assert set(registry.topic.names) == TOPICS
