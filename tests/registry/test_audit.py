"""The audit trail: a hash chain that verifies, and that names the record tampered with."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.engine import make_url

from sanctio.model.records import AuditRecord
from sanctio.registry.audit import GENESIS, AuditEntry, append, entries, record_hash, verify
from sanctio.registry.engine import open_engine, writer

T0 = datetime(2026, 11, 28, 9, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def add(engine: Engine, n: int, actor: str = "alice") -> list[AuditEntry]:
    """``n`` records, each appended and committed in its own transaction."""
    added = []
    for i in range(n):
        with writer(engine).begin() as c:
            added.append(
                append(
                    c,
                    actor,
                    "package.circulate",
                    f"package:{i + 1}",
                    {"n": i, "note": "écrit à Bruxelles", "states": ["DE", "FR"]},
                    at=T0 + timedelta(seconds=i),
                )
            )
    return added


def sql(engine: Engine, statement: str, **params: Any) -> None:
    with engine.begin() as c:
        c.execute(text(statement), params)


def test_empty_log_verifies(engine: Engine) -> None:
    result = verify(engine)
    assert result.ok
    assert (result.records, result.first_broken, result.problem, result.head_hash) == (
        0,
        None,
        None,
        None,
    )
    assert entries(engine) == []


def test_a_chain_verifies(engine: Engine) -> None:
    added = add(engine, 6)
    result = verify(engine)
    assert result.ok, result.problem
    assert result.records == 6
    assert result.head_hash == added[-1].hash
    assert result.to_dict() == {
        "ok": True,
        "records": 6,
        "first_broken": None,
        "problem": None,
        "head_hash": added[-1].hash,
    }
    stored = entries(engine)
    assert stored == added  # read back exactly as written, time zone included
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5, 6]
    assert stored[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(stored))
    assert [e.seq for e in entries(engine, limit=2)] == [5, 6]
    assert entries(engine, limit=0) == []
    assert stored[0].to_dict()["at"] == "2026-11-28T09:30:00.123456+00:00"
    assert stored[0].to_dict()["payload"]["note"] == "écrit à Bruxelles"


def test_payload_is_stored_as_its_json_round_trip(engine: Engine) -> None:
    with writer(engine).begin() as c:
        entry = append(c, "bob", "dossier.create", "dossier:1", {"ids": (1, 2), "x": 1.5})
    assert entry.payload == {"ids": [1, 2], "x": 1.5}
    assert entry.at.tzinfo is not None
    assert entries(engine) == [entry]
    assert verify(engine).ok


def test_bad_input_is_refused(engine: Engine) -> None:
    with writer(engine).begin() as c:
        with pytest.raises(ValueError, match="at most 200"):
            append(c, "a" * 201, "x", "y", {})
        with pytest.raises(ValueError, match="time zone"):
            append(c, "a", "x", "y", {}, at=datetime(2026, 1, 1))
        with pytest.raises(ValueError, match="Out of range float"):
            append(c, "a", "x", "y", {"v": float("nan")})
    assert verify(engine).records == 0


def test_sqlite_needs_the_writer(tmp_path: Any) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    with engine.begin() as c, pytest.raises(RuntimeError, match="writer"):
        append(c, "a", "x", "y", {})
    engine.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [("payload", '{"n": 99}'), ("actor", "mallory"), ("at", "2020-01-01 00:00:00")],
)
def test_an_edited_record_is_named(engine: Engine, column: str, value: str) -> None:
    add(engine, 6)
    if column == "at" and engine.dialect.name == "postgresql":
        value += "+00"
    sql(engine, f"UPDATE audit_log SET {column} = :v WHERE seq = 4", v=value)
    result = verify(engine)
    assert not result.ok
    assert result.first_broken == 4
    assert result.problem == "record 4 was edited: its content does not match its hash"
    assert result.records == 6


def test_an_edited_first_record_is_named(engine: Engine) -> None:
    add(engine, 3)
    sql(engine, "UPDATE audit_log SET subject = 'package:666' WHERE seq = 1")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 1)
    assert "record 1 was edited" in (result.problem or "")


def test_a_removed_middle_record_is_named(engine: Engine) -> None:
    add(engine, 6)
    sql(engine, "DELETE FROM audit_log WHERE seq = 4")
    result = verify(engine)
    assert not result.ok
    assert result.first_broken == 5
    assert result.problem == "record 4 is missing: record 5 follows record 3"
    assert result.records == 5


def test_removed_first_records_are_named(engine: Engine) -> None:
    add(engine, 4)
    sql(engine, "DELETE FROM audit_log WHERE seq <= 2")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 3)
    assert result.problem == "records 1 to 2 are missing: the log starts at record 3"


def test_a_renumbered_record_after_a_removal_is_caught(engine: Engine) -> None:
    """Closing the gap by renumbering does not hide the removal."""
    add(engine, 5)
    sql(engine, "DELETE FROM audit_log WHERE seq = 3")
    sql(engine, "UPDATE audit_log SET seq = 3 WHERE seq = 4")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 3)


def test_a_removed_last_record_is_caught_by_the_head(engine: Engine) -> None:
    added = add(engine, 6)
    sql(engine, "DELETE FROM audit_log WHERE seq = 6")
    result = verify(engine)
    assert not result.ok
    assert result.first_broken == 6
    assert result.problem == (
        "the last 1 record was removed: the head names record 6, but the log ends at record 5"
    )
    assert result.head_hash == added[4].hash


def test_every_record_removed_is_caught(engine: Engine) -> None:
    add(engine, 3)
    sql(engine, "DELETE FROM audit_log")
    result = verify(engine)
    assert (result.ok, result.records, result.first_broken) == (False, 0, 1)
    assert "the last 3 records were removed" in (result.problem or "")


def test_an_append_after_a_removed_last_record_does_not_hide_it(engine: Engine) -> None:
    add(engine, 4)
    sql(engine, "DELETE FROM audit_log WHERE seq = 4")
    add(engine, 1)
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 5)
    assert result.problem == "record 4 is missing: record 5 follows record 3"


def test_a_tampered_head_is_caught(engine: Engine) -> None:
    add(engine, 3)
    sql(engine, "UPDATE audit_head SET hash = :h", h="f" * 64)
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 3)
    assert (result.problem or "").startswith("head does not match")
    sql(engine, "DELETE FROM audit_head")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 4)
    assert (result.problem or "").startswith("the head is missing")


def test_a_record_written_past_the_head_is_caught(engine: Engine) -> None:
    add(engine, 3)
    sql(engine, "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 3)
    assert (result.problem or "").startswith("head does not match")


def test_swapped_records_are_caught(engine: Engine) -> None:
    """Two records exchange places (every column but the position): out of order."""
    add(engine, 5)
    with engine.begin() as c:
        rows = {
            row.seq: row._asdict()
            for row in c.execute(select(AuditRecord.__table__).where(AuditRecord.seq.in_([2, 4])))
        }
        c.execute(delete(AuditRecord).where(AuditRecord.seq.in_([2, 4])))
        c.execute(insert(AuditRecord), [{**rows[4], "seq": 2}, {**rows[2], "seq": 4}])
    result = verify(engine)
    assert not result.ok
    assert result.first_broken == 2
    assert result.problem == "records out of order: record 2 holds the record written as record 4"


def test_swapped_content_is_caught(engine: Engine) -> None:
    """Only the content of two records exchanged, hashes left in place."""
    add(engine, 5, actor="alice")
    sql(engine, "UPDATE audit_log SET actor = 'bob' WHERE seq = 5")
    sql(engine, "UPDATE audit_log SET subject = 'package:x' WHERE seq IN (2, 3)")
    result = verify(engine)
    assert (result.ok, result.first_broken) == (False, 2)


def test_a_failed_action_takes_its_record_with_it(engine: Engine) -> None:
    add(engine, 2)

    class ActionFailedError(Exception):
        pass

    def act() -> None:
        with writer(engine).begin() as c:
            append(c, "alice", "package.adopt", "package:1", {})
            raise ActionFailedError

    with pytest.raises(ActionFailedError):
        act()
    result = verify(engine)
    assert (result.ok, result.records) == (True, 2)
    assert [e.seq for e in entries(engine)] == [1, 2]
    added = add(engine, 1)
    assert added[0].seq == 3
    assert verify(engine).ok


def test_concurrent_appends_make_one_chain(db_url: str) -> None:
    """Threads appending at once, each on its own connection: no duplicate, no fork."""
    postgres = make_url(db_url).get_backend_name() == "postgresql"
    threads, each = (27, 5) if postgres else (8, 5)
    engines = [open_engine(db_url) for _ in range(threads)]
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with writer(engines[index]).begin() as c:
                    append(c, f"user{index}", "test.append", f"thread:{index}", {"i": i})
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    try:
        assert not errors, errors
        total = threads * each
        stored = entries(engines[0])
        assert [e.seq for e in stored] == list(range(1, total + 1))
        assert len({e.prev_hash for e in stored}) == total  # no fork
        for n in range(threads):
            assert [e.payload["i"] for e in stored if e.actor == f"user{n}"] == list(range(each))
        result = verify(engines[0])
        assert result.ok, result.problem
        assert result.records == total
        assert result.head_hash == stored[-1].hash
    finally:
        for engine in engines:
            engine.dispose()


def test_the_hash_form_is_fixed() -> None:
    """Stored chains depend on it: a change of form fails every existing record."""
    digest = record_hash(
        1, T0, "alice", "package.adopt", "package:3", {"b": [1], "a": "é"}, GENESIS
    )
    assert digest == record_hash(
        1, T0.astimezone(UTC), "alice", "package.adopt", "package:3", {"a": "é", "b": [1]}, GENESIS
    )
    assert digest == GOLDEN


GOLDEN = "c713d89736ea0a4fcd1ace96b084b7cbaa73c686a263d9652f8ab95f895ac706"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
FIELDS = {
    "seq": st.integers(min_value=1, max_value=2**31 - 1),
    "at": st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    "actor": st.text(),
    "action": st.text(),
    "subject": st.text(),
    "payload": st.dictionaries(st.text(), json_values, max_size=4),
    "prev_hash": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64) | st.text(),
}


@given(
    record=st.fixed_dictionaries(FIELDS),
    field=st.sampled_from(sorted(FIELDS)),
    data=st.data(),
)
def test_any_change_to_one_field_changes_the_hash(
    record: dict[str, Any], field: str, data: st.DataObject
) -> None:
    changed = data.draw(FIELDS[field], label=f"new {field}")
    if changed == record[field]:
        return
    assert record_hash(**record) != record_hash(**{**record, field: changed})
