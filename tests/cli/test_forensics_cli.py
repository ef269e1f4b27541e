"""``sanctio forensics`` as a user runs it, on the real Belarus files."""

from __future__ import annotations

import json
from pathlib import Path

from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from tests.cli.test_cli import sanctio


def test_reconcile_records_findings_once_and_lists_commissions(
    shared_data: Path, tmp_path: Path
) -> None:
    belarus = shared_data / "elections" / "belarus-2020"
    url = f"sqlite:///{tmp_path / 'f.db'}"
    registry = Registry(url)
    token = Designation(registry).add_user(None, "olga", Role.OFFICER)
    registry.close()
    env = {"SANCTIO_TOKEN": token}
    args = ["--db", url, "forensics", "reconcile", str(belarus / "golos-voice.csv"), "--json"]
    first = json.loads(
        sanctio(*args, "--record", "--protocols", str(belarus / "protocols.csv"), env=env).stdout
    )
    assert first["contradicted_by_photos"] == 441
    assert first["findings_recorded"] == {"added": 652, "already_recorded": 0}
    shares = first["protocol_shares"]
    assert round(shares["Лукашенко Александр Григорьевич"], 2) == 0.62
    assert round(shares["Тихановская Светлана Георгиевна"], 2) == 0.25
    plot = tmp_path / "reconcile.png"
    again = json.loads(sanctio(*args, "--record", "--plot", str(plot), env=env).stdout)
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert again["findings_recorded"] == {"added": 0, "already_recorded": 652}
    listed = json.loads(sanctio("--db", url, "forensics", "commissions", "--json").stdout)
    assert len(listed["commissions"]) == 652
    assert listed["commissions"][0]["roster_imported"] is False
    assert "not findings about persons" in listed["note"]
    refused = sanctio(*args, "--record", env={"SANCTIO_TOKEN": "wrong"}, ok=False)
    assert refused.returncode == 1
    assert "unknown token" in refused.stderr


def test_integer_test_on_a_generic_file_with_a_plot(tmp_path: Path) -> None:
    rows = ["precinct,region,registered,ballots_issued,ballots_found,A,B"]
    for n in range(300):
        registered = 1000 + n
        issued = registered // 2 + n % 7  # rarely a whole percent
        rows.append(f"p{n},r{n % 3},{registered},{issued},{issued},{issued // 3},{issued // 5}")
    rows.append("bad,r0,100,-5,10,1,1")
    path = tmp_path / "election.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    plot = tmp_path / "integer.png"
    result = json.loads(
        sanctio(
            "forensics", "integer-test", str(path), "--draws", "50", "--plot", str(plot), "--json"
        ).stdout
    )
    assert result["leader"] == "A"
    assert result["precincts_used"] == 300
    assert result["draws"] == 50
    assert result["input"]["rows_excluded"][0]["precinct"] == "bad"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = sanctio("forensics", "integer-test", str(path), "--leader", "Z", ok=False)
    assert unknown.returncode == 2
    assert "candidate 'Z'" in unknown.stderr
