"""From a roster and an incident to candidates, as a user runs it (names made up)."""

from __future__ import annotations

import json
from pathlib import Path

from sanctio.designation.responsibility import NOTICE
from sanctio.designation.roster import ROSTER_COLUMNS
from tests.cli.test_cli import sanctio

ROSTER = [
    ",".join(ROSTER_COLUMNS),
    "mvd-rur,Ministry of the Interior of Ruritania,ministry,,Minister,1,Grigory MINISTRAU,,"
    "2019-01-01,,Presidential decree No 1 of 2019",
    "omon-vostok,Riot Police Unit of Vostok,security_unit,mvd-rur,Commander,1,"
    'Anton TESTAROU,1970-01-01,2016-01-01,2020-03-31,"Decree No 3, 2016"',
    "omon-vostok,Riot Police Unit of Vostok,security_unit,mvd-rur,Commander,1,"
    "Boris PRYKLADAU|Барыс ПРЫКЛАДАЎ,1975-04-04,2020-04-01,,Decree No 12 of 2020-04-01",
]


def test_roster_incident_and_candidates(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'incidents.db'}"]
    officer = {
        "SANCTIO_TOKEN": sanctio(*db, "users", "add", "olga", "--role", "officer").stdout.strip()
    }
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    imported = sanctio(*db, "designation", "roster-import", str(roster), env=officer)
    assert "3 occupancies recorded, 0 already recorded" in imported.stdout
    video = tmp_path / "square.mp4"
    video.write_bytes(b"made-up footage")
    recorded = sanctio(*db, "designation", "incident-add", "--date", "2020-08-10T23:30",
                       "--place", "Vostok, Central Square", "--description",
                       "Protesters beaten and detained", "--body", "omon-vostok",
                       "--source-file", str(video), "--source", "video by a bystander",
                       "--detainees", "120", env=officer)  # fmt: skip
    assert recorded.stdout.strip() == "incident 1 recorded"

    shown = json.loads(
        sanctio(*db, "designation", "candidates", "--incident", "1", "--json", env=officer).stdout
    )
    assert shown["note"] == NOTICE
    first, second = shown["candidates"]
    assert (first["name"], first["post"], first["since"], first["until"]) == (
        "Boris PRYKLADAU",
        "Commander",
        "2020-04-01",
        None,
    )
    assert first["reasoning"] == [
        "incident 1 (2020-08-10, Vostok, Central Square): Riot Police Unit of Vostok involved",
        "Commander of Riot Police Unit of Vostok held by Boris PRYKLADAU from 2020-04-01, "
        "no end date recorded (source: Decree No 12 of 2020-04-01)",
    ]
    assert first["has_dossier"] is False
    assert second["name"] == "Grigory MINISTRAU"
    assert second["reasoning"][1].startswith(
        "Riot Police Unit of Vostok is under Ministry of the Interior of Ruritania: "
        "its Minister on 2020-08-10 was Grigory MINISTRAU"
    )

    table = sanctio(*db, "designation", "candidates", "--incident", "1", env=officer).stdout
    assert "Boris PRYKLADAU" in table
    assert "Anton TESTAROU" not in table
    assert table.rstrip().endswith(NOTICE)
