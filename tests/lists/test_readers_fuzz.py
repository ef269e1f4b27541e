"""Every reader on random and mutated input: a ParsedList of valid entities, or an InputError.

Seeds (tests/lists/seeds.py) are the small fixture files (tests/fixtures), a slice of
the bundled Belarus CSV, a small OFAC CSV release and a UN file made of real records.
Each example applies one to three mutations (cut at a byte, flip, insert or delete
bytes, insert a hostile token, duplicate a record, remove a name element or column,
replace one field's value with one at the edge of its type, or replace everything with
random bytes) and reads the result with ``read_list(path, fmt)``, or with the format
detected. Whatever the input, the reader must either return entities that the model
accepts again (``Entity.from_dict(e.to_dict())``), that the registry can store (FtM
ids, UTF-8 text without control characters) and, when the ``followthemoney`` library
is installed, that it validates too; or raise an InputError naming the file. Any
other exception is a bug.

More examples: ``SANCTIO_FUZZ_EXAMPLES=2000 pytest tests/lists/test_readers_fuzz.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctio.errors import InputError, SanctioError
from sanctio.lists import FORMATS, read_list
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity, canonical_json
from sanctio.model.types import clean_value
from tests.lists.seeds import RECORD_PATTERNS, SEEDS, Seed, write_seed

EXAMPLES = int(os.environ.get("SANCTIO_FUZZ_EXAMPLES", "50"))
#: The registry's column for list names (sanctio.model.records.SanctionsList).
MAX_LIST_NAME = 200
#: Characters no value may hold: PostgreSQL stores no NUL, and no list means the others.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

try:  # the optional extra sanctio[ftm]; without it values are checked by Sanctio alone
    from followthemoney import model as ftm_model
except ImportError:  # pragma: no cover - depends on the environment
    ftm_model = None

#: Per format: the elements or attributes that hold a record's name.
NAME_PATTERNS = {
    "ofac-xml": [r"<lastName>[^<]*</lastName>", r"<firstName>[^<]*</firstName>"],
    "un-xml": [r"<FIRST_NAME>[^<]*</FIRST_NAME>", r"<SECOND_NAME>[^<]*</SECOND_NAME>",
               r"<ALIAS_NAME>[^<]*</ALIAS_NAME>"],
    "eu-fsf-xml": [r'wholeName="[^"]*"', r'(?:first|middle|last)Name="[^"]*"'],
    "uk-xml": [r"<Name[1-6]>[^<]*</Name[1-6]>", r"<NameNonLatinScript>[^<]*</NameNonLatinScript>"],
    "ftm-json": [r'"name": \[[^\]]*\],?', r'"alias": \[[^\]]*\],?'],
}  # fmt: skip
#: Name columns of the CSV formats (by header text).
NAME_COLUMNS = {
    "eu-journal-csv": ["name", "alias"],
    "targets-simple-csv": ["name", "aliases"],
    "uk-csv": ["Name 6", "Name 1", "Name 2", "Name type"],
    "ofac-csv": ["1", "3"],  # sdn.csv's name, alt.csv's alt_name: column numbers
}
#: Fragments that break parsers in interesting ways.
TOKENS = [
    b'"', b",", b";", b"\n", b"\r\n", b"\r", b"<", b">", b"&", b"&#0;", b"&amp;",
    b"&#x1F;", b"]]>", b"<![CDATA[x]]>", b"<!DOCTYPE x>", b"\\u0000", b"\\ud800",
    b"\\\"", b"{", b"}", b"[", b"]", b"null", b"-0-", b"\xef\xbb\xbf", b"\xff", b"\xc3",
    b"\x00", b"\x1a", b"\xe2\x80\xa8", b" " * 3, b"9" * 40, b"x" * 300, b"1.1.1900",
    b"31.2.2020", b"0000", b"29/02/2023", b"2020-13-01", b"Person", b"Vessel", b"Asset",
    b"individual", b"aircraft", b"Linked To: ", b"DOB ", b"; ", b"Passport ",
    b'"",""', b"a.k.a. ", b"NK-", b"--sanction", b"eu-fsf-1",
]  # fmt: skip


def _records_csv(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each CSV record, by the csv module's line count."""
    lines = io.StringIO(text, newline="").readlines()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    reader = csv.reader(io.StringIO(text, newline=""))
    spans, start = [], 1
    try:
        for _ in reader:
            spans.append((offsets[start - 1], offsets[min(reader.line_num, len(lines))]))
            start = reader.line_num + 1
    except csv.Error:
        pass
    return spans


def _csv_cells(text: str) -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None


Mutation = Callable[[st.DrawFn, bytes, Seed], bytes]


def truncate(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def flip(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]


def insert(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    at = draw(st.integers(0, len(data)))
    piece = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(TOKENS))
    return data[:at] + piece + data[at:]


def delete(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + data[at + draw(st.integers(1, 64)) :]


def duplicate_record(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    """One record again, right after itself (a repeated id, as a publisher's slip)."""
    text = data.decode("utf-8", errors="surrogateescape")
    if seed.format in RECORD_PATTERNS:
        spans = [m.span() for m in re.finditer(RECORD_PATTERNS[seed.format], text, re.S)]
    elif seed.format == "ftm-json":
        spans = [m.span() for m in re.finditer(r"[^\n]*\n", text)]
    elif seed.format == "ofac-csv":  # no header
        spans = _records_csv(text)
    else:
        spans = _records_csv(text)[1:] or _records_csv(text)
    if not spans:
        return data
    start, end = draw(st.sampled_from(spans))
    return (text[:end] + text[start:end] + text[end:]).encode("utf-8", errors="surrogateescape")


def remove_name(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    """A name element or attribute removed, or a name column emptied or dropped."""
    text = data.decode("utf-8", errors="surrogateescape")
    if seed.format in NAME_PATTERNS:
        pattern = draw(st.sampled_from(NAME_PATTERNS[seed.format]))
        found = list(re.finditer(pattern, text))
        if not found:
            return data
        if draw(st.booleans()):
            text = re.sub(pattern, "", text)
        else:
            match = draw(st.sampled_from(found))
            text = text[: match.start()] + text[match.end() :]
        return text.encode("utf-8", errors="surrogateescape")
    rows = _csv_cells(text)
    if not rows:
        return data
    header = next((i for i, r in enumerate(rows) if seed.format != "uk-csv" or len(r) > 3), 0)
    columns = NAME_COLUMNS.get(seed.format, [])
    names = rows[header] if seed.format != "ofac-csv" else [str(i) for i in range(12)]
    indexes = [names.index(c) for c in columns if c in names]
    if not indexes:
        return data
    column = draw(st.sampled_from(indexes))
    body = range(0 if seed.format == "ofac-csv" else header + 1, len(rows))
    if draw(st.booleans()):  # drop the column everywhere, header included
        rows = [r[:column] + r[column + 1 :] for r in rows]
    elif body:
        for index in (draw(st.sampled_from(list(body))),) if draw(st.booleans()) else body:
            if column < len(rows[index]):
                rows[index][column] = ""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogateescape")


#: Values that each field must either take or refuse clearly.
VALUES = [
    "", " ", "x" * 65, "x" * 101, "x" * 201, "x" * 385, "x" * 1025, "x " * 33000, "A B",
    "١٩٧٠", "1954", "1954-02-30", "31.2.2020", "29/02/2023", "dd/mm/1970",
    "0000", "-0-", "Person", "Vessel", "LegalEntity", "Individual", "Ship", "Entity",
    "a.k.a. 'X'", "Linked To: KGB ALPHA", "DOB 1960 to 1940", "Passport " + "9" * 70,
    "+375 17 222 22 22", "http://", "by", "ua-cri", "Good", "Low", "f.k.a.", "Male",
    "Primary Name", "Alias", "passport", "true", "\u0085", "\u2028", "NK-x;y", '"',
]  # fmt: skip
_XML_VALUE = re.compile(r'(?<=>)[^<>]+(?=</)|(?<==")[^"]*(?=")')
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def replace_value(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    """One field's value (a CSV cell, an XML text or attribute, a JSON string) replaced
    with a value at the edge of what its type takes."""
    text = data.decode("utf-8", errors="surrogateescape")
    value = draw(st.sampled_from(VALUES) | st.text(max_size=20))
    if seed.format.endswith("xml"):
        spans = [m.span() for m in _XML_VALUE.finditer(text)]
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    elif seed.format == "ftm-json":
        spans = [m.span() for m in _JSON_STRING.finditer(text)]
        escaped = json.dumps(value)
    else:
        rows = _csv_cells(text)
        cells = [(r, c) for r, row in enumerate(rows or []) for c in range(len(row))]
        if not rows or not cells:
            return data
        row, column = draw(st.sampled_from(cells))
        rows[row][column] = value
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8", errors="surrogateescape")
    if not spans:
        return data
    start, end = draw(st.sampled_from(spans))
    return (text[:start] + escaped + text[end:]).encode("utf-8", errors="surrogateescape")


def random_bytes(draw: st.DrawFn, data: bytes, seed: Seed) -> bytes:
    return draw(st.binary(max_size=512))


MUTATIONS: list[Mutation] = [
    truncate,
    flip,
    insert,
    delete,
    duplicate_record,
    remove_name,
    replace_value,
    random_bytes,
]


@st.composite
def mutated(draw: st.DrawFn, seed: Seed) -> tuple[dict[str, bytes], list[str]]:
    """The seed's files with one to three mutations, and the mutations' names."""
    files = dict(seed.files)
    applied: list[str] = []
    # values replaced three times as often: most bytes changed at random only break the
    # syntax, which each reader refuses early; a bad value reaches the mapping code
    choices = st.sampled_from([*MUTATIONS, replace_value, replace_value])
    for mutation in draw(st.lists(choices, min_size=1, max_size=3)):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = mutation(draw, files[name], seed)
        applied.append(f"{mutation.__name__}({name})")
    return files, applied


def check_entity(entity: Entity) -> None:
    """What every stored entity must satisfy: valid again when read back as FtM JSON,
    an id and text the registry's columns take (UTF-8, no NUL or control characters)."""
    data = entity.to_dict()
    assert Entity.from_dict(data).to_dict() == data, entity.id
    assert entity.id, data
    assert clean_value("entity", entity.id) == entity.id, entity.id  # FtM's id, <= 200
    text = canonical_json(data)
    text.encode("utf-8")  # no lone surrogates
    values = [entity.id, entity.caption, *entity.datasets]
    values += [v for items in entity.properties.values() for v in items]
    for value in values:
        assert not _CONTROL.search(value), (entity.id, value)
    if ftm_model is not None:  # every value valid for the followthemoney library too
        schema = ftm_model.get(entity.schema.name)
        for prop, items in entity.properties.items():
            ftm_type = schema.properties[prop].type
            for item in items:
                assert ftm_type.validate(item), f"{entity.id}: {prop} {item!r}"
        assert ftm_model.get_proxy(data).id == entity.id


def read_and_check(folder: Path, seed: Seed, files: dict[str, bytes], detect: bool) -> None:
    """Read the files as the seed's format (or as detected): a list whose every entity is
    valid, or an InputError naming a file in ``folder``; any other exception escapes."""
    path = write_seed(folder, seed, files)
    error: SanctioError | None = None
    try:
        parsed = read_list(path, None if detect else seed.format)
    except SanctioError as exc:
        error = exc
    if error is not None:  # refused: a message that names the file (or a file beside it)
        assert isinstance(error, InputError), error
        assert str(folder) in str(error.path), error
        assert error.message.strip(), error
        return
    assert isinstance(parsed, ParsedList)
    assert parsed.format in FORMATS
    assert 0 < len(parsed.name) <= MAX_LIST_NAME, parsed.name
    assert parsed.entities
    assert len({e.id for e in parsed.entities}) == len(parsed.entities)
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    for entity in parsed.entities:
        check_entity(entity)
    parsed.content_hash()


@pytest.mark.parametrize("seed", SEEDS, ids=[s.label for s in SEEDS])
def test_seeds_read_without_mutation(seed: Seed, tmp_path: Path) -> None:
    """The starting points are valid: the mutations start from files that read."""
    parsed = read_list(write_seed(tmp_path, seed), seed.format)
    assert parsed.targets
    for entity in parsed.entities:
        check_entity(entity)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.label for s in SEEDS])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_input_reads_or_is_refused_clearly(seed: Seed, data: st.DataObject) -> None:
    files, _ = data.draw(mutated(seed), label="files and the mutations applied")
    detect = data.draw(st.booleans(), label="detect the format")
    with tempfile.TemporaryDirectory() as tmp:
        read_and_check(Path(tmp), seed, files, detect)
