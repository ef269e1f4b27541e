"""The ``sanctio`` command as a user runs it: a real process, a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.registry.test_versions import edited_copy


def sanctio(
    *args: str, env: dict[str, str] | None = None, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "sanctio", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=120,
        check=False,
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def test_import_show_diff_entity_round_trip(db_url: str, belarus_csv: Path, tmp_path: Path) -> None:
    first = sanctio("--db", db_url, "lists", "import", str(belarus_csv))
    assert "Imported eu-32006R0765 version 1: 408 entities" in first.stdout

    again = sanctio("--db", db_url, "lists", "import", str(belarus_csv))
    assert "Unchanged" in again.stdout
    assert "no new version" in again.stdout

    shown = json.loads(sanctio("--db", db_url, "lists", "show", "eu-32006R0765", "--json").stdout)
    assert shown["name"] == "eu-32006R0765"
    assert shown["version"] == 1
    assert shown["entities"] == 408
    assert shown["by_schema"] == {"Asset": 1, "LegalEntity": 95, "Person": 312}

    edited = edited_copy(
        belarus_csv,
        tmp_path / "edited.csv",
        {("Lidzia Mihailauna YARMOSHINA", "alias"): "Lidia YERMOSHINA"},
    )
    second = sanctio("--db", db_url, "lists", "import", str(edited), "--name", "eu-32006R0765")
    assert "version 2" in second.stdout

    diff = json.loads(sanctio("--db", db_url, "lists", "diff", "eu-32006R0765", "--json").stdout)
    assert (diff["old_version"], diff["new_version"]) == (1, 2)
    (changed,) = diff["changed"]
    assert changed["id"] == "eu-32006r0765-i-a-33"
    assert changed["caption"] == "Lidzia Mihailauna YARMOSHINA"
    assert changed["properties"]["alias"]["new"] == ["Lidia YERMOSHINA"]
    assert "Лидия Михайловна ЕРМОШИНА" in changed["properties"]["alias"]["old"]
    explicit = json.loads(
        sanctio("--db", db_url, "lists", "diff", "eu-32006R0765", "1", "2", "--json").stdout
    )
    assert explicit == diff

    human = sanctio("--db", db_url, "lists", "diff", "eu-32006R0765").stdout
    assert "0 added, 0 removed, 1 changed" in human
    assert "Lidzia Mihailauna YARMOSHINA" in human

    versions = json.loads(
        sanctio("--db", db_url, "lists", "versions", "eu-32006R0765", "--json").stdout
    )
    assert [(v["version"], v["source"]) for v in versions] == [
        (1, "32006R0765.csv"),
        (2, "edited.csv"),
    ]

    overview = sanctio("--db", db_url, "lists").stdout
    assert "eu-32006R0765" in overview
    assert "408" in overview

    page = sanctio("--db", db_url, "entity", "eu-32006r0765-i-a-45").stdout
    for spelling in ("Aliaksandr Ryhoravich LUKASHENKA", "Александр Григорьевич ЛУКАШЕНКО"):
        assert spelling in page
    assert "2020-11-06" in page  # listing date of the second package
    assert "versions 1, 2" in page

    data = json.loads(sanctio("--db", db_url, "entity", "eu-32006r0765-i-a-33", "--json").stdout)
    assert data["appearances"] == {"eu-32006R0765": [1, 2]}
    assert data["related"][0]["properties"]["listingDate"] == ["2020-10-02"]


def test_bad_file_is_one_clear_line_and_stores_nothing(belarus_csv: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    sanctio("--db", db, "lists", "import", str(belarus_csv))
    broken = edited_copy(
        belarus_csv,
        tmp_path / "broken.csv",
        {("Lidzia Mihailauna YARMOSHINA", "birthDate"): "29.13.1953"},
    )
    result = sanctio(
        "--db", db, "lists", "import", str(broken), "--name", "eu-32006R0765", ok=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = next(
        n for n, text in enumerate(broken.read_text("utf-8").split("\n"), 1) if "29.13.1953" in text
    )
    assert f"{broken}, line {line}, column birthDate" in result.stderr
    shown = json.loads(sanctio("--db", db, "lists", "show", "eu-32006R0765", "--json").stdout)
    assert shown["version"] == 1


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["lists", "show", "nope"], 1, "no list named 'nope'"),
        (["entity", "nope"], 1, "no entity with id 'nope'"),
        (["lists", "diff", "nope", "0", "1"], 1, "versions start at 1"),
        (["lists", "import", "missing.csv"], 2, "no such file"),
        (["lists", "import", "missing.csv", "--format", "un-xml"], 2, "missing.csv: no such file"),
        (["lists", "import", ".", "--format", "eu-journal-csv"], 2, ".: a folder; expected"),
        (["lists", "import", ".", "--format", "eu"], 2, "unknown format 'eu'; expected one of"),
        (["lists", "--json", "show", "nope"], 2, "put --json after the command"),
    ],
)
def test_errors_are_one_line_with_a_documented_status(
    tmp_path: Path, args: list[str], status: int, message: str
) -> None:
    result = sanctio("--db", f"sqlite:///{tmp_path / 'r.db'}", *args, ok=False)
    assert result.returncode == status
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_database_from_environment_and_default_location(belarus_csv: Path, tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    sanctio("lists", "import", str(belarus_csv), env={"SANCTIO_DB": f"sqlite:///{env_db}"})
    assert env_db.exists()
    data_dir = tmp_path / "data"
    sanctio(
        "lists",
        "import",
        str(belarus_csv),
        env={"SANCTIO_DATA_DIR": str(data_dir), "SANCTIO_DB": ""},
    )
    assert (data_dir / "sanctio.db").exists()


def test_unsupported_database_url_is_explained(tmp_path: Path) -> None:
    result = sanctio("--db", "mysql://x@localhost/db", "lists", ok=False)
    assert "unsupported database 'mysql'" in result.stderr


def test_demo_loads_the_bundled_belarus_list(tmp_path: Path) -> None:
    result = sanctio("demo", env={"SANCTIO_DATA_DIR": str(tmp_path), "SANCTIO_DB": ""})
    out = result.stdout
    assert "408 entities" in out
    assert "2020-10-02 │       39 │ 1st package" in out
    assert "2020-11-06 │       15 │ 2nd package" in out
    assert "2020-12-17 │       37 │ 3rd package" in out
    for spelling in (
        "Lidzia Mihailauna YARMOSHINA",
        "Лидия Михайловна ЕРМОШИНА",
        "Юрий Хаджимуратович КАРАЕВ",
    ):
        assert spelling in out
    assert (tmp_path / "demo.db").exists()
    # the tour screens a Russian Cyrillic name and the press spelling of the president
    assert "Screening 'Лидия Ермошина': 1 alerts" in out
    assert "Screening 'Alexander Lukashenko': 1 alerts" in out
    # run twice: a fresh database each time, still version 1
    assert (
        "as version 1"
        in sanctio("demo", env={"SANCTIO_DATA_DIR": str(tmp_path), "SANCTIO_DB": ""}).stdout
    )


HELP = {
    (): ["lists", "entity", "demo", "--db", "Exit status"],
    ("lists",): ["Without a command: every list", "import", "show", "versions", "diff", "export"],
    ("lists", "import"): [
        "new immutable version",
        "Unchanged content",
        "printed as warnings on stderr",
        "--name",
        "--format",
        "--allow-removals",
        "published here by adoption",
    ],
    ("lists", "show"): ["entity counts by schema", "--version", "--json"],
    ("lists", "versions"): ["every version"],
    ("lists", "diff"): ["added, removed and changed", "Older version", "Newer version"],
    ("lists", "export"): [
        "FtM JSON, OpenSanctions CSV, annex HTML or EU XML",
        "complete or absent",
        "ftm-json|targets-simple-csv|annex-html|eu-fsf-xml",
        "--version",
        "--out",
        "- for standard output",
        "symbolic link",
    ],
    ("entity",): ["every spelling", "sanctions", "versions"],
    ("demo",): ["Belarus", "fresh SQLite"],
    ("screen",): ["every list", "explanation", "--birth-date", "--country", "--threshold"],
    ("compare",): ["score", "why"],
    ("screen-file",): ["id,name", "line number", "--out", "--workers"],
}


@pytest.mark.parametrize(("command", "phrases"), HELP.items())
def test_every_command_explains_itself(command: tuple[str, ...], phrases: list[str]) -> None:
    text = " ".join(sanctio(*command, "--help").stdout.split())
    assert f"Usage: sanctio {' '.join(command)}".strip() in text
    for phrase in phrases:
        assert phrase in text, phrase


def test_an_import_that_would_empty_a_list_is_refused_unless_allowed(
    belarus_csv: Path, tmp_path: Path
) -> None:
    """Finding 1: the header and one row over the full list printed "Imported version 2"."""
    from tests.listfiles import read_rows, write_rows

    db = f"sqlite:///{tmp_path / 'r.db'}"
    sanctio("--db", db, "lists", "import", str(belarus_csv))
    one = write_rows(tmp_path / "one.csv", read_rows(belarus_csv)[:2])
    refused = sanctio("--db", db, "lists", "import", str(one), "--name", "eu-32006R0765", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().startswith(
        "error: one.csv would remove 407 of the 408 entities of eu-32006R0765 version 1"
    )
    assert "--allow-removals" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    allowed = sanctio(
        "--db", db, "lists", "import", str(one), "--name", "eu-32006R0765", "--allow-removals"
    )
    assert "Removed 407 entities of version 1, allowed by --allow-removals" in allowed.stdout
    log = json.loads(sanctio("--db", db, "audit", "log", "--json").stdout)
    imports = [r for r in log if r["action"] == "list.imported"]
    assert [r["payload"]["guard_overridden"] for r in imports] == [False, True]
    assert all(r["actor"].startswith("os:") for r in imports)


def test_a_fifo_given_to_import_with_a_format_is_refused_at_once(tmp_path: Path) -> None:
    """Finding 12: ``lists import --format ... FIFO`` used to wait forever."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = sanctio(
        "--db", db, "lists", "import", str(fifo), "--format", "eu-journal-csv", ok=False
    )
    assert result.returncode == 2
    assert f"error: {fifo}: is a named pipe (FIFO); expected a regular" in result.stderr


def test_a_published_list_is_refused_by_name_on_import(belarus_csv: Path, tmp_path: Path) -> None:
    """Finding 2: an import over the regime's list made a new version, without a token."""
    from sqlalchemy.orm import Session

    from sanctio.lists import read_list
    from sanctio.registry import Registry

    db = f"sqlite:///{tmp_path / 'r.db'}"
    registry = Registry(db)
    with Session(registry.writer) as session, session.begin():
        registry.store_in(session, "sanctio-blr", read_list(belarus_csv), origin="published")
    registry.close()
    forged = tmp_path / "x.ftm.json"
    forged.write_text(
        json.dumps({"id": "x-1", "schema": "Person", "properties": {"name": ["X Y"]}}) + "\n"
    )
    result = sanctio("--db", db, "lists", "import", str(forged), "--name", "sanctio-blr", ok=False)
    assert result.returncode == 1
    assert (
        "error: sanctio-blr is published here by adoption; it changes only through the "
        "designation workflow" in result.stderr
    )
    shown = json.loads(sanctio("--db", db, "lists", "show", "sanctio-blr", "--json").stdout)
    assert (shown["version"], shown["origin"]) == (1, "published")
