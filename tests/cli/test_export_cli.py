"""``sanctio lists export`` as a user runs it, and the all-or-nothing output behind it."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pytest

from sanctio.errors import InputError
from sanctio.lists import read_list, writers
from sanctio.model import Entity
from tests.cli.test_cli import sanctio
from tests.registry.test_versions import edited_copy

LIST = "eu-32006R0765"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A registry holding the Belarus list once, for tests that only read it."""
    from importlib import resources

    db = f"sqlite:///{tmp_path_factory.mktemp('registry') / 'r.db'}"
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        sanctio("--db", db, "lists", "import", str(path))
    return db


def test_each_format_of_an_imported_list(db_url: str, belarus_csv: Path, tmp_path: Path) -> None:
    sanctio("--db", db_url, "lists", "import", str(belarus_csv))
    original = read_list(belarus_csv)

    ftm = tmp_path / "belarus.ftm.json"
    done = sanctio(
        "--db", db_url, "lists", "export", LIST, "--format", "ftm-json", "--out", str(ftm)
    )
    assert f"Exported {LIST} version 1 (408 entities, 816 records) as ftm-json" in " ".join(
        done.stderr.split()
    )
    assert done.stdout == ""
    assert read_list(ftm).state_hashes() == original.state_hashes()
    # standard output gets the same bytes as the file
    stdout = sanctio("--db", db_url, "lists", "export", LIST, "--format", "ftm-json").stdout
    assert stdout == ftm.read_text("utf-8")

    csv_out = tmp_path / "targets.csv"
    sanctio("--db", db_url, "lists", "export", LIST, "--format", "targets-simple-csv",
            "--out", str(csv_out))  # fmt: skip
    assert [e.id for e in read_list(csv_out).targets] == sorted(e.id for e in original.targets)

    page = sanctio("--db", db_url, "lists", "export", LIST, "--format", "annex-html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert f"<title>{LIST}, version 1</title>" in page
    for spelling in (
        "Lidzia Mihailauna YARMOSHINA",
        "Lidia Mikhailovna YERMOSHINA",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ):
        assert spelling in page
    assert '<time datetime="2020-10-02">2.10.2020</time>' in page


def test_exported_ftm_json_imports_as_the_same_content(belarus_csv: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    sanctio("--db", db, "lists", "import", str(belarus_csv))
    out = tmp_path / "export.ftm.json"
    sanctio("--db", db, "lists", "export", LIST, "--format", "ftm-json", "--out", str(out))
    again = sanctio("--db", db, "lists", "import", str(out), "--name", LIST)
    assert "Unchanged" in again.stdout  # same content hash: no new version
    # a copy is a list of its own only in another registry: here its ids are the EU list's
    other = f"sqlite:///{tmp_path / 'other.db'}"
    copy = json.loads(sanctio("--db", other, "lists", "import", str(out), "--json").stdout)
    assert (copy["name"], copy["format"], copy["entities"]) == ("export", "ftm-json", 408)


def test_version_option_exports_an_older_version(belarus_csv: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    sanctio("--db", db, "lists", "import", str(belarus_csv))
    edited = edited_copy(
        belarus_csv,
        tmp_path / "edited.csv",
        {("Lidzia Mihailauna YARMOSHINA", "alias"): "Lidia YERMOSHINA"},
    )
    sanctio("--db", db, "lists", "import", str(edited), "--name", LIST)

    def yarmoshina_aliases(*args: str) -> list[str]:
        out = sanctio("--db", db, "lists", "export", LIST, "--format", "ftm-json", *args).stdout
        line = next(x for x in out.splitlines() if '"eu-32006r0765-i-a-33"' in x[:40])
        return list(json.loads(line)["properties"]["alias"])

    assert yarmoshina_aliases() == ["Lidia YERMOSHINA"]
    assert yarmoshina_aliases("--version", "2") == ["Lidia YERMOSHINA"]
    assert "Лидия Михайловна ЕРМОШИНА" in yarmoshina_aliases("--version", "1")


def test_eu_fsf_xml_is_handed_to_its_writer(imported: str, tmp_path: Path) -> None:
    out = tmp_path / "fsf.xml"
    sanctio("--db", imported, "lists", "export", LIST, "--format", "eu-fsf-xml", "--out", str(out))
    assert out.read_bytes().startswith(b"<?xml")
    parsed = read_list(out)
    assert (parsed.format, len(parsed.targets)) == ("eu-fsf-xml", 408)
    assert any("Лидия Михайловна ЕРМОШИНА" in t.names for t in parsed.targets)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["nope", "--format", "ftm-json"], 1, "no list named 'nope'"),
        ([LIST, "--format", "ftm-json", "--version", "7"], 1, "has no version 7; it has 1 to 1"),
        ([LIST, "--format", "pdf"], 2, "'pdf' is not one of 'ftm-json', 'targets-simple-csv'"),
        ([LIST], 2, "Missing option '--format'"),
        ([LIST, "--format", "ftm-json", "--out", "{tmp}/no/such/x.json"], 2, "does not exist"),
        ([LIST, "--format", "ftm-json", "--out", "{tmp}"], 2, "is a folder"),
    ],
)
def test_export_errors_are_one_line_with_a_documented_status(
    imported: str, tmp_path: Path, args: list[str], status: int, message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = sanctio("--db", imported, "lists", "export", *args, ok=False)
    assert result.returncode == status
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        (
            '{"id": "x", "schema": "Person", "properties": {"name": ["A"]',
            "line 2",
            "not valid JSON",
        ),
        ('{"id": "x", "schema": "Persn", "properties": {}}', "line 2", "unknown schema 'Persn'"),
    ],
)
def test_importing_a_broken_ftm_file_names_file_and_line(
    tmp_path: Path, line: str, where: str, message: str
) -> None:
    path = tmp_path / "broken.ftm.json"
    good = {"id": "p", "schema": "Person", "properties": {"name": ["Lidia YERMOSHINA"]}}
    path.write_text(json.dumps(good) + "\n" + line + "\n", "utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = sanctio("--db", db, "lists", "import", str(path), ok=False)
    assert result.returncode == 2
    text = " ".join(result.stderr.split())
    assert f"{path}, {where}" in text
    assert message in text
    assert "Traceback" not in result.stderr


# -- all or nothing -----------------------------------------------------------------


def _failing_writer(entities: Sequence[Entity], out: IO[bytes], title: str) -> None:
    out.write(b'{"id": "half a line')
    raise InputError("entity", "cannot be written")


def _entities(belarus_csv: Path) -> list[Entity]:
    return read_list(belarus_csv).entities[:4]


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(
    belarus_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.json"
    target.write_text("previous export\n", "utf-8")
    monkeypatch.setitem(writers.WRITERS, "ftm-json", _failing_writer)
    with pytest.raises(InputError, match="cannot be written"):
        writers.export_file("ftm-json", _entities(belarus_csv), target)
    assert target.read_text("utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["list.json"]


def test_a_failed_export_writes_nothing_to_standard_output(
    belarus_csv: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setitem(writers.WRITERS, "ftm-json", _failing_writer)
    with pytest.raises(InputError):
        writers.export_stdout("ftm-json", _entities(belarus_csv))
    assert capfdbinary.readouterr().out == b""


def test_a_new_export_file_gets_the_usual_permissions(belarus_csv: Path, tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    writers.export_file("targets-simple-csv", _entities(belarus_csv), target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.read_text("utf-8").startswith('"id","schema","name"')


def test_out_dash_is_standard_output_and_a_fifo_is_refused(imported: str, tmp_path: Path) -> None:
    """Finding 6: --out replaced a FIFO (or a device) with a regular file."""
    stdout = sanctio(
        "--db", imported, "lists", "export", LIST, "--format", "ftm-json", "--out", "-"
    )
    assert len(stdout.stdout.splitlines()) == 816
    assert not (tmp_path / "-").exists()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused = sanctio(
        "--db", imported, "lists", "export", LIST, "--format", "ftm-json", "--out", str(fifo),
        ok=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert f"error: {fifo}: is a named pipe (FIFO); expected a regular file" in refused.stderr
    assert fifo.is_fifo()


def test_exporting_a_published_list_is_audited(belarus_csv: Path, tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    from sanctio.registry import Registry

    db = f"sqlite:///{tmp_path / 'r.db'}"
    registry = Registry(db)
    with Session(registry.writer) as session, session.begin():
        registry.store_in(session, "sanctio-blr", read_list(belarus_csv), origin="published")
    registry.close()
    out = tmp_path / "blr.csv"
    sanctio("--db", db, "lists", "export", "sanctio-blr", "--format", "targets-simple-csv",
            "--out", str(out))  # fmt: skip
    sanctio("--db", db, "lists", "import", str(belarus_csv))
    sanctio("--db", db, "lists", "export", LIST, "--format", "ftm-json")  # imported: not audited
    log = json.loads(sanctio("--db", db, "audit", "log", "--json").stdout)
    (exported,) = [r for r in log if r["action"] == "list.exported"]
    assert exported["actor"].startswith("os:")
    assert exported["payload"]["list"] == "sanctio-blr"
    assert exported["payload"]["to"] == str(out.resolve())
    assert exported["payload"]["format"] == "targets-simple-csv"
