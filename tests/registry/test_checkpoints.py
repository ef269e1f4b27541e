"""Signed checkpoints anchor the audit chain outside the database: a chain rewritten
and rehashed, or emptied and started again, through the database alone verifies in
itself but disagrees with the checkpoints signed before; corrupt rows are findings."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import Engine, select, text

from sanctio.model.records import AuditCheckpoint
from sanctio.registry import signing
from sanctio.registry.audit import (
    GENESIS,
    AuditError,
    UnreadableRecordError,
    entries,
    readable_entries,
    record_hash,
    verify,
)
from sanctio.registry.checkpoints import check, checkpoint, export_checkpoints, read_checkpoints
from sanctio.registry.engine import open_engine, writer
from tests.registry.test_audit import add, sql


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> signing.SigningKey:
    """A signing key outside the database, configured as a user would."""
    path = tmp_path / "keys" / "audit.pem"
    made = signing.init_key(path)
    monkeypatch.setenv("SANCTIO_SIGNING_KEY", str(path))
    return made


def sign(engine: Engine, reason: str = "test") -> Any:
    with writer(engine).begin() as connection:
        return checkpoint(connection, reason)


def rewrite_from(engine: Engine, seq: int, actor: str = "mallory") -> None:
    """What someone with write access to the database can do: edit record ``seq`` and
    recompute its hash, every later hash and link, and the head."""
    prev = GENESIS
    with engine.begin() as c:
        for entry in entries(engine):
            who = actor if entry.seq == seq else entry.actor
            digest = record_hash(
                entry.seq, entry.at, who, entry.action, entry.subject, entry.payload, prev
            )
            if entry.seq >= seq:
                c.execute(
                    text(
                        "UPDATE audit_log SET actor = :who, prev_hash = :prev, hash = :h "
                        "WHERE seq = :n"
                    ),
                    {"who": who, "prev": prev, "h": digest, "n": entry.seq},
                )
            prev = digest
        c.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


# -- keys ------------------------------------------------------------------------------


def test_a_key_is_made_0600_with_its_public_key_beside_it_and_never_replaced(
    tmp_path: Path,
) -> None:
    path = tmp_path / "k" / "signing.pem"
    made = signing.init_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public_file = signing.public_path(path)
    assert public_file.name == "signing.pem.pub"
    public = signing.load_public_key(public_file)
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert made.key_id == signing.key_id(public) == hashlib.sha256(raw).hexdigest()
    assert signing.load_private_key(path).key_id == made.key_id
    before = path.read_bytes()
    with pytest.raises(signing.SigningKeyError, match="exists already"):
        signing.init_key(path)
    assert path.read_bytes() == before
    with pytest.raises(signing.SigningKeyError, match="expected the file `sanctio keys init`"):
        signing.load_private_key(public_file)


def test_the_default_key_is_in_the_data_directory(
    private_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SANCTIO_SIGNING_KEY", raising=False)
    assert signing.configured_key() is None
    made = signing.init_key()
    assert made.path == private_data_dir / "audit-signing-key.pem"
    loaded = signing.configured_key()
    assert loaded is not None
    assert loaded.key_id == made.key_id
    monkeypatch.setenv("SANCTIO_SIGNING_KEY", str(private_data_dir / "elsewhere.pem"))
    with pytest.raises(signing.SigningKeyError, match=r"elsewhere\.pem: no such key file"):
        signing.configured_key()  # a key named must exist: never silently unsigned


# -- checkpoints -----------------------------------------------------------------------


def test_without_a_key_nothing_is_signed_and_verify_says_so(engine: Engine) -> None:
    add(engine, 3)
    assert sign(engine) is None
    result = check(engine)
    assert result.ok
    assert result.checkpoints.checked == 0
    assert result.checkpoints.notes == [
        "no checkpoints in the database: the chain is anchored by none"
    ]


def test_a_checkpoint_signs_the_head_and_verifies(engine: Engine, key: signing.SigningKey) -> None:
    added = add(engine, 3)
    made = sign(engine, "by hand")
    assert (made.seq, made.head_hash, made.key_id) == (3, added[-1].hash, key.key_id)
    add(engine, 2)
    result = check(engine, public_key=key.public)
    assert result.ok, result.to_dict()
    assert result.checkpoints.checked == 1
    assert [c.status for c in result.checkpoints.checkpoints] == ["agrees"]
    stored = check(engine, public_key=None)
    assert stored.ok
    assert "signatures not checked" in stored.checkpoints.notes[0]


def test_a_rehashed_chain_is_intact_in_itself_but_not_against_the_checkpoints(
    engine: Engine, key: signing.SigningKey, tmp_path: Path
) -> None:
    add(engine, 3)
    sign(engine)  # record 3
    add(engine, 3)
    sign(engine)  # record 6
    exported = tmp_path / "checkpoints.jsonl"
    assert export_checkpoints(engine, exported, key.public) == 2
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [3, 6]
    assert lines[0]["public_key"] == signing.public_pem(key.public)

    rewrite_from(engine, 5)
    assert verify(engine).ok  # the chain alone cannot tell
    # the attacker also removes the stored checkpoints: only the file remains
    sql(engine, "DELETE FROM audit_checkpoints")
    assert check(engine, public_key=key.public).ok
    result = check(engine, read_checkpoints(exported), key.public, str(exported))
    assert not result.ok
    found = result.checkpoints
    assert (found.agrees_until, found.first_disagreeing) == (3, 6)
    assert [c.status for c in found.checkpoints] == ["agrees", "disagrees"]
    assert "it was rewritten in records 4 to 6" in found.problems[0]
    assert result.to_dict()["first_broken"] == 4
    assert result.to_dict()["chain_ok"] is True


def test_the_stored_checkpoints_catch_a_rehashed_chain_too(
    engine: Engine, key: signing.SigningKey
) -> None:
    add(engine, 4)
    sign(engine)
    rewrite_from(engine, 2)
    result = check(engine, public_key=key.public)
    assert not result.ok
    assert result.checkpoints.first_disagreeing == 4
    assert "rewritten in records 1 to 4" in result.checkpoints.problems[0]
    with pytest.raises(AuditError, match="not signing the audit head: the checkpoint of record 4"):
        sign(engine)  # the key never endorses the rewritten chain


def test_an_emptied_chain_reset_to_genesis_is_detected(
    engine: Engine, key: signing.SigningKey, tmp_path: Path
) -> None:
    add(engine, 4)
    sign(engine)
    exported = tmp_path / "kept.jsonl"
    export_checkpoints(engine, exported, key.public)
    sql(engine, "DELETE FROM audit_log")
    sql(engine, "UPDATE audit_head SET seq = 0, hash = :h", h=GENESIS)
    assert verify(engine).ok
    result = check(engine, read_checkpoints(exported), key.public)
    assert not result.ok
    assert "record 4 is missing: the log is empty" in result.checkpoints.problems[0]
    add(engine, 5, actor="mallory")  # and started again: record 4 has another hash
    again = check(engine, read_checkpoints(exported), key.public)
    assert again.checkpoints.first_disagreeing == 4
    assert "record 4's hash is" in again.checkpoints.problems[0]


def test_a_forged_checkpoint_is_reported(
    engine: Engine, key: signing.SigningKey, tmp_path: Path
) -> None:
    add(engine, 2)
    other = signing.init_key(tmp_path / "other.pem")
    with writer(engine).begin() as connection:
        checkpoint(connection, "forged", key=other)
    result = check(engine, public_key=key.public)
    assert not result.ok
    assert [c.status for c in result.checkpoints.checkpoints] == ["other key"]
    assert "signed with key" in result.checkpoints.problems[0]
    # a checkpoint claiming our key whose fields were changed after signing
    sql(engine, "DELETE FROM audit_checkpoints")
    sign(engine)
    add(engine, 1)
    sql(engine, "UPDATE audit_checkpoints SET seq = 3, head_hash = (SELECT hash FROM audit_head)")
    result = check(engine, public_key=key.public)
    assert [c.status for c in result.checkpoints.checkpoints] == ["bad signature"]
    assert "has a signature that does not verify" in result.checkpoints.problems[0]


def test_a_checkpoints_file_that_is_not_one_is_refused_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq": 1}\n')
    with pytest.raises(Exception, match=r"bad.jsonl, line 1, column head_hash: None; expected"):
        read_checkpoints(bad)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="not a regular file"):
        read_checkpoints(fifo)


def test_export_replaces_only_a_regular_file(
    engine: Engine, key: signing.SigningKey, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="not a regular file"):
        export_checkpoints(engine, fifo, key.public)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_broken_chain_is_not_signed(engine: Engine, key: signing.SigningKey) -> None:
    add(engine, 3)
    sql(engine, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    with pytest.raises(AuditError, match="chain is broken at record 2"):
        sign(engine)
    with engine.connect() as c:
        assert c.scalar(select(AuditCheckpoint.id)) is None


# -- corrupt rows are findings ---------------------------------------------------------

#: (column, stored value, what verify says), per database: PostgreSQL's json and
#: timestamptz columns refuse text that is not one, SQLite stores anything.
CORRUPTIONS = {
    "sqlite": [
        ("payload", "not json {", "record 2 unreadable: payload 'not json {'; expected JSON"),
        ("payload", "[1, 2]", "record 2 unreadable: payload '[1, 2]'; expected a JSON object"),
        ("at", "yesterday", "record 2 unreadable: at 'yesterday'; expected a date and time"),
        ("at", 12345, "record 2 unreadable: at 12345; expected a date and time"),
    ],
    "postgresql": [
        ("payload", "[1, 2]", "record 2 unreadable: payload '[1, 2]'; expected a JSON object"),
        ("payload", "null", "record 2 unreadable: payload 'null'; expected a JSON object"),
        ("payload", '"text"', "record 2 unreadable: payload '\"text\"'; expected a JSON object"),
    ],
}


def test_a_corrupt_row_is_a_finding_not_a_crash(engine: Engine) -> None:
    for column, value, said in CORRUPTIONS[engine.dialect.name]:
        sql(engine, "DELETE FROM audit_log")
        sql(engine, "DELETE FROM audit_head")
        add(engine, 3)
        sql(engine, f"UPDATE audit_log SET {column} = :v WHERE seq = 2", v=value)
        result = verify(engine)
        assert not result.ok
        assert result.first_broken == 2
        assert result.problem is not None
        assert result.problem.startswith(said), result.problem
        assert not check(engine).ok
        readable, unreadable = readable_entries(engine)
        assert [e.seq for e in readable] == [1, 3]
        assert [u.seq for u in unreadable] == [2]
        with pytest.raises(UnreadableRecordError, match="record 2 unreadable"):
            entries(engine)
