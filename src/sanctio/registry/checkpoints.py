"""Checkpoints: the audit head signed with a key the database does not hold.

``checkpoint`` signs the head (seq and hash) with an Ed25519 key (``registry.signing``)
at every adoption and publication (``anchor_on_commit``) and on ``sanctio audit
checkpoint``; ``export_checkpoints`` writes them to a file anyone can keep, and
``check`` compares the chain with the checkpoints it is given: a record at a signed seq
whose hash is not the signed one means the chain was rewritten up to there, and an
emptied chain no longer reaches a signed seq.
"""

from __future__ import annotations

import base64
import binascii
import json
import stat
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from sanctio.errors import InputError
from sanctio.model.records import (
    AuditCheckpoint,
    AuditHead,
    AuditRecord,
    ListVersion,
    SanctionsList,
)
from sanctio.registry import signing
from sanctio.registry.audit import (
    GENESIS,
    HEAD_ID,
    AuditError,
    Verification,
    append,
    serialize_writers,
    utc,
    verify_in,
)

#: What a checkpoint's signature covers, before its seq, head hash, time and reason.
CHECKPOINT_CONTEXT = "sanctio-audit-checkpoint"


# -- checkpoints: the head signed with a key outside the database ----------------------


def checkpoint_message(seq: int, head_hash: str, signed_at: datetime, reason: str) -> bytes:
    """The bytes a checkpoint's signature covers. The form is fixed: changing it would
    make every checkpoint ever signed fail."""
    when = utc(signed_at).isoformat(timespec="microseconds")
    return f"{CHECKPOINT_CONTEXT}\n{seq}\n{head_hash}\n{when}\n{reason}".encode()


@dataclass(frozen=True)
class Checkpoint:
    """The audit head (the last record's seq and hash) at one moment, signed."""

    seq: int
    head_hash: str
    signed_at: datetime
    reason: str
    key_id: str
    #: base64 of the Ed25519 signature of ``checkpoint_message``
    signature: str
    #: its row in ``audit_checkpoints`` (None for one read from a file)
    id: int | None = None

    def message(self) -> bytes:
        return checkpoint_message(self.seq, self.head_hash, self.signed_at, self.reason)

    def to_dict(self, public_key: str | None = None) -> dict[str, Any]:
        """One line of an exported checkpoints file."""
        return {
            "seq": self.seq,
            "head_hash": self.head_hash,
            "signed_at": utc(self.signed_at).isoformat(timespec="microseconds"),
            "reason": self.reason,
            "key_id": self.key_id,
            "signature": self.signature,
            "public_key": public_key,
        }

    @classmethod
    def from_row(cls, row: Row[*tuple[Any, ...]]) -> Checkpoint:
        return cls(
            row.seq,
            row.head_hash,
            utc(row.signed_at),
            row.reason,
            row.key_id,
            row.signature,
            row.id,
        )


def checkpoint(
    connection: Connection, reason: str, key: signing.SigningKey | None = None
) -> Checkpoint | None:
    """Sign the audit head inside the caller's transaction and store the checkpoint.

    ``key`` defaults to the configured one (``signing.configured_key``); with none,
    nothing is signed and None is returned, so registries without a key work as before.
    The chain is verified first, and checked against the checkpoints stored already
    (their signatures, their hashes): a key never signs a chain that is broken or that
    was rewritten since it last signed. ``connection`` must come from ``writer(engine)``,
    as for ``append``: no record is appended between reading the head and storing it.
    """
    if key is None:
        key = signing.configured_key()
        if key is None:
            return None
    if len(reason) > 100:
        raise ValueError(f"checkpoint reason is {len(reason)} characters long; at most 100")
    serialize_writers(connection)
    chain = verify_in(connection)
    if not chain.ok:
        raise AuditError(
            f"not signing the audit head: the chain is broken at record {chain.first_broken}: "
            f"{chain.problem}"
        )
    own = [c for c in _stored(connection) if c.key_id == key.key_id]  # a former key's stay
    earlier = _check_checkpoints(connection, own, key.public, "the database")
    if not earlier.ok:
        raise AuditError(f"not signing the audit head: {earlier.problems[0]}")
    head = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    signed_at = datetime.now(UTC)
    signature = base64.b64encode(
        key.sign(checkpoint_message(seq, head_hash, signed_at, reason))
    ).decode("ascii")
    values = {
        "seq": seq,
        "head_hash": head_hash,
        "signed_at": signed_at,
        "reason": reason,
        "key_id": key.key_id,
        "signature": signature,
    }
    result = connection.execute(insert(AuditCheckpoint).values(**values))
    assert result.inserted_primary_key is not None
    return Checkpoint(
        seq, head_hash, signed_at, reason, key.key_id, signature, result.inserted_primary_key[0]
    )


def request_checkpoint(connection: Connection, actor: str, reason: str) -> Checkpoint:
    """A checkpoint someone asked for (``sanctio audit checkpoint``, ``POST
    /audit/checkpoint``): recorded on the chain as ``audit.checkpoint`` first, so the
    signature covers who asked. The caller checks the role; refused without a key."""
    key = signing.configured_key()
    if key is None:
        raise AuditError(
            "no signing key: make one with `sanctio keys init` (or set SANCTIO_SIGNING_KEY)"
        )
    append(connection, actor, "audit.checkpoint", "audit", {"reason": reason, "key": key.key_id})
    made = checkpoint(connection, reason, key)
    assert made is not None
    return made


def _stored(connection: Connection) -> list[Checkpoint]:
    rows = connection.execute(select(AuditCheckpoint.__table__).order_by(AuditCheckpoint.id))
    return [Checkpoint.from_row(row) for row in rows]


def stored_checkpoints(engine: Engine) -> list[Checkpoint]:
    """Every checkpoint stored in the registry, oldest first."""
    with engine.connect() as connection:
        return _stored(connection)


def export_checkpoints(
    engine: Engine, path: Path, public_key: Ed25519PublicKey | None = None
) -> int:
    """Write every stored checkpoint to ``path`` as JSON lines, atomically and only over
    a regular file; each line carries the public key (PEM) when ``public_key`` is the
    key that signed it. Returns how many were written. Keep the file away from the
    database: it is what a rewritten chain is checked against."""
    found = stored_checkpoints(engine)
    pem = signing.public_pem(public_key) if public_key is not None else None
    kid = signing.key_id(public_key) if public_key is not None else None
    lines = [
        json.dumps(c.to_dict(pem if c.key_id == kid else None), ensure_ascii=False) + "\n"
        for c in found
    ]
    signing.write_atomically(path, "".join(lines).encode("utf-8"))
    return len(found)


#: The fields each line of a checkpoints file has, with their JSON type.
_FILE_FIELDS: dict[str, type] = {
    "seq": int,
    "head_hash": str,
    "signed_at": str,
    "reason": str,
    "key_id": str,
    "signature": str,
}
#: Longest line read from a checkpoints file (a line is a few hundred bytes).
_MAX_LINE = 16 * 1024


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """The checkpoints of a file ``export_checkpoints`` wrote; a line that is not one
    is refused naming its line and field. Only a regular file is read."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(path, f"cannot read the checkpoints file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file; expected a checkpoints file (JSON lines)")
    found: list[Checkpoint] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > _MAX_LINE:
                raise InputError(path, f"line longer than {_MAX_LINE} bytes", number)
            if not raw.strip():
                continue
            found.append(_checkpoint_line(path, number, raw))
    return found


def _checkpoint_line(path: Path, number: int, raw: bytes) -> Checkpoint:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise InputError(path, f"not JSON ({exc}); expected one checkpoint", number) from None
    if not isinstance(data, dict):
        raise InputError(path, "not a JSON object; expected one checkpoint", number)
    for name, kind in _FILE_FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise InputError(
                path, f"{value!r}; expected {kind.__name__} {name}", number, column=name
            )
    try:
        signed_at = datetime.fromisoformat(data["signed_at"])
    except ValueError:
        signed_at = None
    if signed_at is None or signed_at.tzinfo is None:
        raise InputError(
            path, f"{data['signed_at']!r}; expected an ISO date and time with its zone", number,
            column="signed_at",
        )  # fmt: skip
    return Checkpoint(
        data["seq"],
        data["head_hash"],
        signed_at,
        data["reason"],
        data["key_id"],
        data["signature"],
    )


@dataclass(frozen=True)
class CheckpointResult:
    """One checkpoint as checked: ``agrees``, or why not."""

    seq: int
    signed_at: str
    reason: str
    key_id: str
    #: ``agrees``, ``disagrees``, ``bad signature``, ``other key``, ``unsigned`` (its
    #: signature not checked: no public key)
    status: str
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckpointVerification:
    """The chain checked against signed checkpoints."""

    #: where the checkpoints came from: a file's path, or ``the database``
    source: str
    ok: bool
    checked: int
    #: the seq of the last checkpoint the chain agrees with before the first it does
    #: not (0: none before it): the records after it are where it was rewritten
    agrees_until: int | None = None
    #: the seq of the first checkpoint the chain disagrees with
    first_disagreeing: int | None = None
    #: what is wrong, first found first; empty when ok
    problems: list[str] = dataclass_field(default_factory=list)
    #: what else a reader should know (no checkpoints, signatures not checked)
    notes: list[str] = dataclass_field(default_factory=list)
    #: the id of the public key the signatures were checked with (None: not checked)
    key_id: str | None = None
    checkpoints: list[CheckpointResult] = dataclass_field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checkpoints"] = [c.to_dict() for c in self.checkpoints]
        return data


@dataclass(frozen=True)
class AuditCheck:
    """The chain verified, and compared with the checkpoints: both must hold."""

    chain: Verification
    checkpoints: CheckpointVerification

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.checkpoints.ok

    def to_dict(self) -> dict[str, Any]:
        """The chain's verification (``records``, ``first_broken``, ``problem``,
        ``head_hash``) with ``ok`` for both checks, ``chain_ok`` for the chain alone and
        the ``checkpoints``. A chain intact in itself but disagreeing with a checkpoint
        is broken at the first record after the last checkpoint it agrees with."""
        data = self.chain.to_dict()
        anchored = self.checkpoints
        if self.chain.ok and not anchored.ok:
            if anchored.agrees_until is not None:
                data["first_broken"] = anchored.agrees_until + 1
            data["problem"] = anchored.problems[0]
        data.update(ok=self.ok, chain_ok=self.chain.ok, checkpoints=anchored.to_dict())
        return data


def check(
    engine: Engine,
    checkpoints: Sequence[Checkpoint] | None = None,
    public_key: Ed25519PublicKey | None = None,
    source: str | None = None,
) -> AuditCheck:
    """Verify the chain, then compare it with ``checkpoints`` (default: those stored
    in the database, and the references published versions and legal acts hold to
    them), in one consistent snapshot.

    Each checkpoint's signature is checked with ``public_key`` (None: not checked,
    which the result says), and the record at its seq must have the signed hash. The
    first checkpoint the chain disagrees with is named, with the last one before it
    that agrees: a chain recomputed through the database, or emptied and started
    again, agrees with none signed before the rewriting.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            chain = verify_in(connection)
            if checkpoints is None:
                given = _stored(connection)
                result = _check_checkpoints(
                    connection, given, public_key, source or "the database",
                    extra=_dangling(connection),
                )  # fmt: skip
            else:
                result = _check_checkpoints(
                    connection, checkpoints, public_key, source or "the file given"
                )
    return AuditCheck(chain, result)


def _dangling(connection: Connection) -> list[str]:
    """Published versions and legal acts that name a checkpoint no longer stored."""
    from sanctio.designation.records import LegalAct  # the designation tables import audit

    stored = select(AuditCheckpoint.id)
    problems = [
        f"list {row.name} version {row.number} names checkpoint {row.checkpoint_id}, "
        "which audit_checkpoints no longer holds"
        for row in connection.execute(
            select(SanctionsList.name, ListVersion.number, ListVersion.checkpoint_id)
            .join(SanctionsList, SanctionsList.id == ListVersion.list_id)
            .where(ListVersion.checkpoint_id.is_not(None), ListVersion.checkpoint_id.not_in(stored))
            .order_by(SanctionsList.name, ListVersion.number)
        )
    ]
    problems += [
        f"legal act {row.number} names checkpoint {row.checkpoint_id}, which "
        "audit_checkpoints no longer holds"
        for row in connection.execute(
            select(LegalAct.number, LegalAct.checkpoint_id).where(
                LegalAct.checkpoint_id.is_not(None), LegalAct.checkpoint_id.not_in(stored)
            )
        )
    ]
    return problems


def _signature_bytes(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _check_checkpoints(
    connection: Connection,
    checkpoints: Iterable[Checkpoint],
    public_key: Ed25519PublicKey | None,
    source: str,
    extra: Sequence[str] = (),
) -> CheckpointVerification:
    ordered = sorted(checkpoints, key=lambda c: (c.seq, utc(c.signed_at)))
    kid = signing.key_id(public_key) if public_key is not None else None
    last = connection.execute(
        select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1)
    ).scalar()
    results: list[CheckpointResult] = []
    problems: list[str] = list(extra)
    agrees_until: int | None = None
    first_disagreeing: int | None = None
    last_agreeing = 0
    for point in ordered:
        status, problem = _check_one(connection, point, public_key, kid, last)
        if status == "disagrees" and first_disagreeing is None:
            first_disagreeing, agrees_until = point.seq, last_agreeing
            span = (
                f"record {point.seq}"
                if last_agreeing + 1 == point.seq
                else f"records {last_agreeing + 1} to {point.seq}"
            )
            problem = f"{problem}; " + (
                f"the chain agrees with the checkpoints up to record {last_agreeing}, so "
                f"it was rewritten in {span}"
                if last_agreeing
                else f"it agrees with no checkpoint before, so it was rewritten in {span}"
            )
        elif status in ("agrees", "unsigned"):
            last_agreeing = max(last_agreeing, point.seq)
        if problem is not None:
            problems.append(problem)
        when = utc(point.signed_at).isoformat(timespec="seconds")
        results.append(
            CheckpointResult(point.seq, when, point.reason, point.key_id, status, problem)
        )
    notes: list[str] = []
    if not ordered:
        notes.append(f"no checkpoints in {source}: the chain is anchored by none")
    elif public_key is None:
        notes.append(
            "signatures not checked: no public key (give --public-key, or configure "
            "SANCTIO_SIGNING_KEY); the hashes were compared all the same"
        )
    return CheckpointVerification(
        source=source,
        ok=not problems,
        checked=len(ordered),
        agrees_until=agrees_until,
        first_disagreeing=first_disagreeing,
        problems=problems,
        notes=notes,
        key_id=kid,
        checkpoints=results,
    )


def _check_one(
    connection: Connection,
    point: Checkpoint,
    public_key: Ed25519PublicKey | None,
    kid: str | None,
    last: int | None,
) -> tuple[str, str | None]:
    """(status, problem) of one checkpoint: its signature, then the chain's hash at its
    seq. A checkpoint whose signature fails is not compared: it proves nothing."""
    when = utc(point.signed_at).isoformat(timespec="seconds")
    named = f"the checkpoint of record {point.seq} signed {when} ({point.reason})"
    if public_key is not None:
        if point.key_id != kid:
            return "other key", (
                f"{named} is signed with key {point.key_id[:16]}..., not with the key "
                f"checked against ({(kid or '')[:16]}...): forged, or signed by a key not given"
            )
        signature = _signature_bytes(point.signature)
        if signature is None or not signing.verify_signature(
            public_key, signature, point.message()
        ):
            return "bad signature", f"{named} has a signature that does not verify"
    disagreement = _disagreement(connection, point, last)
    if disagreement is not None:
        return "disagrees", f"{named}: {disagreement}"
    return ("agrees" if public_key is not None else "unsigned"), None


def _disagreement(connection: Connection, point: Checkpoint, last: int | None) -> str | None:
    """Why the chain does not hold ``point``'s hash at its seq, or None when it does."""
    if point.seq == 0:
        if point.head_hash == GENESIS:
            return None
        return f"it names record 0 with hash {point.head_hash}, not the empty chain's"
    found = connection.scalar(select(AuditRecord.hash).where(AuditRecord.seq == point.seq))
    if found is None:
        ends = f"ends at record {last}" if last else "is empty"
        return f"record {point.seq} is missing: the log {ends}"
    if found != point.head_hash:
        return f"record {point.seq}'s hash is {found}, but the checkpoint signed {point.head_hash}"
    return None


# -- anchoring what a transaction publishes ---------------------------------------------

_ANCHOR = "sanctio.audit_anchor"


def anchor_on_commit(
    session: Session,
    what: str,
    list_version: tuple[str, int] | None = None,
    acts: Sequence[str] = (),
) -> None:
    """Have the audit head signed when ``session`` commits, and the checkpoint named
    by the list version published (list name, number) and the legal acts (numbers)
    recorded in this transaction.

    Signing at commit rather than here covers every record the transaction appends
    after publishing (the adoption's own record among them). The version row was
    inserted in this same transaction: setting its ``checkpoint_id`` is the one UPDATE
    a ``list_versions`` row ever sees, before anyone else can read it. Without a key
    nothing is signed and the columns stay NULL.
    """
    pending = session.info.setdefault(_ANCHOR, {"what": [], "versions": [], "acts": []})
    pending["what"].append(what)
    if list_version is not None:
        pending["versions"].append(list_version)
    pending["acts"].extend(acts)


def _anchor_before_commit(session: Session) -> None:
    pending = session.info.pop(_ANCHOR, None)
    if not pending:
        return
    from sanctio.designation.records import LegalAct  # the designation tables import audit

    session.flush()
    connection = session.connection()
    reason = "; ".join(dict.fromkeys(pending["what"]))
    made = checkpoint(connection, reason if len(reason) <= 100 else reason[:99] + "…")
    if made is None:
        return
    for list_name, number in pending["versions"]:
        connection.execute(
            update(ListVersion)
            .where(
                ListVersion.list_id
                == select(SanctionsList.id)
                .where(SanctionsList.name == list_name)
                .scalar_subquery(),
                ListVersion.number == number,
            )
            .values(checkpoint_id=made.id)
        )
    if pending["acts"]:
        connection.execute(
            update(LegalAct)
            .where(LegalAct.number.in_(pending["acts"]))
            .values(checkpoint_id=made.id)
        )


def _forget_anchor(session: Session, _previous: Any = None) -> None:
    session.info.pop(_ANCHOR, None)


event.listen(Session, "before_commit", _anchor_before_commit)
event.listen(Session, "after_soft_rollback", _forget_anchor)
