"""The documentation says what the code does: commands, settings, the two README commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sanctio.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_generated_from_the_current_commands(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    typer = Path(sys.executable).with_name("typer")
    subprocess.run(
        [str(typer), "sanctio.cli.main", "utils", "docs", "--name", "sanctio",
         "--title", "Command reference", "--output", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == out.read_text("utf-8"), (
        "docs/cli.md is stale: run `make docs`"
    )


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    page = (ROOT / "docs" / "settings.md").read_text("utf-8")
    for name in SETTINGS:
        assert f"`{name}`" in page
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r"SANCTIO_[A-Z_]+", path.read_text("utf-8")))
    assert used == set(SETTINGS), "settings.SETTINGS must list every SANCTIO_* variable"


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
