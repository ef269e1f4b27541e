"""``sanctio lists import`` reports what a valid file made it skip: counted in the summary,
each warning on stderr (the first 20), all of them in ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import sanctio
from tests.lists.seeds import OFAC_ADD, OFAC_ALT, OFAC_SDN

OVERFLOW = "remarks overflow for ent_num {n}, which sdn.csv does not list; skipped"


def test_the_2019_ofac_release_imports_with_its_ten_skipped_overflow_rows(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "lists" / "ofac" / "2019"
    db = f"sqlite:///{tmp_path / 'r.db'}"
    first = sanctio("--db", db, "lists", "import", str(folder))
    assert "Imported ofac-sdn version 1: 7379 entities" in first.stdout
    assert first.stdout.rstrip().endswith("; 10 warnings (on stderr)")
    warnings = [line for line in first.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 10
    assert warnings[0] == (
        f"warning: {folder / 'sdn_comments.csv'}, line 4: {OVERFLOW.format(n=17018)}"
    )
    assert "more warning" not in first.stderr

    again = sanctio("--db", db, "lists", "import", str(folder), "--json")
    data = json.loads(again.stdout)
    assert (data["created"], data["version"]) == (False, 1)
    assert len(data["warnings"]) == 10
    assert data["warnings"][-1] == f"{folder / 'sdn_comments.csv'}, line 13: " + OVERFLOW.format(
        n=45430
    )
    assert again.stderr.count("warning: ") == 10  # on stderr too, for whoever watches


def release(folder: Path, orphans: int, alt: str = OFAC_ALT) -> Path:
    """A small OFAC release whose sdn_comments.csv continues ``orphans`` unlisted records."""
    folder.mkdir()
    comments = "".join(f'{90000 + n},"an overflow"\r\n' for n in range(orphans))
    for name, text in (
        ("sdn.csv", OFAC_SDN),
        ("alt.csv", alt),
        ("add.csv", OFAC_ADD),
        ("sdn_comments.csv", comments),
    ):
        (folder / name).write_text(text, "utf-8")
    return folder


def test_the_first_twenty_warnings_are_printed_then_how_many_more(tmp_path: Path) -> None:
    folder = release(tmp_path / "ofac", orphans=25)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = sanctio("--db", db, "lists", "import", str(folder))
    assert "Imported ofac-sdn version 1: 3 entities" in result.stdout
    assert result.stdout.rstrip().endswith("; 25 warnings (on stderr)")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert len(warnings) == 20
    assert warnings[-1].endswith(OVERFLOW.format(n=90019))
    assert lines[-1] == "… and 5 more warnings"
    data = json.loads(sanctio("--db", db, "lists", "import", str(folder), "--json").stdout)
    assert len(data["warnings"]) == 25
    assert data["warnings"][24].endswith(OVERFLOW.format(n=90024))
    assert "Unchanged" in sanctio("--db", db, "lists", "import", str(folder)).stdout


def test_warnings_show_the_files_text_as_it_is(tmp_path: Path) -> None:
    # a name in square brackets is the file's text, not terminal markup
    alt = OFAC_ALT.replace('"ALPHA UNIT"', '""')
    folder = release(tmp_path / "ofac", orphans=0, alt=alt)
    sdn = (folder / "sdn.csv").read_text("utf-8").replace('"KGB ALPHA"', '"KGB [bold]ALPHA[/bold]"')
    (folder / "sdn.csv").write_text(sdn.replace("Linked To: KGB ALPHA", "Linked To: X"), "utf-8")
    result = sanctio("--db", f"sqlite:///{tmp_path / 'r.db'}", "lists", "import", str(folder))
    assert result.stdout.rstrip().endswith("; 1 warning (on stderr)")
    assert result.stderr.strip() == (
        f"warning: {folder / 'alt.csv'}, line 2: fka of ent_num 30702 "
        "(KGB [bold]ALPHA[/bold]) has an empty alt_name; skipped"
    )


def test_a_file_without_warnings_says_nothing_of_them(tmp_path: Path) -> None:
    folder = release(tmp_path / "ofac", orphans=0)
    result = sanctio("--db", f"sqlite:///{tmp_path / 'r.db'}", "lists", "import", str(folder))
    assert "warning" not in result.stdout + result.stderr
    data = json.loads(
        sanctio(
            "--db", f"sqlite:///{tmp_path / 'r.db'}", "lists", "import", str(folder), "--json"
        ).stdout
    )
    assert data["warnings"] == []
