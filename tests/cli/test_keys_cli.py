"""``sanctio keys`` and the audit commands as a user runs them: a key outside the
database, a checkpoint on request, the checkpoints exported to a file, and ``audit
verify`` naming where a chain rewritten through the database disagrees with them."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from sanctio.cli.main import app
from tests.registry.test_checkpoints import rewrite_from


def sanctio(*args: str, ok: bool = True) -> Any:
    """The command run in this process (a subprocess each would take seconds)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    if ok:
        assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.exit_code in (0, 1, 2), result.exception  # never a crash
    result.returncode = result.exit_code
    return result


def test_keys_checkpoints_and_a_rewritten_chain(tmp_path: Path, private_data_dir: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'trail.db'}"]
    made = sanctio("keys", "init")
    key = private_data_dir / "audit-signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (private_data_dir / "audit-signing-key.pem.pub").is_file()
    shown = json.loads(sanctio("keys", "show", "--json").stdout)
    assert f"key id {shown['key_id']}" in made.stdout
    assert shown["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    again = sanctio("keys", "init", ok=False)
    assert again.returncode == 1
    assert "exists already; a signing key is never replaced" in again.stderr

    officer = sanctio(*db, "users", "add", "olga", "--role", "officer").stdout.strip()
    sanctio(*db, "users", "add", "hr", "--role", "proposer", "--token", officer)
    refused = sanctio(*db, "audit", "checkpoint", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error:")
    signed = sanctio(*db, "audit", "checkpoint", "--reason", "monthly", "--token", officer)
    assert signed.stdout.startswith("checkpoint 1: record 3,")
    sanctio(*db, "users", "add", "eeas", "--role", "viewer", "--token", officer)

    kept = tmp_path / "kept" / "checkpoints.jsonl"
    kept.parent.mkdir()
    assert sanctio(*db, "audit", "checkpoints", "--out", str(kept)).stdout.startswith(
        "1 checkpoints written"
    )
    line = json.loads(kept.read_text())
    assert (line["seq"], line["reason"], line["key_id"]) == (3, "monthly", shown["key_id"])
    intact = sanctio(*db, "audit", "verify")
    assert "checkpoints from the database" in intact.stdout
    assert "1 checked (records 3): all agree" in intact.stdout

    # someone with write access rewrites record 2, rehashes the rest, drops the checkpoints
    engine = create_engine(db[1])
    rewrite_from(engine, 2)
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_checkpoints"))
    alone = sanctio(*db, "audit", "verify")
    assert "audit chain intact: 4 records" in alone.stdout
    assert "no checkpoints in the database" in alone.stdout
    public = private_data_dir / "audit-signing-key.pem.pub"
    args = ["--checkpoints", str(kept), "--public-key", str(public)]
    tampered = sanctio(*db, "audit", "verify", *args, ok=False)
    assert tampered.returncode == 1
    assert f"checkpoints from {kept}" in tampered.stdout
    assert "TAMPERED" in tampered.stdout
    assert "disagrees with the checkpoint of record 3" in tampered.stdout
    assert "rewritten in records 1 to 3" in tampered.stdout
    found = json.loads(sanctio(*db, "audit", "verify", *args, "--json", ok=False).stdout)
    assert (found["ok"], found["chain_ok"], found["first_broken"]) == (False, True, 1)
    assert found["checkpoints"]["first_disagreeing"] == 3

    # a corrupt row: a finding, not a traceback
    with engine.begin() as c:
        c.execute(text("UPDATE audit_log SET payload = 'not json' WHERE seq = 4"))
    corrupt = sanctio(*db, "audit", "verify", ok=False)
    assert corrupt.returncode == 1
    assert "audit chain broken at record 4: record 4 unreadable: payload 'not json'" in (
        corrupt.stdout
    )
    assert "Traceback" not in corrupt.stderr
    log = sanctio(*db, "audit", "log", ok=False)
    assert log.stderr.startswith("error: record 4 unreadable")
    engine.dispose()
